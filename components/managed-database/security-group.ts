import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The database's own security group. It has no inline rules: every client
 * group gets its own `aws.vpc.SecurityGroupIngressRule`, so clients can be
 * added later (`ManagedDatabase.allowFrom`) without the inline rules and the
 * separate ones fighting over the group. The provider removes the default
 * allow-all egress rule from a new VPC group (see the note on egress in
 * @pulumi/aws ec2/securityGroup.d.ts), so an RDS database gets no egress.
 */
export function createDatabaseSecurityGroup(
    name: string,
    vpcId: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId, description: `Database ${name}: engine port from its client groups only`, tags: { ...tags, Name: `${name}-sg` } },
        { parent },
    );
}

/** One client group allowed to reach the engine port (TCP only). */
export function allowClient(
    ruleName: string,
    securityGroupId: pulumi.Input<string>,
    clientGroupId: pulumi.Input<string>,
    port: number,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
        ruleName,
        {
            securityGroupId,
            referencedSecurityGroupId: clientGroupId,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: "database clients",
            tags,
        },
        { parent },
    );
}

/**
 * ec2 mode only: HTTPS out, which the instance needs for the AL2023 package
 * repositories (served from S3), Secrets Manager and SSM Session Manager,
 * directly or through VPC endpoints. Nothing else leaves the instance.
 */
export function allowHttpsOut(name: string, securityGroupId: pulumi.Input<string>, tags: Record<string, string>, parent: pulumi.Resource): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(
        `${name}-https-out`,
        { securityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "package repositories, Secrets Manager, SSM", tags },
        { parent },
    );
}
