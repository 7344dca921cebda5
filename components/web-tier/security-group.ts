import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface WebTierSecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** CIDR blocks allowed on SSH (22); empty means no SSH rule at all. */
    sshAllowedCidrs: string[];
    tags: Record<string, string>;
}

/**
 * The instance's security group: HTTP from anywhere (nginx on 80), SSH only
 * from the listed blocks, all outbound (the instance installs packages and
 * talks to S3, SSM and the database).
 *
 * No 443: instance mode cannot serve HTTPS (an ACM certificate cannot be
 * installed on an instance; see `WebTierArgs.domain`).
 *
 * Rules are separate `aws.vpc.SecurityGroup*Rule` resources, one per block,
 * so adding a block adds a rule instead of rewriting the group. The provider
 * removes the allow-all egress rule AWS puts in a new group, hence the
 * explicit egress rule.
 */
export function createSecurityGroup(name: string, args: WebTierSecurityGroupArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: args.vpcId, description: `web tier ${name}: HTTP in, SSH from allowed blocks only`, tags: args.tags },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-http`,
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0", description: "HTTP to nginx", tags: args.tags },
        { parent: group },
    );
    args.sshAllowedCidrs.forEach((cidr, index) => {
        const block = cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-ssh-${index}`,
            { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, ...block, description: `SSH from ${cidr}`, tags: args.tags },
            { parent: group },
        );
    });
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress`,
        { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "packages, S3, SSM, database", tags: args.tags },
        { parent: group },
    );
    return group;
}
