import { COMPUTED_MARKER, describeSettings } from "./key-settings";
import { PlanDocument, PlannedResource } from "./plan-document";

/**
 * The plan as a human reads it: each component with its children, type and
 * name, a few key settings (values AWS computes at deploy time marked
 * "(computed)": the plan shows stand-ins), the region where it is not the
 * stack's, and whether it is protected; then the stack outputs.
 */
export function renderTree(plan: PlanDocument): string {
    const lines: string[] = [];
    const components = plan.resources.filter((r) => r.provider === null && !r.type.startsWith("pulumi:providers:")).length;
    lines.push(
        `Stage ${plan.stage}: layout ${plan.layout}, region ${plan.region}: ` +
            `${plan.resources.length - components} cloud resources in ${components} components`,
    );
    for (const warning of plan.warnings ?? []) lines.push(`WARNING ${warning}`);
    // A weakened production stage says so before anything else.
    for (const ack of plan.acknowledgements ?? []) {
        lines.push(`ACKNOWLEDGED webstack:acknowledge.${ack.acknowledgement}: ${ack.weakening}. Reason: ${ack.reason}`);
    }
    const children = new Map<string | null, PlannedResource[]>();
    for (const resource of plan.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const walk = (parent: string | null, indent: string) => {
        const list = ordered(children.get(parent) ?? [], parent);
        list.forEach((resource, index) => {
            const last = index === list.length - 1;
            lines.push(`${indent}${last ? "└─ " : "├─ "}${describe(resource, plan.region)}`);
            walk(resource.name, `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(null, "");
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(plan.outputs)) {
        const marker = plan.computedOutputs?.includes(key) ? ` ${COMPUTED_MARKER}` : "";
        lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}${marker}`);
    }
    return lines.join("\n");
}

/**
 * At the top, the network and other stack-level resources come before the
 * webstack components; elsewhere, registration order is kept.
 */
function ordered(resources: PlannedResource[], parent: string | null): PlannedResource[] {
    if (parent !== null) return resources;
    const isComponent = (r: PlannedResource) => r.type.startsWith("webstack:");
    return [...resources.filter((r) => !isComponent(r)), ...resources.filter(isComponent)];
}

function describe(resource: PlannedResource, stackRegion: string): string {
    const parts = [resource.type, resource.name, ...describeSettings(resource.type, resource.inputs, resource.computed)];
    if (resource.provider && resource.provider.region !== stackRegion) parts.push(`[region ${resource.provider.region}]`);
    if (resource.protect) parts.push("[protected]");
    return parts.join("  ");
}
