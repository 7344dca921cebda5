import { coversPublicInternet } from "../../components/internal/cidr";
import { asList, CheckedResource, isTrue, PlanView, policyStatements } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";
import { ingressRules, inlineRulesWithoutDescription, opensPort, SECURITY_GROUP, SECURITY_GROUP_RULE_TYPES } from "./security-groups";

const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const VOLUME = "aws:ebs/volume:Volume";
const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const MACHINES = [INSTANCE, LAUNCH_TEMPLATE];
const ADMIN_PORTS = [22, 3389];

function perMachine(view: PlanView, rule: number, check: (machine: CheckedResource) => string[]): Violation[] {
    return view.ofType(...MACHINES).flatMap((machine) => check(machine).map((problem) => violation(rule, machine, problem)));
}

/** The disks a machine boots with: root, extra and launch-template mappings. */
function disks(machine: CheckedResource): { name: string; encrypted: unknown; kmsKeyId: unknown }[] {
    const inputs = machine.inputs;
    if (machine.type === LAUNCH_TEMPLATE) {
        return (asList(inputs.blockDeviceMappings) as { deviceName?: string; ebs?: { encrypted?: unknown; kmsKeyId?: unknown } }[])
            .filter((mapping) => mapping.ebs)
            .map((mapping) => ({ name: mapping.deviceName ?? "a block device", encrypted: mapping.ebs!.encrypted, kmsKeyId: mapping.ebs!.kmsKeyId }));
    }
    const root = (inputs.rootBlockDevice ?? {}) as { encrypted?: unknown; kmsKeyId?: unknown };
    const extra = asList(inputs.ebsBlockDevices) as { deviceName?: string; encrypted?: unknown; kmsKeyId?: unknown }[];
    return [{ name: "the root volume", encrypted: root.encrypted, kmsKeyId: root.kmsKeyId }, ...extra.map((device) => ({ name: device.deviceName ?? "a volume", encrypted: device.encrypted, kmsKeyId: device.kmsKeyId }))];
}

/** Subnets with a default route to an internet gateway. */
export function publicSubnetIds(view: PlanView): Set<string> {
    const internetGateways = new Set(view.ofType("aws:ec2/internetGateway:InternetGateway").map((gateway) => String(gateway.outputs?.id)));
    const publicTables = new Set(
        view
            .ofType("aws:ec2/route:Route")
            .filter((route) => (route.inputs.destinationCidrBlock === "0.0.0.0/0" || route.inputs.destinationIpv6CidrBlock === "::/0") && internetGateways.has(String(route.inputs.gatewayId)))
            .map((route) => String(route.inputs.routeTableId)),
    );
    return new Set(
        view
            .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
            .filter((association) => publicTables.has(String(association.inputs.routeTableId)))
            .map((association) => String(association.inputs.subnetId)),
    );
}

/** The security groups a machine is in. */
function machineGroups(machine: CheckedResource): string[] {
    const inputs = machine.inputs;
    const interfaces = asList(inputs.networkInterfaces) as { securityGroups?: unknown }[];
    return [...asList(inputs.vpcSecurityGroupIds), ...asList(inputs.securityGroups), ...interfaces.flatMap((nic) => asList(nic.securityGroups))].map(String);
}

