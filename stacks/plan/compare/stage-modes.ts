import { PlanDocument, PlannedResource } from "../plan-document";

/** How one webstack component of a stage is built, read from what it creates. */
export interface ComponentMode {
    /** The component's name without the stage prefix, e.g. "web" for prod-web. */
    component: string;
    /** Its class, e.g. "WebTier". */
    type: string;
    /** e.g. "autoscaling", "rds", "cloudfront". */
    mode: string;
}

/**
 * The resource that gives a component class its mode, first match wins.
 * A mode is what its resources are, so the comparison needs no knowledge
 * of the stage files and sees an override (`--config webstack:web.mode=…`)
 * exactly as a deploy would.
 */
const MODE_MARKERS: Record<string, { type: string; mode: string }[]> = {
    WebTier: [
        { type: "aws:elasticbeanstalk/environment:Environment", mode: "beanstalk" },
        { type: "aws:autoscaling/group:Group", mode: "autoscaling" },
        { type: "aws:ec2/instance:Instance", mode: "instance" },
    ],
    ManagedDatabase: [
        { type: "aws:rds/instance:Instance", mode: "rds" },
        { type: "aws:ec2/instance:Instance", mode: "ec2" },
    ],
    StaticSite: [
        { type: "aws:cloudfront/distribution:Distribution", mode: "cloudfront" },
        { type: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", mode: "s3-website" },
    ],
};

/** Each webstack component of the plan with its mode ("present" for a component with one way of being built). */
export function componentModes(plan: PlanDocument): ComponentMode[] {
    const byName = new Map(plan.resources.map((r) => [r.name, r]));
    const components = plan.resources.filter((r) => r.provider === null && r.type.startsWith("webstack:"));
    return components.map((component) => {
        const type = component.type.split(":").pop() ?? component.type;
        const inside = plan.resources.filter((r) => topOf(r, byName) === component);
        const counted = (marker: { type: string }) => inside.filter((r) => r.type === marker.type).length;
        const marker = (MODE_MARKERS[type] ?? []).find((m) => counted(m) > 0);
        // Two fleets in one web tier is blue/green: say so, it changes how a release reaches users.
        const mode = marker ? (marker.mode === "autoscaling" && counted(marker) > 1 ? "autoscaling (blue/green)" : marker.mode) : "present";
        return { component: stripStage(component.name, plan.stage), type, mode };
    });
}

/** The top-level ancestor of a resource (itself at the top). */
export function topOf(resource: PlannedResource, byName: Map<string, PlannedResource>): PlannedResource {
    let top = resource;
    for (let parent = byName.get(top.parent ?? ""); parent; parent = byName.get(parent.parent ?? "")) top = parent;
    return top;
}

/** `prod-web-fleet` → `web-fleet`: names match across stages once the stage prefix is gone. */
export function stripStage(name: string, stage: string): string {
    return name.startsWith(`${stage}-`) ? name.slice(stage.length + 1) : name;
}
