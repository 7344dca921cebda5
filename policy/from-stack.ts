import type { PolicyResource } from "@pulumi/policy";
import { CheckedResource, CheckedStage } from "./plan-view";

/** What the policy pack knows about the stack it runs in (pack/stack-settings.ts reads it). */
export interface StackSettings {
    /** The stack name, e.g. `prod`. */
    stack: string;
    /** Whether production rules apply, decided as the program decides it (stacks/config `parseStageConfig`). */
    production: boolean;
    /** The `webstack:acknowledge.<key>` weakenings in force. */
    acknowledged: string[];
    /** `aws:region`: the region of resources on the default provider when its properties do not name one. */
    region?: string;
}

/**
 * The checklist's view of the resources `pulumi preview` / `pulumi up`
 * hands a stack policy (@pulumi/policy `StackValidationArgs.resources`): the
 * same CheckedStage the offline plan gives (from-plan.ts), so the rules run
 * unchanged in both places.
 *
 * A stack policy sees each resource's state (its inputs and what AWS
 * computed: id, arn, name), so `props` serves as both inputs and outputs.
 * `props` is @pulumi/policy's unknown-checking proxy, kept as is: a rule that
 * reads a value still unknown during preview throws UnknownValueError, and
 * the policy server reports that one policy as "can't run during preview"
 * (advisory) instead of judging a guess (node_modules/@pulumi/policy/
 * server.js, makeAnalyzeStackRpcFun).
 */
export function stageFromStack(resources: readonly PolicyResource[], settings: StackSettings): CheckedStage {
    return {
        stage: settings.stack,
        production: settings.production,
        acknowledged: settings.acknowledged,
        resources: resources.map((resource) => checkedResource(resource, settings)),
    };
}

function checkedResource(resource: PolicyResource, settings: StackSettings): CheckedResource {
    return {
        type: resource.type,
        name: resource.name,
        parent: resource.parent?.name ?? null,
        provider: providerOf(resource, settings),
        inputs: resource.props,
        outputs: resource.props,
    };
}

/** The provider's name and region; null for components and providers, as in the plan. */
function providerOf(resource: PolicyResource, settings: StackSettings): CheckedResource["provider"] {
    const provider = resource.provider;
    if (!provider || resource.type.startsWith("pulumi:providers:")) return null;
    const region = typeof provider.props.region === "string" ? provider.props.region : settings.region;
    return { name: provider.name, region: region ?? "" };
}

/**
 * The URN of the resource a finding names, for the engine to attach the
 * violation to (a stack policy's report takes one). Undefined when the name
 * is not unique to one resource of that type.
 */
export function urnOf(resources: readonly PolicyResource[], name: string, type: string): string | undefined {
    const matches = resources.filter((resource) => resource.name === name && resource.type === type);
    return matches.length === 1 ? matches[0].urn : undefined;
}
