import { planStage } from "../plan-document";
import { comparePlans } from "./compare-plans";
import { renderComparison } from "./render-comparison";

/** What `--compare a b` takes: each side's stage and its own overrides. */
export interface CompareArgs {
    stages: [string, string];
    json: boolean;
    /** Overrides of stage a: every --config, then every --config-a. */
    overridesA: string[];
    /** Overrides of stage b: every --config, then every --config-b. */
    overridesB: string[];
}

/**
 * Parses `--compare <a> <b> [--json] [--config k=v] [--config-a k=v] [--config-b k=v]`.
 * `--config` applies to both stages (a what-if for both); `--config-a` and
 * `--config-b` to one, e.g. `--compare staging prod --config-a webstack:web.mode=autoscaling`
 * to see whether that change makes staging rehearse prod.
 * Returns a usage problem as a string.
 */
export function parseCompareArgs(argv: string[]): CompareArgs | string {
    const stages: string[] = [];
    const both: string[] = [];
    const onlyA: string[] = [];
    const onlyB: string[] = [];
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--compare") continue;
        else if (arg === "--json") json = true;
        else if (arg === "--config" || arg === "-c") both.push(argv[++i] ?? "");
        else if (arg === "--config-a") onlyA.push(argv[++i] ?? "");
        else if (arg === "--config-b") onlyB.push(argv[++i] ?? "");
        else if (arg.startsWith("-")) return `${arg} does not go with --compare`;
        else stages.push(arg);
    }
    if (stages.length !== 2) return `--compare takes two stages (got ${stages.length === 0 ? "none" : stages.join(", ")})`;
    return { stages: [stages[0], stages[1]], json, overridesA: [...both, ...onlyA], overridesB: [...both, ...onlyB] };
}

/** Plans both stages and prints what differs. Exit code 0: a difference is information, not a failure. */
export async function runCompare(
    argv: string[],
    writeOut: (text: string) => Promise<void>,
    usage: (code: number, problem?: string) => never,
): Promise<void> {
    const args = parseCompareArgs(argv);
    if (typeof args === "string") usage(2, args);
    // One after the other: each plan runs the program under the (global) mock runtime.
    const a = await planStage({ stage: args.stages[0], overrides: args.overridesA });
    const b = await planStage({ stage: args.stages[1], overrides: args.overridesB });
    const comparison = comparePlans(a, b);
    await writeOut(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison)}\n`);
}
