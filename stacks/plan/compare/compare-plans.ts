import { PlanDocument, PlannedResource } from "../plan-document";
import { ComponentMode, componentModes, stripStage, topOf } from "./stage-modes";

/** A resource present in one stage only, named without its stage prefix. */
export interface OneSidedResource {
    type: string;
    name: string;
    /** The component (without stage prefix) it belongs to, or "stage" for stack-level resources. */
    component: string;
}

/** One input (or resource option) that differs between the two stages' copies of a resource. */
export interface InputDifference {
    /** The resource's name without the stage prefix. */
    resource: string;
    type: string;
    /** The dotted input path, or the option (`protect`, `retainOnDelete`). */
    setting: string;
    /** "size", "count" or "protection": why a reader cares. */
    category: SettingCategory;
    a: unknown;
    b: unknown;
}

export type SettingCategory = "size" | "count" | "protection";

/** What `npm run plan -- --compare a b` reports. */
export interface StageComparison {
    a: { stage: string; layout: string; production: boolean };
    b: { stage: string; layout: string; production: boolean };
    modes: { component: string; type: string; a?: string; b?: string }[];
    onlyInA: OneSidedResource[];
    onlyInB: OneSidedResource[];
    /** Sizes, counts and protection that differ, each listed. */
    differences: InputDifference[];
    /** Every other differing input (names, policies, settings): counted, with the resources that have one. */
    otherDifferences: { inputs: number; resources: string[] };
    /** Set when the stages differ in layout or a component's mode and one of them is production. */
    warnings: string[];
}

/**
 * The settings a reader of a comparison looks for, by the last key of the
 * input path. Everything else that differs is counted, not listed: the
 * names and tags of two stages always differ.
 */
const CATEGORY_OF: Record<string, SettingCategory> = {
    instanceType: "size",
    instanceClass: "size",
    allocatedStorage: "size",
    maxAllocatedStorage: "size",
    storageType: "size",
    volumeSize: "size",
    size: "size",
    iops: "size",
    throughput: "size",
    priceClass: "size",
    minSize: "count",
    maxSize: "count",
    desiredCapacity: "count",
    minElbCapacity: "count",
    multiAz: "count",
    deletionProtection: "protection",
    enableDeletionProtection: "protection",
    backupRetentionPeriod: "protection",
    skipFinalSnapshot: "protection",
    deleteAutomatedBackups: "protection",
    retentionInDays: "protection",
    publiclyAccessible: "protection",
    forceDestroy: "protection",
    protect: "protection",
    retainOnDelete: "protection",
};

/**
 * Compares two planned stages: layout and component modes, resources
 * matched by type and name without the stage prefix (`staging-web-fleet` ~
 * `prod-web-fleet`), then the inputs of the resources both have. Inputs
 * AWS computes at deploy time are stand-ins in a plan, so they are skipped;
 * a stage's own name inside a value (`/webstack/prod/...`) is not a difference.
 */
export function comparePlans(a: PlanDocument, b: PlanDocument): StageComparison {
    const modesA = componentModes(a);
    const modesB = componentModes(b);
    const componentNames = unique([...modesA, ...modesB].map((m) => m.component));
    const modes = componentNames.map((component) => {
        const inA = modesA.find((m) => m.component === component);
        const inB = modesB.find((m) => m.component === component);
        return { component, type: (inA ?? inB as ComponentMode).type, a: inA?.mode, b: inB?.mode };
    });

    const keyed = (plan: PlanDocument) => {
        const byName = new Map(plan.resources.map((r) => [r.name, r]));
        const map = new Map<string, { resource: PlannedResource; component: string }>();
        for (const resource of plan.resources) {
            if (resource.type.startsWith("pulumi:providers:")) continue;
            const top = topOf(resource, byName);
            const component = top.provider === null && top.type.startsWith("webstack:") ? stripStage(top.name, plan.stage) : "stage";
            map.set(`${resource.type} ${stripStage(resource.name, plan.stage)}`, { resource, component });
        }
        return map;
    };
    const inA = keyed(a);
    const inB = keyed(b);
    const oneSided = (from: Map<string, { resource: PlannedResource; component: string }>, other: typeof from, stage: string) =>
        [...from].filter(([key]) => !other.has(key)).map(([, { resource, component }]) => ({ type: resource.type, name: stripStage(resource.name, stage), component }));

    const differences: InputDifference[] = [];
    let otherInputs = 0;
    const otherResources = new Set<string>();
    for (const [key, left] of inA) {
        const right = inB.get(key);
        if (!right) continue;
        const name = stripStage(left.resource.name, a.stage);
        const changes = differingSettings(left.resource, a.stage, right.resource, b.stage);
        for (const change of changes) {
            const category = CATEGORY_OF[lastKey(change.setting)];
            if (category) differences.push({ resource: name, type: left.resource.type, setting: change.setting, category, a: change.a, b: change.b });
            else {
                otherInputs++;
                otherResources.add(name);
            }
        }
    }

    const comparison: StageComparison = {
        a: { stage: a.stage, layout: a.layout, production: a.production === true },
        b: { stage: b.stage, layout: b.layout, production: b.production === true },
        modes,
        onlyInA: oneSided(inA, inB, a.stage),
        onlyInB: oneSided(inB, inA, b.stage),
        differences,
        otherDifferences: { inputs: otherInputs, resources: [...otherResources] },
        warnings: [],
    };
    comparison.warnings = rehearsalWarnings(comparison);
    return comparison;
}

