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
    /** Its inputs, secrets replaced by "[secret]". */
    inputs: Record<string, unknown>;
}

/** What `npm run plan -- <stage> --json` prints. */
export interface PlanDocument {
    stage: string;
    layout: string;
    region: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
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
    const stageConfig = parseStageConfig(config, options.stage);
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
    return {
        stage: options.stage,
        layout: stageConfig.layout,
        region: stageConfig.region,
        resources: harness.resources.map((resource) => ({
            type: resource.type,
            name: resource.name,
            parent: harness.parentOf(resource)?.name ?? null,
            provider: harness.providerOf(resource),
            protect: resource.options.protect,
            inputs: withoutEngineFields(redactSecrets(resource.rawInputs) as Record<string, unknown>),
        })),
        outputs: resolved,
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

/** Drops the engine's own fields (e.g. a dynamic provider's serialized code). */
function withoutEngineFields(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([key]) => !key.startsWith("__")));
}
