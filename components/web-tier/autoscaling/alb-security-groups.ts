import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addSshRules, NGINX_HTTP_PORT } from "../host/security-group";

export interface AlbSecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** The listener ports clients may reach: 443 and 80 with a domain, 80 without. */
    ports: number[];
    /** Only CloudFront's origin-facing servers (this prefix list) instead of the whole internet. */
    fromPrefixListId?: pulumi.Input<string>;
    sshAllowedCidrs: string[];
    /** A further listener port open to these blocks only (blue/green's preview listener), whatever `fromPrefixListId` says. */
    preview?: { port: number; cidrs: string[] };
    tags: Record<string, string>;
}

export interface AlbSecurityGroups {
    /** The ALB's group: the listener ports in, nginx on the app servers out. */
    alb: aws.ec2.SecurityGroup;
    /** The app servers' group: nginx's port from the ALB's group only, SSH as listed, all out. */
    app: aws.ec2.SecurityGroup;
}

/**
 * The two groups of the autoscaling mode. The app servers are reachable
 * on nginx's port from the ALB's group only (a group reference, no CIDR),
 * so even instances in public subnets take no request that did not come
 * through the ALB. Rules are separate resources, one per source, as in
 * host/security-group.ts, and the groups' descriptions never change (a new
 * description replaces a group).
 *
 * Behind CloudFront only the port the distribution uses is opened, and
 * only to CloudFront's origin-facing prefix list: each rule that
 * references it weighs 55 of the group's 60 inbound rules (VPC quotas,
 * "AWS-managed prefix list weight"), so two such rules would not fit.
 */
export function createAlbSecurityGroups(name: string, args: AlbSecurityGroupArgs, parent: pulumi.Resource): AlbSecurityGroups {
    const alb = new aws.ec2.SecurityGroup(`${name}-alb-sg`, { vpcId: args.vpcId, description: `web tier ${name}: load balancer`, tags: args.tags }, { parent });
    const app = new aws.ec2.SecurityGroup(`${name}-app-sg`, { vpcId: args.vpcId, description: `web tier ${name}: app servers, from the load balancer only`, tags: args.tags }, { parent });

    const ports = args.fromPrefixListId === undefined ? args.ports : [Math.max(...args.ports)];
    for (const port of ports) {
        const sources =
            args.fromPrefixListId === undefined
                ? [
                      { suffix: "", source: { cidrIpv4: "0.0.0.0/0" } },
                      { suffix: "-v6", source: { cidrIpv6: "::/0" } },
                  ]
                : [{ suffix: "", source: { prefixListId: args.fromPrefixListId } }];
        for (const { suffix, source } of sources) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-in-${port}${suffix}`,
                { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...source, description: `clients on ${port}`, tags: args.tags },
                { parent: alb },
            );
        }
    }
    for (const [index, cidr] of (args.preview?.cidrs ?? []).entries()) {
        const port = args.preview?.port as number;
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-preview-${index}`,
            { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }), description: `preview listener on ${port}`, tags: args.tags },
            { parent: alb },
        );
    }
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-alb-to-app`,
        { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: NGINX_HTTP_PORT, toPort: NGINX_HTTP_PORT, referencedSecurityGroupId: app.id, description: "nginx on the app servers", tags: args.tags },
        { parent: alb },
    );

    new aws.vpc.SecurityGroupIngressRule(
        `${name}-app-from-alb`,
        { securityGroupId: app.id, ipProtocol: "tcp", fromPort: NGINX_HTTP_PORT, toPort: NGINX_HTTP_PORT, referencedSecurityGroupId: alb.id, description: "HTTP to nginx from the load balancer", tags: args.tags },
        { parent: app },
    );
    addSshRules(`${name}-app-ssh`, app, args.sshAllowedCidrs, args.tags);
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-app-egress`,
        { securityGroupId: app.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "packages, S3, SSM, database", tags: args.tags },
        { parent: app },
    );
    return { alb, app };
}
