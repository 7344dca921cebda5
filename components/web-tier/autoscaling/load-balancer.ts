import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs } from "../../internal/access-logs";
import { Versioning } from "../../internal/bucket-versioning";
import { ApiOrigin } from "../../internal/api-origin";
import { createAliasRecords, CustomDomain } from "../../internal/custom-domain";
import { cloudFrontOriginFacingPrefixListId } from "../host/security-group";
import { ALB_LOG_PREFIX, createAlbLogBucket } from "./alb-log-bucket";
import { createAlbSecurityGroups } from "./alb-security-groups";
import { protectLoadBalancer } from "./alb-waf";
import { ResolvedLoadBalancer } from "./args";

/**
 * The TLS policy of the HTTPS listener: TLS 1.3 and TLS 1.2 with forward
 * secrecy only (ELB user guide, "Security policies for your Application
 * Load Balancer"; security checklist row 14).
 */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    settings: ResolvedLoadBalancer;
    /** HTTPS on this name with its regional certificate, and alias records in its zone. */
    domain?: CustomDomain;
    /** Only CloudFront's origin-facing servers may reach the ALB. */
    behindCloudFront: boolean;
    sshAllowedCidrs: string[];
    /** S3 server access logs of the ALB's log bucket (WebTier's `accessLogs`). */
    accessLogs?: Required<AccessLogs>;
    /** Versioning of the ALB's log bucket (WebTier's `versioning`). */
    versioning?: Versioning;
    /** The stack's region (WebTier's look-up). */
    region: pulumi.Input<string>;
    /** A further listener port, open to these blocks only (blue/green's preview listener). */
    preview?: { port: number; cidrs: string[] };
    tags: Record<string, string>;
}

export interface LoadBalancer {
    loadBalancer: aws.lb.LoadBalancer;
    /** The regional certificate of the HTTPS listeners (with a domain). */
    certificateArn?: pulumi.Input<string>;
    albSecurityGroup: aws.ec2.SecurityGroup;
    /** The app servers' group: nginx's port from the ALB's group only. */
    appSecurityGroup: aws.ec2.SecurityGroup;
    /** `https://<domain>` with a domain, else `http://<ALB DNS name>`. */
    url: pulumi.Output<string>;
    https: boolean;
    apiOrigin: ApiOrigin;
}

/**
 * The Application Load Balancer in front of the fleet:
 * - internet-facing in the public subnets (two AZs at least), invalid
 *   header fields dropped (request smuggling through malformed headers),
 *   desync mitigation "defensive" (AWS's default, set on purpose so a
 *   review sees it), deletion protection in production, access logs to its
 *   own bucket, a regional WAF web ACL in production;
 * - its listeners come from {@link createListeners}, once the caller knows
 *   where they forward (target-group.ts makes the target groups).
 */
export function createLoadBalancer(name: string, args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancer {
    const { settings, domain } = args;
    const https = domain !== undefined;
    const groups = createAlbSecurityGroups(
        name,
        {
            vpcId: args.vpcId,
            ports: https ? [80, 443] : [80],
            fromPrefixListId: args.behindCloudFront ? cloudFrontOriginFacingPrefixListId(parent) : undefined,
            sshAllowedCidrs: args.sshAllowedCidrs,
            preview: args.preview,
            tags: args.tags,
        },
        parent,
    );
    const logs = createAlbLogBucket(name, { accessLogs: args.accessLogs, versioning: args.versioning, region: args.region }, args.tags, parent);
    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [groups.alb.id],
            ipAddressType: "ipv4",
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            enableDeletionProtection: settings.deletionProtection,
            idleTimeout: settings.idleTimeoutSeconds,
            accessLogs: { enabled: true, bucket: logs.bucket.bucket, prefix: ALB_LOG_PREFIX },
            tags: args.tags,
        },
        // ELB checks that it may write to the bucket when logging is turned on.
        { parent, dependsOn: logs.ready },
    );
    if (settings.waf) protectLoadBalancer(name, loadBalancer.arn, args.tags, parent);
    if (domain) {
        // ipv4 only: no AAAA record (the ALB has no IPv6 address).
        for (const recordName of [domain.domainName, ...(domain.aliases ?? [])]) {
            createAliasRecords(`${name}-alias-${recordName}`, domain.hostedZoneId, recordName, { dnsName: loadBalancer.dnsName, hostedZoneId: loadBalancer.zoneId }, { ipv6: false, evaluateTargetHealth: true, parent });
        }
    }
    return {
        loadBalancer,
        certificateArn: domain?.certificateArn,
        albSecurityGroup: groups.alb,
        appSecurityGroup: groups.app,
        url: domain ? pulumi.output(`https://${domain.domainName}`) : pulumi.interpolate`http://${loadBalancer.dnsName}`,
        https,
        apiOrigin: domain ? { domainName: domain.domainName, protocol: "https", httpsPort: 443 } : { domainName: loadBalancer.dnsName, protocol: "http", httpPort: 80 },
    };
}

export interface Listeners {
    listeners: aws.lb.Listener[];
    /** The listener that serves the app (HTTPS with a domain, else HTTP); the other one only redirects. */
    servingListener: aws.lb.Listener;
}

/**
 * The client-facing listeners: with a domain, HTTPS on 443
 * ({@link ALB_TLS_POLICY}) and HTTP on 80 answering 301 to HTTPS; without
 * one, HTTP on 80 only. The serving listener's default action is
 * `servingAction`; `dependsOn` holds it back (blue/green's health gate).
 */
export function createListeners(
    name: string,
    balancer: LoadBalancer,
    servingAction: pulumi.Input<aws.types.input.lb.ListenerDefaultAction>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
    dependsOn: pulumi.Resource[] = [],
): Listeners {
    const loadBalancerArn = balancer.loadBalancer.arn;
    if (balancer.https) {
        const serving = new aws.lb.Listener(
            `${name}-https`,
            { loadBalancerArn, port: 443, protocol: "HTTPS", sslPolicy: ALB_TLS_POLICY, certificateArn: balancer.certificateArn, defaultActions: [servingAction], tags },
            { parent, dependsOn },
        );
        const redirect = new aws.lb.Listener(
            `${name}-http`,
            { loadBalancerArn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }], tags },
            { parent },
        );
        return { listeners: [serving, redirect], servingListener: serving };
    }
    const serving = new aws.lb.Listener(`${name}-http`, { loadBalancerArn, port: 80, protocol: "HTTP", defaultActions: [servingAction], tags }, { parent, dependsOn });
    return { listeners: [serving], servingListener: serving };
}