/** Strings in user data that can only be secrets: a redacted Pulumi secret, an AWS access key id, a private key. */
const SECRET_IN_USER_DATA = [/\[secret\]/, /\bAKIA[0-9A-Z]{16}\b/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

export const ec2Rules: ChecklistRule[] = [
    {
        number: 23,
        mirrors: "CKV_AWS_79 + CKV_AWS_341 · EC2.8 · AutoScaling.3",
        title: "instance metadata: IMDSv2 required, hop limit 1",
        dev: "keep",
        severity: "mandatory",
        types: MACHINES,
        check: (view) =>
            perMachine(view, 23, (machine) => {
                const options = (machine.inputs.metadataOptions ?? {}) as { httpTokens?: string; httpPutResponseHopLimit?: unknown };
                const problems: string[] = [];
                if (options.httpTokens !== "required") problems.push(`httpTokens is ${options.httpTokens ?? "unset"}, not required (IMDSv1 stays open)`);
                if (Number(options.httpPutResponseHopLimit) !== 1) problems.push(`httpPutResponseHopLimit is ${String(options.httpPutResponseHopLimit ?? "unset")}, not 1`);
                return problems;
            }),
    },
    {
        number: 24,
        mirrors: "CKV_AWS_8 · EC2.3 / EC2.7 · AwsSolutions-EC26",
        title: "EBS volumes encrypted, with the stage's KMS key in production",
        dev: "looser",
        severity: "mandatory",
        types: [...MACHINES, VOLUME],
        check: (view) => {
            const problems = (name: string, encrypted: unknown, kmsKeyId: unknown): string[] => {
                if (!isTrue(encrypted)) return [`${name} is not encrypted`];
                return view.production && !kmsKeyId ? [`${name} is encrypted with the AWS-managed key, not the stage's key`] : [];
            };
            return [
                ...perMachine(view, 24, (machine) => disks(machine).flatMap((disk) => problems(disk.name, disk.encrypted, disk.kmsKeyId))),
                ...view.ofType(VOLUME).flatMap((volume) => problems("the volume", volume.inputs.encrypted, volume.inputs.kmsKeyId).map((problem) => violation(24, volume, problem))),
            ];
        },
    },
    {
        number: 25,
        mirrors: "CKV_AWS_88 · EC2.9 / EC2.25",
        title: "instances have no public IP and sit in private subnets",
        dev: "relax",
        severity: "mandatory",
        types: MACHINES,
        check: (view) => {
            const publicSubnets = publicSubnetIds(view);
            return perMachine(view, 25, (machine) => {
                const inputs = machine.inputs;
                const interfaces = asList(inputs.networkInterfaces) as { associatePublicIpAddress?: unknown }[];
                const problems: string[] = [];
                if (isTrue(inputs.associatePublicIpAddress) || interfaces.some((nic) => isTrue(nic.associatePublicIpAddress))) problems.push("gets a public IP address");
                if (typeof inputs.subnetId === "string" && publicSubnets.has(inputs.subnetId)) problems.push("is in a public subnet");
                return problems;
            });
        },
    },
    {
        number: 26,
        mirrors: "CKV_AWS_24/25 · EC2.13/14 · EC2.53/54 · AwsSolutions-EC23",
        title: "no SSH or RDP from the internet; in production no SSH rule at all (Session Manager instead)",
        dev: "looser",
        severity: "mandatory",
        types: [SECURITY_GROUP, ...SECURITY_GROUP_RULE_TYPES],
        check: (view) => {
            const found: Violation[] = [];
            for (const port of ADMIN_PORTS) {
                const rules = ingressRules(view).filter((rule) => opensPort(rule, port));
                // Judged per group over all its rules: 0.0.0.0/1 + 128.0.0.0/1 is the whole internet too.
                const groups = new Set(rules.map((rule) => rule.group));
                for (const group of groups) {
                    const ofGroup = rules.filter((rule) => rule.group === group);
                    const cidrs = ofGroup.flatMap((rule) => rule.cidrs);
                    if (coversPublicInternet(cidrs)) found.push(violation(26, ofGroup[0].declaredBy, `port ${port} is open to the whole internet (${cidrs.join(", ")})`));
                    else if (view.production) found.push(violation(26, ofGroup[0].declaredBy, `port ${port} is open (production reaches instances through Session Manager)`));
                }
            }
            return found;
        },
    },
    {
        number: 27,
        mirrors: "EC2.18/19 · CKV_AWS_277",
        title: "an instance's security groups admit traffic only from other security groups (the load balancer's)",
        dev: "keep",
        severity: "mandatory",
        types: MACHINES,
        check: (view) => {
            const rules = ingressRules(view);
            return perMachine(view, 27, (machine) =>
                machineGroups(machine).flatMap((groupId) =>
                    rules
                        .filter((rule) => rule.group && String(rule.group.outputs?.id) === groupId && !rule.sourceGroup)
                        .map((rule) => `${rule.declaredBy.name} admits ${[...rule.cidrs, rule.prefixList].filter(Boolean).join(", ")} on ${rule.fromPort}-${rule.toPort}, not a security group`),
                ),
            );
        },
    },
    {
        number: 28,
        mirrors: "CKV2_AWS_41 · SSM.1",
        title: "an instance profile whose role lets Session Manager in; no SSH key pair",
        dev: "keep",
        severity: "mandatory",
        types: MACHINES,
        check: (view) =>
            perMachine(view, 28, (machine) => {
                const inputs = machine.inputs;
                const problems: string[] = [];
                if (inputs.keyName) problems.push(`has an SSH key pair (${String(inputs.keyName)})`);
                const profileReference = machine.type === LAUNCH_TEMPLATE ? (inputs.iamInstanceProfile as { name?: unknown; arn?: unknown } | undefined)?.name ?? (inputs.iamInstanceProfile as { arn?: unknown } | undefined)?.arn : inputs.iamInstanceProfile;
                const profile = view.referenced(profileReference, "aws:iam/instanceProfile:InstanceProfile");
                if (!profile) problems.push("has no instance profile of this stage");
                else if (!roleAllowsSessionManager(view, profile.inputs.role)) problems.push(`the role of ${profile.name} does not allow ssm:UpdateInstanceInformation`);
                return problems;
            }),
    },
    {
        number: 29,
        mirrors: "CKV_AWS_23 · AwsSolutions-EC27",
        title: "security groups and their rules have descriptions",
        dev: "keep",
        severity: "mandatory",
        types: [SECURITY_GROUP, ...SECURITY_GROUP_RULE_TYPES],
        check: (view) => [
            ...view.ofType(SECURITY_GROUP).flatMap((group) => {
                const problems: string[] = [];
                if (!group.inputs.description) problems.push("has no description");
                const missing = inlineRulesWithoutDescription(group);
                if (missing) problems.push(`${missing} inline rule(s) have no description`);
                return problems.map((problem) => violation(29, group, problem));
            }),
            ...view.ofType(...SECURITY_GROUP_RULE_TYPES).filter((rule) => !rule.inputs.description).map((rule) => violation(29, rule, "has no description")),
        ],
    },
    {
        number: 30,
        mirrors: "EC2.2 · CKV2_AWS_12 · CIS 5.4",
        title: "each VPC's default security group is managed with no rules",
        dev: "relax",
        severity: "mandatory",
        types: [VPC],
        check: (view) =>
            view.ofType(VPC).flatMap((vpc) => {
                const managed = view.referring(vpc, "vpcId", DEFAULT_SECURITY_GROUP);
                if (managed.length === 0) return [violation(30, vpc, "its default security group is not managed, so it keeps AWS's allow-all-within-the-group rules")];
                return managed
                    .filter((group) => asList(group.inputs.ingress).length || asList(group.inputs.egress).length)
                    .map((group) => violation(30, group, "the default security group has rules"));
            }),
    },
    {
        number: 31,
        mirrors: "CKV_AWS_46",
        title: "no secrets in user data",
        dev: "keep",
        severity: "mandatory",
        types: MACHINES,
        check: (view) =>
            perMachine(view, 31, (machine) => {
                const userData = [machine.inputs.userData, machine.inputs.userDataBase64].filter((value): value is string => typeof value === "string");
                const decoded = userData.map((value) => (machine.type === LAUNCH_TEMPLATE || value === machine.inputs.userDataBase64 ? Buffer.from(value, "base64").toString("utf8") : value));
                return SECRET_IN_USER_DATA.filter((pattern) => [...userData, ...decoded].some((text) => pattern.test(text))).map((pattern) => `user data holds a secret (${pattern.source})`);
            }),
    },
];

/** Whether the role named by `roleReference` has a policy that allows ssm:UpdateInstanceInformation. */
function roleAllowsSessionManager(view: PlanView, roleReference: unknown): boolean {
    const role = view.referenced(roleReference, "aws:iam/role:Role");
    if (!role) return false;
    const inline = view.referring(role, "role", "aws:iam/rolePolicy:RolePolicy").map((policy) => policy.inputs.policy);
    const attached = view.referring(role, "role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    if (attached.some((attachment) => String(attachment.inputs.policyArn).endsWith("/AmazonSSMManagedInstanceCore"))) return true;
    const managed = attached.map((attachment) => view.referenced(attachment.inputs.policyArn, "aws:iam/policy:Policy")?.inputs.policy);
    return [...inline, ...managed].some((document) =>
        (policyStatements(document) ?? []).some((statement) => statement.Effect === "Allow" && asList(statement.Action).some((action) => action === "ssm:UpdateInstanceInformation" || action === "ssm:*")),
    );
}
