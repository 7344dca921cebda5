import { PlanDocument, PlannedResource } from "../plan-document";
import { kindOf, RESOURCE_KINDS, ResourceKind } from "./kinds";
import { References } from "./references";

/** A box in the picture: one resource, or every resource of one kind in one component. */
export interface DiagramNode {
    /** Safe in DOT and Mermaid: letters, digits, underscores. */
    id: string;
    /** Lines of text, first the kind. */
    label: string[];
    kind: ResourceKind;
    /** The group (component) it belongs to; null for the internet. */
    group: string | null;
    /** The planned resources it stands for. */
    resources: string[];
}

/** A component of the stage (or the stage's own shared resources), drawn as a cluster. */
export interface DiagramGroup {
    id: string;
    label: string;
    /** The component's logical name, e.g. prod-site; the stack for shared resources. */
    name: string;
}

/**
 * An arrow. "request" is the way a user's request travels; "tls" a
 * certificate serving an endpoint; "dns" a name pointing at (or validating)
 * something; "protects" a firewall in front of something.
 */
export interface DiagramEdge {
    from: string;
    to: string;
    label: string;
    link: "request" | "tls" | "dns" | "protects";
}

/** The stage as one graph, drawn as SVG (Graphviz) or Mermaid from the same model. */
export interface StageGraph {
    title: string;
    groups: DiagramGroup[];
    nodes: DiagramNode[];
    edges: DiagramEdge[];
}

/** The node every public entry point is reached from. */
export const INTERNET_ID = "internet";
const INTERNET_KIND: ResourceKind = { id: "internet", label: "Internet", drawn: "each", shape: "box", color: "#ffffff" };
/** The kind of a component's summary node (everything not drawn on its own). */
const SUMMARY_KIND: ResourceKind = { id: "summary", label: "Other resources", drawn: "summary", shape: "note", color: "#f8f9fa" };

/**
 * Builds the picture of a planned stage: each webstack component a group
 * (the stage's network, key and log bucket in one "shared" group), each
 * resource on a request path its own node, the rest folded by kind; then
 * the request paths, certificate, DNS and firewall links, all read from
 * the resources' inputs (which resource id, ARN or DNS name they use),
 * never from resource names.
 */
export function buildStageGraph(plan: PlanDocument): StageGraph {
    const drawn = plan.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    const byName = new Map(drawn.map((r) => [r.name, r]));
    const components = drawn.filter(isComponent);
    const shared: DiagramGroup = { id: safeId(`group_${plan.stage}_shared`), label: `Stage ${plan.stage}: network and shared resources`, name: plan.stage };
    const groups: DiagramGroup[] = components.map((c) => ({ id: safeId(`group_${c.name}`), label: `${componentClass(c.type)} ${c.name}`, name: c.name }));

    const groupOf = (resource: PlannedResource): DiagramGroup => {
        let top = resource;
        for (let parent = byName.get(top.parent ?? ""); parent; parent = byName.get(parent.parent ?? "")) top = parent;
        return groups.find((g) => g.name === top.name) ?? shared;
    };

    const nodes = new Map<string, DiagramNode>();
    const nodeOfResource = new Map<string, DiagramNode>();
    for (const resource of drawn.filter((r) => !isComponent(r))) {
        const group = groupOf(resource);
        const kind = kindIn(resource, group, components);
        const id = safeId(kind.drawn === "each" || kind.drawn === "linked" ? `n_${resource.name}_${kind.id}` : kind.drawn === "together" ? `${group.id}_${kind.id}` : `${group.id}_summary`);
        const node = nodes.get(id) ?? { id, label: [], kind: kind.drawn === "summary" ? SUMMARY_KIND : kind, group: group.id, resources: [] };
        node.resources.push(resource.name);
        nodes.set(id, node);
        nodeOfResource.set(resource.name, node);
    }
    const edges = linksOf(drawn, new References(drawn), (r) => nodeOfResource.get(r.name)?.id);
    // A resource on no path (a log bucket, the stage's key) is counted in its component's summary, not drawn apart.
    for (const node of [...nodes.values()]) {
        if (node.kind.drawn !== "linked" || edges.some((e) => e.from === node.id || e.to === node.id)) continue;
        nodes.delete(node.id);
        const summaryId = safeId(`${node.group}_summary`);
        const summary = nodes.get(summaryId) ?? { id: summaryId, label: [], kind: SUMMARY_KIND, group: node.group, resources: [] };
        summary.resources.push(...node.resources);
        nodes.set(summaryId, summary);
    }
    for (const node of nodes.values()) node.label = labelOf(node, byName, plan.region, (r) => kindIn(r, groupOf(r), components));
    const usedGroups = [...groups, shared].filter((g) => [...nodes.values()].some((n) => n.group === g.id));
    const internet: DiagramNode = { id: INTERNET_ID, label: ["Internet"], kind: INTERNET_KIND, group: null, resources: [] };
    const allNodes = edges.some((e) => e.from === INTERNET_ID) ? [internet, ...nodes.values()] : [...nodes.values()];
    return { title: `webstack ${plan.stage} (layout ${plan.layout}, ${plan.region})`, groups: usedGroups, nodes: allNodes, edges };
}