/**
 * A stage that is compared with production exists to rehearse it: a deploy
 * that works on another layout or another mode proves little about prod.
 */
function rehearsalWarnings(comparison: StageComparison): string[] {
    const { a, b } = comparison;
    if (!a.production && !b.production) return [];
    const warnings: string[] = [];
    if (a.layout !== b.layout) warnings.push(`${a.stage} and ${b.stage} use different layouts (${a.layout} vs ${b.layout})`);
    for (const mode of comparison.modes) {
        if (mode.a !== mode.b) warnings.push(`${a.stage} and ${b.stage} build ${mode.component} (${mode.type}) differently: ${mode.a ?? "absent"} vs ${mode.b ?? "absent"}`);
    }
    if (warnings.length === 0) return [];
    const rehearsal = a.production ? b.stage : a.stage;
    const production = a.production ? a.stage : b.stage;
    return [...warnings.map((w) => `${w}.`), `${rehearsal} exists to rehearse ${production}: give it the same layout and modes (smaller sizes are fine).`];
}

/** The inputs and options that differ, skipping values AWS computes at deploy time and the stages' own names. */
function differingSettings(left: PlannedResource, stageA: string, right: PlannedResource, stageB: string): { setting: string; a: unknown; b: unknown }[] {
    const skipped = new Set([...(left.computed ?? []), ...(right.computed ?? [])]);
    const leavesA = leaves(left.inputs, stageA);
    const leavesB = leaves(right.inputs, stageB);
    const changes: { setting: string; a: unknown; b: unknown }[] = [];
    for (const path of unique([...leavesA.keys(), ...leavesB.keys()])) {
        if (skipped.has(path) || [...skipped].some((s) => path.startsWith(`${s}.`))) continue;
        const valueA = leavesA.get(path);
        const valueB = leavesB.get(path);
        if (JSON.stringify(valueA) !== JSON.stringify(valueB)) changes.push({ setting: path, a: raw(left.inputs, path), b: raw(right.inputs, path) });
    }
    for (const option of ["protect", "retainOnDelete", "deleteBeforeReplace"] as const) {
        if (left[option] !== right[option]) changes.push({ setting: option, a: left[option], b: right[option] });
    }
    return changes;
}

/** The leaves of an input object by dotted path, with the stage's name replaced by a placeholder. */
function leaves(value: unknown, stage: string, path = "", into = new Map<string, unknown>()): Map<string, unknown> {
    if (Array.isArray(value)) value.forEach((item, index) => leaves(item, stage, `${path}.${index}`, into));
    else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) leaves(item, stage, `${path}.${key}`, into);
    else into.set(path.slice(1), typeof value === "string" ? value.split(stage).join("<stage>") : value);
    return into;
}

function raw(inputs: Record<string, unknown>, path: string): unknown {
    return path.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

/** "blockDeviceMappings.0.ebs.volumeSize" → "volumeSize". */
function lastKey(path: string): string {
    return path.split(".").filter((part) => !/^\d+$/.test(part)).pop() ?? path;
}

function unique<T>(items: T[]): T[] {
    return [...new Set(items)];
}
