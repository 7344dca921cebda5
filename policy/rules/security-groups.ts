import { asList, CheckedResource, PlanView } from "../plan-view";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SECURITY_GROUP_RULE_TYPES = [INGRESS_RULE, EGRESS_RULE, LEGACY_RULE];

/**
 * One ingress permission, whichever way it is written: inline in the
 * group, as a `vpc.SecurityGroupIngressRule`, or as a legacy
 * `ec2.SecurityGroupRule` of type ingress.
 */
export interface Ingress {
    /** The resource that declares it (the group for inline rules). */
    declaredBy: CheckedResource;
    /** The group it opens, when that group is in the stage. */
    group: CheckedResource | undefined;
    fromPort: number;
    toPort: number;
    /** Address blocks it admits (IPv4 and IPv6). */
    cidrs: string[];
    /** Another security group it admits, by id. */
    sourceGroup?: string;
    /** A managed prefix list it admits, by id. */
    prefixList?: string;
}

function portRange(protocol: unknown, from: unknown, to: unknown): { fromPort: number; toPort: number } {
    // Protocol -1 ("all") opens every port whatever the ports say.
    if (protocol === "-1" || protocol === -1 || protocol === "all") return { fromPort: 0, toPort: 65535 };
    return { fromPort: Number(from ?? 0), toPort: Number(to ?? 65535) };
}

/** Every ingress permission in the stage. */
export function ingressRules(view: PlanView): Ingress[] {
    const found: Ingress[] = [];
    for (const group of view.ofType(SECURITY_GROUP)) {
        for (const rule of asList(group.inputs.ingress) as Record<string, unknown>[]) {
            found.push({
                declaredBy: group,
                group,
                ...portRange(rule.protocol, rule.fromPort, rule.toPort),
                cidrs: [...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)].map(String),
                sourceGroup: asList(rule.securityGroups).map(String)[0],
                prefixList: asList(rule.prefixListIds).map(String)[0],
            });
        }
    }
    for (const rule of view.ofType(INGRESS_RULE)) {
        const inputs = rule.inputs;
        found.push({
            declaredBy: rule,
            group: view.referenced(inputs.securityGroupId, SECURITY_GROUP),
            ...portRange(inputs.ipProtocol, inputs.fromPort, inputs.toPort),
            cidrs: [inputs.cidrIpv4, inputs.cidrIpv6].filter((cidr): cidr is string => typeof cidr === "string"),
            sourceGroup: inputs.referencedSecurityGroupId as string | undefined,
            prefixList: inputs.prefixListId as string | undefined,
        });
    }
    for (const rule of view.ofType(LEGACY_RULE).filter((candidate) => candidate.inputs.type === "ingress")) {
        const inputs = rule.inputs;
        found.push({
            declaredBy: rule,
            group: view.referenced(inputs.securityGroupId, SECURITY_GROUP),
            ...portRange(inputs.protocol, inputs.fromPort, inputs.toPort),
            cidrs: [...asList(inputs.cidrBlocks), ...asList(inputs.ipv6CidrBlocks)].map(String),
            sourceGroup: inputs.sourceSecurityGroupId as string | undefined,
            prefixList: asList(inputs.prefixListIds).map(String)[0],
        });
    }
    return found;
}

export function opensPort(rule: Ingress, port: number): boolean {
    return rule.fromPort <= port && port <= rule.toPort;
}

/** Descriptions of inline rules, which `description` on the group does not cover. */
export function inlineRulesWithoutDescription(group: CheckedResource): number {
    return [...asList(group.inputs.ingress), ...asList(group.inputs.egress)].filter((rule) => !(rule as { description?: unknown }).description).length;
}
