/**
 * What the checklist rules read: the resources of one stage, as the offline
 * plan (stacks/plan) describes them, plus what the stage is. The shape is
 * the plan JSON's, so the same rules run over `npm run plan -- <stage> --json`
 * and, later, inside `pulumi up` through the policy pack.
 */
export interface CheckedResource {
    /** The Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
    type: string;
    /** The logical name. */
    name: string;
    /** The parent's logical name, or null at the top. */
    parent: string | null;
    /** The provider it uses and the region it deploys to; null for components. */
    provider?: { name: string; region: string } | null;
    inputs: Record<string, unknown>;
    /** Ids, ARNs and names AWS computes (stand-ins in an offline plan). */
    outputs?: Record<string, unknown>;
}

export interface CheckedStage {
    /** The stage name, e.g. `prod`. */
    stage: string;
    /** Whether production rules apply (`webstack:production`, or a stack name starting with prod). */
    production: boolean;
    /** The production weakenings acknowledged in the stage file (`webstack:acknowledge.<key>`), by key. */
    acknowledged: string[];
    resources: CheckedResource[];
}

/** Look-ups over one stage's resources that several rules need. */
export class PlanView {
    private readonly byName = new Map<string, CheckedResource>();

    constructor(readonly stage: CheckedStage) {
        for (const resource of stage.resources) this.byName.set(resource.name, resource);
    }

    get production(): boolean {
        return this.stage.production;
    }

    ofType(...types: string[]): CheckedResource[] {
        return this.stage.resources.filter((resource) => types.includes(resource.type));
    }

    /** The nearest ancestor (or the resource itself) of one of the given types. */
    ancestorOfType(resource: CheckedResource, type: string): CheckedResource | undefined {
        for (let current: CheckedResource | undefined = resource; current; current = current.parent ? this.byName.get(current.parent) : undefined) {
            if (current.type === type) return current;
        }
        return undefined;
    }

    /**
     * The resource a reference (an id, name or ARN held in another
     * resource's input) points at, among the given types.
     */
    referenced(reference: unknown, ...types: string[]): CheckedResource | undefined {
        if (typeof reference !== "string" || reference === "") return undefined;
        return this.ofType(...types).find((candidate) => identifiers(candidate).includes(reference));
    }

    /** The resources of the given types whose `input` refers to `target`. */
    referring(target: CheckedResource, input: string, ...types: string[]): CheckedResource[] {
        const ids = identifiers(target);
        return this.ofType(...types).filter((resource) => {
            const value = resource.inputs[input];
            return typeof value === "string" && ids.includes(value);
        });
    }
}

/** Every value another resource may use to refer to this one. */
export function identifiers(resource: CheckedResource): string[] {
    const values = [resource.outputs?.id, resource.outputs?.arn, resource.outputs?.name, resource.outputs?.bucket, resource.outputs?.zoneId, resource.inputs.name, resource.inputs.bucket];
    return values.filter((value): value is string => typeof value === "string" && value !== "");
}

/**
 * Terraform's tri-state booleans arrive as strings in some v7 inputs (e.g.
 * a launch template's `ebs.encrypted`, pulumi/pulumi-aws#2257).
 */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** A JSON policy document held in an input, or undefined when it is not readable JSON. */
export function policyStatements(document: unknown): Record<string, unknown>[] | undefined {
    if (typeof document !== "string") return undefined;
    try {
        const parsed = JSON.parse(document) as { Statement?: unknown };
        const statements = parsed.Statement;
        if (Array.isArray(statements)) return statements as Record<string, unknown>[];
        if (typeof statements === "object" && statements !== null) return [statements as Record<string, unknown>];
        return [];
    } catch {
        return undefined;
    }
}

/** A value or list of values as a list. */
export function asList(value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}
