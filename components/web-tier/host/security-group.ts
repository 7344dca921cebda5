import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The port nginx listens on (boot/deploy-release.sh: `--listen "80
 * default_server"`): the only port the world, or CloudFront, may reach.
 */
export const NGINX_HTTP_PORT = 80;

/**
 * The AWS-managed prefix list of CloudFront's origin-facing servers
 * (CloudFront developer guide, "Use the CloudFront managed prefix list";
 * VPC user guide, "AWS-managed prefix lists"). It is global: the same name
 * in every region, with a region-specific `pl-…` id, hence the look-up.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * Rules a security group may hold per direction by default (VPC user guide,
 * "Amazon VPC quotas": 60 inbound rules per security group, adjustable). A
 * rule that references a prefix list counts as the list's maximum entries,
 * its "weight": 55 for CloudFront's origin-facing list ("AWS-managed prefix
 * list weight"). So behind CloudFront only 5 inbound IPv4 rules are left.
 */
export const INBOUND_RULES_PER_GROUP = 60;
export const CLOUDFRONT_PREFIX_LIST_WEIGHT = 55;

export interface WebTierSecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** CIDR blocks allowed on SSH (22); empty means no SSH rule at all. */
    sshAllowedCidrs: string[];
    /**
     * Open HTTP only to CloudFront's origin-facing servers (this prefix list
     * id) instead of the whole IPv4 internet.
     */
    httpFromPrefixListId?: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The CloudFront origin-facing prefix list's id in the stack's region. */
export function cloudFrontOriginFacingPrefixListId(parent: pulumi.Resource): pulumi.Output<string> {
    return aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent }).id;
}

/**
 * The instance's security group: HTTP from anywhere (nginx on 80), or only
 * from CloudFront when the web tier sits behind it; SSH only from the listed
 * blocks; all outbound (the instance installs packages and talks to S3, SSM
 * and the database).
 *
 * No 443: instance mode cannot serve HTTPS (an ACM certificate cannot be
 * installed on an instance; see `WebTierArgs.domain`).
 *
 * Rules are separate `aws.vpc.SecurityGroup*Rule` resources, one per block,
 * so adding a block adds a rule instead of rewriting the group. The HTTP
 * rule keeps its name (`${name}-http`) whichever source it allows, so
 * turning `behindCloudFront` on or off changes that one rule instead of
 * adding one and deleting another. The group's description never mentions
 * the source: a new description would replace the group (and the instance's
 * membership with it). The provider removes the allow-all egress rule AWS
 * puts in a new group, hence the explicit egress rule.
 */
export function createSecurityGroup(name: string, args: WebTierSecurityGroupArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: args.vpcId, description: `web tier ${name}: HTTP in, SSH from allowed blocks only`, tags: args.tags },
        { parent },
    );
    const httpSource =
        args.httpFromPrefixListId === undefined
            ? { cidrIpv4: "0.0.0.0/0", description: "HTTP to nginx" }
            : { prefixListId: args.httpFromPrefixListId, description: "HTTP to nginx from CloudFront origin-facing servers only" };
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-http`,
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: NGINX_HTTP_PORT, toPort: NGINX_HTTP_PORT, ...httpSource, tags: args.tags },
        { parent: group },
    );
    addSshRules(`${name}-ssh`, group, args.sshAllowedCidrs, args.tags);
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress`,
        { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "packages, S3, SSM, database", tags: args.tags },
        { parent: group },
    );
    return group;
}

/** One SSH ingress rule per block, named `${prefix}-<i>`, children of the group (an IPv6 block gets a cidrIpv6 rule). */
export function addSshRules(prefix: string, group: aws.ec2.SecurityGroup, cidrs: string[], tags: Record<string, string>): void {
    cidrs.forEach((cidr, index) => {
        const block = cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
        new aws.vpc.SecurityGroupIngressRule(
            `${prefix}-${index}`,
            { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, ...block, description: `SSH from ${cidr}`, tags },
            { parent: group },
        );
    });
}
