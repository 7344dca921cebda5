import { isCidrProblem, parseCidr } from "../../../internal/cidr";
import { invalid } from "../../../internal/errors";
import { checkGateTimeout, DEFAULT_GATE_TIMEOUT_MINUTES } from "./health-gate/health-gate";
import { Color, COLORS, otherColor, servingColors, TrafficArgs, trafficShares, TrafficShares } from "./traffic";

/** What a color does while it receives no traffic: `keep` its instances (instant rollback) or scale to `zero` (no cost). */
export const idlePolicies = ["keep", "zero"] as const;
export type IdlePolicy = (typeof idlePolicies)[number];

/** One color (fleet) of a blue/green web tier. */
export interface BlueGreenColorArgs {
    /**
     * What this color runs:
     * - `"current"`: the app folder as it is now (packed by this `pulumi up`);
     * - a sha256 (64 lowercase hex characters, the web tier's
     *   `releaseSha256` output of an earlier deploy): that archive, already
     *   in the release bucket (`releases/<sha256>.tgz`); a sha that is not
     *   there fails `pulumi up` before the color's template changes;
     * - left out: no release, so no fleet for this color (and no traffic).
     * @example "current"
     */
    release?: string;
    /**
     * While this color receives no traffic: `keep` its instances running
     * (switching back is one `pulumi up` with no instance started), or
     * scale it to `zero` once traffic has left it (no instance cost).
     * @default "keep"
     */
    idle?: IdlePolicy;
}

/** `deploy` keys of the blue-green strategy (mode `autoscaling`). */
export interface BlueGreenDeployArgs {
    blue?: BlueGreenColorArgs;
    green?: BlueGreenColorArgs;
    /**
     * Percent of requests per color; give one color and the other gets the
     * rest. The listener moves only after the health gate saw every target
     * of each color that will receive traffic healthy.
     * @default { blue: 100 }
     * @example { green: 10 }
     */
    traffic?: TrafficArgs;
    /**
     * How long `pulumi up` waits for the health gate before it fails,
     * leaving the traffic where it was (1 to 720 minutes).
     * @default 10
     */
    gateTimeoutMinutes?: number;
    /**
     * Who may reach the preview listener (port 8443 with a domain, else
     * 8080), which always answers from the candidate color (the one running
     * `current`), and from one color with the header `X-Webstack-Color:
     * blue|green`, so a release can be tried before it takes traffic.
     * Closed to everyone when empty.
     * @default []
     * @example ["203.0.113.0/24"]
     */
    previewCidrs?: string[];
}

/** A color as the blue/green composition builds it. */
export interface ResolvedColor {
    color: Color;
    /** "current", a pinned sha256, or undefined (no fleet). */
    release?: "current" | string;
    idle: IdlePolicy;
    /** Percent of requests. */
    share: number;
    /** Whether the color runs instances: it has a release, and traffic or `idle: keep`. */
    running: boolean;
}

export interface ResolvedBlueGreen {
    colors: Record<Color, ResolvedColor>;
    shares: TrafficShares;
    /**
     * The color the preview header reaches: the one running `current` (the
     * release this `pulumi up` packs); when both or neither do, the one with
     * the smaller share (green on a tie).
     */
    candidate: Color;
    gateTimeoutMinutes: number;
    previewCidrs: string[];
}

