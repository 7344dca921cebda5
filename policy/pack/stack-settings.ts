import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { StackSettings } from "../from-stack";

/**
 * The stack the pack judges, read the way the program reads it.
 *
 * The engine starts a Node.js policy pack with the stack's name in
 * PULUMI_NODEJS_STACK (and PULUMI_STACK) and its decrypted configuration as
 * JSON in PULUMI_CONFIG, the variables a Pulumi program gets
 * (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go
 * `constructEnv`, fed by the engine's `PolicyAnalyzerOptions{Project, Stack,
 * Config}`). The program (stacks/index.ts) decides production with
 * `parseStageConfig(allConfig, stack)`: `webstack:production`, or a stack
 * name starting with `prod`, plus the `webstack:acknowledge` weakenings. The
 * pack calls the same function on the same values.
 *
 * Without a stack name (e.g. `pulumi policy publish`, which runs the pack
 * outside any stack) or with a configuration the program would refuse
 * anyway, every row is judged as in production: the strict reading.
 */
export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
    const config = engineConfig(env.PULUMI_CONFIG);
    const region = config["aws:region"];
    const stack = env.PULUMI_NODEJS_STACK || env.PULUMI_STACK;
    if (!stack) return { stack: "(no stack)", production: true, acknowledged: [], region };
    try {
        const stage = parseStageConfig(config, stack);
        return { stack, production: stage.production, acknowledged: stage.acknowledged.map((entry) => entry.acknowledgement), region: stage.region };
    } catch (error) {
        // The program stops on the same ConfigError before it registers a resource.
        if (error instanceof ConfigError) return { stack, production: true, acknowledged: [], region };
        throw error;
    }
}

/** PULUMI_CONFIG: a JSON object of `namespace:key` → string (objects and lists as JSON text), as `pulumi.runtime.allConfig()` reads it. */
function engineConfig(text: string | undefined): Record<string, string> {
    if (!text) return {};
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}
