import { Region } from "@pulumi/aws/types/enums";
import { ConfigError } from "../../components/internal/errors";

/**
 * Every region the AWS provider knows, from its own `Region` enum
 * (@pulumi/aws types/enums). A region outside it (a typo, "eu west 1")
 * would otherwise reach ARNs and boot scripts and fail halfway through a
 * deploy; it is refused before the first resource.
 */
export const knownRegions: readonly string[] = Object.values(Region);

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The candidate closest to `value` (by edit distance), or undefined when none is near. */
export function closest(value: string, candidates: readonly string[], maxDistance = 3): string | undefined {
    let best: string | undefined;
    let bestDistance = maxDistance + 1;
    for (const candidate of candidates) {
        const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    return best;
}

/** Throws a ConfigError naming `aws:region` unless `region` is a region the provider knows. */
export function checkRegion(region: string | undefined, stage: string): string {
    if (!region) {
        throw new ConfigError({
            setting: "aws:region",
            value: region,
            problem: "every stage must name its AWS region",
            fix: `add "aws:region: eu-west-1" (or your region) under config: in Pulumi.${stage}.yaml`,
        });
    }
    if (!knownRegions.includes(region)) {
        const guess = closest(region.replace(/[\s_]+/g, "-"), knownRegions);
        throw new ConfigError({
            setting: "aws:region",
            value: region,
            problem: "not an AWS region",
            fix: guess ? `use "${guess}"` : `use a region code such as "eu-west-1" (one of ${knownRegions.join(", ")})`,
        });
    }
    return region;
}