function isComponent(resource: PlannedResource): boolean {
    return resource.provider === null && resource.type.startsWith("webstack:");
}

/** "webstack:index:StaticSite" → "StaticSite". */
function componentClass(type: string): string {
    return type.split(":").pop() ?? type;
}

/** A ManagedDatabase's EC2 instance is the database server, not an app server. */
function kindIn(resource: PlannedResource, group: DiagramGroup, components: PlannedResource[]): ResourceKind {
    const kind = kindOf(resource.type);
    const component = components.find((c) => c.name === group.name);
    if (kind.id === "server" && component && componentClass(component.type) === "ManagedDatabase") return kindOf("aws:rds/instance:Instance");
    return kind;
}

/** The text of a node: its kind, then the resource and a key setting, or how many resources it folds. */
function labelOf(node: DiagramNode, byName: Map<string, PlannedResource>, stackRegion: string, kindOfResource: (r: PlannedResource) => ResourceKind): string[] {
    const resources = node.resources.map((name) => byName.get(name) as PlannedResource);
    if (node.kind.drawn === "together") return [`${node.kind.label} ×${resources.length}`];
    if (node.kind.drawn === "summary") {
        // Every resource of the component drawn nowhere else, counted by kind ("IAM ×6"), kinds in a fixed order.
        const counts = new Map<ResourceKind, number>();
        for (const resource of resources) counts.set(kindOfResource(resource), (counts.get(kindOfResource(resource)) ?? 0) + 1);
        const order = (kind: ResourceKind) => RESOURCE_KINDS.findIndex((k) => k.id === kind.id);
        const items = [...counts].sort(([a], [b]) => order(a) - order(b)).map(([kind, count]) => `${kind.label} ×${count}`);
        const lines = [`+ ${plural(resources.length, "resource")}:`];
        for (let i = 0; i < items.length; i += 2) lines.push(items.slice(i, i + 2).join(", "));
        return lines;
    }
    const resource = resources[0];
    const lines = [node.kind.label, resource.name];
    const detail = detailOf(resource);
    if (detail) lines.push(detail);
    if (resource.provider && resource.provider.region !== stackRegion) lines.push(`region ${resource.provider.region}`);
    return lines;
}

/** The one setting that tells a reader most about a resource. */
function detailOf(resource: PlannedResource): string | undefined {
    const i = resource.inputs;
    switch (resource.type) {
        case "aws:cloudfront/distribution:Distribution":
            if (!Array.isArray(i.aliases) || i.aliases.length === 0) return "cloudfront.net name";
            return i.aliases.length === 1 ? String(i.aliases[0]) : `${i.aliases[0]} +${i.aliases.length - 1}`;
        case "aws:lb/loadBalancer:LoadBalancer":
            return `${i.internal ? "internal" : "internet-facing"} ${i.loadBalancerType ?? "application"}`;
        case "aws:autoscaling/group:Group":
            return `${i.minSize}–${i.maxSize} instances`;
        case "aws:ec2/instance:Instance":
            return typeof i.instanceType === "string" ? i.instanceType : undefined;
        case "aws:rds/instance:Instance":
            return [i.engine, i.instanceClass, i.multiAz ? "Multi-AZ" : "single AZ"].filter(Boolean).join(" ");
        case "aws:acm/certificate:Certificate":
            return typeof i.domainName === "string" ? i.domainName : undefined;
        case "aws:wafv2/webAcl:WebAcl":
            return typeof i.scope === "string" ? i.scope : undefined;
        default:
            return undefined;
    }
}

