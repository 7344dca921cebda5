import * as path from "node:path";
import { Harness, redactSecrets, resolveOutput } from "../../components/testing";
import { parseStageConfig, StageConfig } from "../config";
import { runProgram } from "../program";
import { applyOverrides, loadStageFile, readProjectName } from "./stage-file";

/** One resource the stage would create. */
export interface PlannedResource {
    type: string;
    name: string;
    /** The parent's logical name, or null at the top. */
    parent: string | null;
    /** The provider it uses, with the region it deploys to; null for components. */
    provider: { name: string; region: string } | null;
    /** Whether Pulumi protects it from deletion. */
    protect: boolean;
    /** Whether a replacement deletes it before creating the new one (Pulumi's default is create-first). */
    deleteBeforeReplace: boolean;
    /** Whether `pulumi destroy` leaves it in the account. */
    retainOnDelete: boolean;
    /** Its inputs, secrets replaced by "[secret]". */
    inputs: Record<string, unknown>;
    /**
     * Paths (dot-separated, list items by index) of the inputs whose value
     * holds something AWS computes at deploy time (another resource's id,
     * ARN, auto-name, address): the plan shows a stand-in the harness made
     * up, not the real value. A string that embeds one (a policy document)
     * is one path.
     */
    computed?: string[];
    /** The outputs AWS would compute for this resource (ids, ARNs, auto-names), as the harness made them up. */
    outputs?: Record<string, unknown>;
}

/** What `npm run plan -- <stage> --json` prints. */
export interface PlanDocument {
    stage: string;
    layout: string;
    region: string;
    /** Whether production rules apply (`webstack:production`, or a stack name starting with prod). */
    production?: boolean;
    /** Config keys that are probably typos, each naming the closest valid key. */
    warnings?: string[];
    /** Every `webstack:acknowledge` weakening of a production stage in force, with its reason. */
    acknowledgements?: { acknowledgement: string; reason: string; weakening: string }[];
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** Stack outputs whose value holds something AWS computes at deploy time (a stand-in here). */
    computedOutputs?: string[];
}

export interface PlanOptions {
    stage: string;
    /** The folder holding Pulumi.yaml and the stage files. @default the repository root */
    rootDir?: string;
    /** `key=value` overrides of stage settings. */
    overrides?: string[];
}

/** The repository root (this file is stacks/plan/plan-document.ts). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Runs the program for one stage under the harness, with the stage's real
 * Pulumi.<stage>.yaml, and returns what it would create. Needs no AWS
 * credentials and no Pulumi CLI.
 */
export async function planStage(options: PlanOptions): Promise<PlanDocument> {
    const rootDir = options.rootDir ?? REPO_ROOT;
    const stageFile = loadStageFile(rootDir, options.stage);
    const config = applyOverrides(stageFile.config, options.overrides ?? []);
    // Validate first: a bad stage file fails before any resource is registered.
    const stageConfig = parseStageConfig(config, options.stage, stageFile.secretKeys);
    const harness = await Harness.start({
        project: readProjectName(rootDir),
        stack: options.stage,
        config,
        secretKeys: stageFile.secretKeys,
        hostedZones: hostedZonesFor(stageConfig),
    });
    const outputs = runProgram(stageConfig);
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(outputs)) {
        const output = await resolveOutput(value);
        // Like the engine, drop outputs with no value (e.g. no distribution id for S3 website hosting).
        if (output.value === undefined) continue;
        resolved[key] = output.secret ? "[secret]" : redactSecrets(output.value);
    }
    await harness.settled();
    const madeUp = computedValues(harness);
    return {
        stage: options.stage,
        layout: stageConfig.layout,
        region: stageConfig.region,
        production: stageConfig.production,
        acknowledgements: stageConfig.acknowledged,
        warnings: stageConfig.warnings,
        resources: harness.resources.map((resource) => {
            const inputs = withoutEngineFields(redactSecrets(resource.rawInputs) as Record<string, unknown>);
            return {
                type: resource.type,
                name: resource.name,
                parent: harness.parentOf(resource)?.name ?? null,
                provider: harness.providerOf(resource),
                protect: resource.options.protect,
                deleteBeforeReplace: resource.options.deleteBeforeReplace,
                retainOnDelete: resource.options.retainOnDelete,
                inputs,
                computed: computedPaths(inputs, madeUp),
                outputs: redactSecrets({ ...(resource.id ? { id: resource.id } : {}), ...resource.computed }) as Record<string, unknown>,
            };
        }),
        outputs: resolved,
        computedOutputs: Object.keys(resolved).filter((key) => holdsComputed(resolved[key], madeUp)),
    };
}

/**
 * The hosted zones the plan pretends exist: the parent zone of the stage's
 * domain, if any, so a stage with a domain plans as it would deploy.
 */
function hostedZonesFor(config: StageConfig): string[] {
    const domain = config.domain;
    // A zone the stage creates does not exist yet; DnsAndTls makes it.
    if (!domain?.name || domain.createZone) return [];
    return [domain.zone ?? domain.name.split(".").slice(-2).join(".")];
}

/**
 * Every value the harness made up for a resource: ids and computed outputs
 * (strings long enough to be identifiers, not words such as "Deployed").
 */
function computedValues(harness: Harness): Set<string> {
    const strings = (value: unknown, into: Set<string>): Set<string> => {
        if (typeof value === "string" && value.length >= 8) into.add(value);
        else if (Array.isArray(value)) value.forEach((item) => strings(item, into));
        else if (typeof value === "object" && value !== null) Object.values(value).forEach((item) => strings(item, into));
        return into;
    };
    const values = new Set<string>();
    // A resource's inputs can only hold what the program wrote or outputs of
    // resources registered before it. So an output that some earlier (or the
    // same) resource was given as input (a record's fqdn, an instance's AZ
    // from its subnet) is the program's value, not AWS's.
    const given = new Set<string>();
    for (const resource of harness.resources) {
        if (resource.type.startsWith("pulumi:providers:") || !resource.custom) continue;
        strings(harness.inputsOf(resource), given);
        for (const value of strings([resource.id, resource.computed], new Set())) if (!given.has(value) || values.has(value)) values.add(value);
    }
    return values;
}

/** The dotted paths of the leaves of `inputs` that hold a made-up value. */
export function computedPaths(inputs: Record<string, unknown>, madeUp: Set<string>): string[] {
    const paths: string[] = [];
    const walk = (value: unknown, path: string): void => {
        if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}.${index}`));
        else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
        else if (holdsComputed(value, madeUp)) paths.push(path.slice(1));
    };
    walk(inputs, "");
    return paths;
}

/** Whether `value` is, or contains (in a string, list or object), a made-up value. */
export function holdsComputed(value: unknown, madeUp: Set<string>): boolean {
    if (typeof value === "string") return madeUp.has(value) || (value.length > 8 && [...madeUp].some((made) => value.includes(made)));
    if (Array.isArray(value)) return value.some((item) => holdsComputed(item, madeUp));
    if (typeof value === "object" && value !== null) return Object.values(value).some((item) => holdsComputed(item, madeUp));
    return false;
}

/** Drops the engine's own fields (e.g. a dynamic provider's serialized code). */
function withoutEngineFields(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([key]) => !key.startsWith("__")));
}