/** The `deploy` keys that only blue-green reads. */
export const BLUE_GREEN_KEYS = ["blue", "green", "traffic", "gateTimeoutMinutes", "previewCidrs"] as const;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Resolves and checks the blue-green keys of `deploy`. Every error names
 * `deploy.<key>` (the stage file's `webstack:web.deploy.<key>`).
 *
 * With no key at all, blue runs the current release and takes all traffic:
 * the first deploy of a blue/green web tier needs no more than the strategy.
 */
export function resolveBlueGreen(deploy: BlueGreenDeployArgs & Record<string, unknown>): ResolvedBlueGreen {
    const shares = trafficShares(deploy.traffic);
    const given = Object.fromEntries(COLORS.map((color) => [color, colorArgs(color, deploy[color])])) as Record<Color, BlueGreenColorArgs>;
    if (given.blue.release === undefined && given.green.release === undefined) given.blue = { ...given.blue, release: "current" };
    const colors = Object.fromEntries(
        COLORS.map((color) => {
            const { release, idle = "keep" } = given[color];
            const share = shares[color];
            if (share > 0 && release === undefined) {
                invalid(
                    `deploy.${color}.release`,
                    undefined,
                    `${color} is to receive ${share} % of the requests (deploy.traffic) but runs no release`,
                    `set deploy.${color}.release to "current" or to the sha256 of a release it should run, or move its traffic to ${otherColor(color)}`,
                );
            }
            const running = release !== undefined && (share > 0 || idle === "keep");
            return [color, { color, release, idle, share, running }];
        }),
    ) as Record<Color, ResolvedColor>;
    if (servingColors(shares).length === 0) invalid("deploy.traffic", deploy.traffic, "no color receives traffic", "give one color a share above 0");
    return { colors, shares, candidate: candidateColor(colors), gateTimeoutMinutes: gateTimeout(deploy.gateTimeoutMinutes), previewCidrs: previewCidrs(deploy.previewCidrs) };
}

function previewCidrs(value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) invalid("deploy.previewCidrs", value, "expected a list of CIDR blocks", 'write e.g. deploy.previewCidrs: ["203.0.113.0/24"]');
    return value.map((cidr, index) => {
        const parsed = typeof cidr === "string" ? parseCidr(cidr) : { problem: "not a CIDR block", fix: 'write e.g. "203.0.113.0/24"' };
        if (isCidrProblem(parsed)) invalid(`deploy.previewCidrs[${index}]`, cidr, parsed.problem, parsed.networkAddress ? `write ${parsed.networkAddress}` : parsed.fix);
        return cidr as string;
    });
}

function colorArgs(color: Color, value: unknown): BlueGreenColorArgs {
    const setting = `deploy.${color}`;
    if (value === undefined) return {};
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        invalid(setting, value, "a color is a map of its release and its idle policy", `write ${setting}: { release: current } or { release: <sha256> }`);
    }
    const unknown = Object.keys(value).filter((key) => key !== "release" && key !== "idle");
    if (unknown.length > 0) invalid(`${setting}.${unknown[0]}`, (value as Record<string, unknown>)[unknown[0]], "not a setting of a color", `use ${setting}.release and ${setting}.idle only`);
    const { release, idle } = value as BlueGreenColorArgs;
    if (release !== undefined && release !== "current") {
        if (typeof release !== "string" || !SHA256.test(release)) {
            const lower = typeof release === "string" && SHA256.test(release.toLowerCase());
            invalid(
                `${setting}.release`,
                release,
                lower ? "a release sha256 is written in lowercase, as the web tier's releaseSha256 output gives it" : 'a release is "current" or the 64-hex-character sha256 of an archive in the release bucket',
                lower ? `write ${setting}.release: ${(release as string).toLowerCase()}` : `use "current", or copy a releaseSha256 output of an earlier deploy (pulumi stack output)`,
            );
        }
    }
    if (idle !== undefined && !(idlePolicies as readonly string[]).includes(idle)) {
        invalid(`${setting}.idle`, idle, "not an idle policy", `use "keep" (instances stay up for an instant switch back) or "zero" (no instances while it has no traffic)`);
    }
    return { release, idle };
}

function candidateColor(colors: Record<Color, ResolvedColor>): Color {
    const current = COLORS.filter((color) => colors[color].release === "current");
    if (current.length === 1) return current[0];
    return colors.blue.share < colors.green.share ? "blue" : "green";
}

function gateTimeout(value: unknown): number {
    if (value === undefined) return DEFAULT_GATE_TIMEOUT_MINUTES;
    checkGateTimeout(value);
    return value as number;
}

/** The blue-green keys must not appear with another strategy: they would be silently ignored. */
export function refuseBlueGreenKeys(strategy: string, deploy: Record<string, unknown>): void {
    for (const key of BLUE_GREEN_KEYS) {
        if (deploy[key] !== undefined) {
            invalid(`deploy.${key}`, deploy[key], `it configures the blue-green strategy, and this web tier deploys "${strategy}"`, `set deploy.strategy: "blue-green" (mode autoscaling), or drop deploy.${key}`);
        }
    }
}