/** Every arrow the plan's references justify, at most one per pair of nodes (the first found wins). */
function linksOf(resources: PlannedResource[], refs: References, nodeId: (r: PlannedResource) => string | undefined): DiagramEdge[] {
    const edges: DiagramEdge[] = [];
    const add = (from: PlannedResource | "internet" | undefined, to: PlannedResource | undefined, label: string, link: DiagramEdge["link"]) => {
        const fromId = from === "internet" ? INTERNET_ID : from && nodeId(from);
        const toId = to && nodeId(to);
        if (!fromId || !toId || fromId === toId) return;
        if (edges.some((e) => e.from === fromId && e.to === toId)) return;
        edges.push({ from: fromId, to: toId, label, link });
    };
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    // The compute behind a security group or target group: a launch template stands for the fleets that use it.
    const compute = (users: PlannedResource[]): PlannedResource[] =>
        users.flatMap((user) => {
            if (user.type === "aws:ec2/launchTemplate:LaunchTemplate") return ofType("aws:autoscaling/group:Group").filter((g) => refs.usersOf(String(user.outputs?.id)).includes(g));
            return ["server", "load-balancer", "database", "function", "fleet", "environment"].includes(kindOf(user.type).id) ? [user] : [];
        });
    const securityGroupUsers = (sgId: unknown) => (typeof sgId === "string" ? compute(refs.usersOf(sgId)) : []);

    // Request paths. CloudFront faces the internet and forwards to its origins.
    for (const cdn of ofType("aws:cloudfront/distribution:Distribution")) {
        add("internet", cdn, "HTTPS", "request");
        for (const origin of list(cdn.inputs.origins)) add(cdn, refs.endpoint(origin.domainName), `origin ${origin.originId ?? ""}`.trim(), "request");
    }
    // S3 website hosting: the bucket answers the internet itself, over HTTP.
    for (const website of ofType("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration")) add("internet", refs.owner(website.inputs.bucket), "HTTP (website)", "request");
    // A listener forwards from its load balancer to the fleets or instances of its target groups.
    for (const listener of ofType("aws:lb/listener:Listener")) {
        const lb = refs.owner(listener.inputs.loadBalancerArn);
        for (const tg of targetGroupsOf(listener)) {
            for (const user of compute(refs.usersOf(tg))) if (user !== lb) add(lb, user, `${listener.inputs.protocol ?? ""} :${listener.inputs.port ?? ""} forward`.trim(), "request");
            for (const attachment of ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment").filter((a) => a.inputs.targetGroupArn === tg)) add(lb, refs.owner(attachment.inputs.targetId), "forward", "request");
        }
    }
    // Security group rules: open to the world → from the internet; from another group → from its users.
    for (const rule of ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
        const port = rule.inputs.fromPort === rule.inputs.toPort ? `:${rule.inputs.fromPort}` : `:${rule.inputs.fromPort}-${rule.inputs.toPort}`;
        const targets = securityGroupUsers(rule.inputs.securityGroupId);
        const open = rule.inputs.cidrIpv4 === "0.0.0.0/0" || rule.inputs.cidrIpv6 === "::/0";
        const sources = open ? ["internet" as const] : securityGroupUsers(rule.inputs.referencedSecurityGroupId);
        for (const source of sources) for (const target of targets) add(source, target, `${rule.inputs.ipProtocol ?? "tcp"} ${port}`, "request");
    }
    // Certificates serve CloudFront and HTTPS listeners.
    for (const cdn of ofType("aws:cloudfront/distribution:Distribution")) {
        add(refs.owner((cdn.inputs.viewerCertificate as { acmCertificateArn?: unknown } | undefined)?.acmCertificateArn), cdn, "TLS", "tls");
        add(refs.owner(cdn.inputs.webAclId), cdn, "filters", "protects");
    }
    for (const listener of ofType("aws:lb/listener:Listener")) add(refs.owner(listener.inputs.certificateArn), refs.owner(listener.inputs.loadBalancerArn), "TLS", "tls");
    for (const extra of ofType("aws:lb/listenerCertificate:ListenerCertificate")) {
        const listener = refs.owner(extra.inputs.listenerArn);
        add(refs.owner(extra.inputs.certificateArn), listener && refs.owner(listener.inputs.loadBalancerArn), "TLS", "tls");
    }
    for (const association of ofType("aws:wafv2/webAclAssociation:WebAclAssociation")) add(refs.owner(association.inputs.webAclArn), refs.owner(association.inputs.resourceArn), "filters", "protects");
    // DNS: alias records point at what serves the name; validation proves a certificate.
    for (const record of ofType("aws:route53/record:Record")) for (const alias of list(record.inputs.aliases)) add(record, refs.owner(alias.name), `alias ${record.inputs.name}`, "dns");
    for (const validation of ofType("aws:acm/certificateValidation:CertificateValidation")) add(validation, refs.owner(validation.inputs.certificateArn), "DNS validation", "dns");
    return edges;
}

function targetGroupsOf(listener: PlannedResource): string[] {
    const arns: string[] = [];
    for (const action of list(listener.inputs.defaultActions)) {
        if (typeof action.targetGroupArn === "string") arns.push(action.targetGroupArn);
        const forward = action.forward as { targetGroups?: unknown } | undefined;
        for (const tg of list(forward?.targetGroups)) if (typeof tg.arn === "string") arns.push(tg.arn);
    }
    return arns;
}

function list(value: unknown): Record<string, unknown>[] {
    return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : [];
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** An id DOT and Mermaid both accept unquoted. */
export function safeId(text: string): string {
    return text.replace(/[^A-Za-z0-9_]/g, "_");
}
