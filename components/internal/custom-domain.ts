import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What a serving component (StaticSite, WebTier) needs to answer on a custom
 * domain. DnsAndTls produces it (`dns.cloudFrontDomain(...)`,
 * `dns.regionalDomain(...)`); users with their own certificate and zone can
 * write one by hand.
 */
export interface CustomDomain {
    /** The name to serve, e.g. `app.example.com`. */
    domainName: string;
    /** Further names served by the same endpoint, e.g. `www.app.example.com`. */
    aliases?: string[];
    /**
     * A validated ACM certificate covering `domainName` and `aliases`. For
     * CloudFront it must be in us-east-1; for a load balancer or Beanstalk, in
     * the stack's region.
     */
    certificateArn: pulumi.Input<string>;
    /** The Route 53 hosted zone the alias records go into. */
    hostedZoneId: pulumi.Input<string>;
}

/** Where an alias record points: a CloudFront distribution, an ALB, a Beanstalk environment. */
export interface AliasTarget {
    dnsName: pulumi.Input<string>;
    /** The target's own hosted zone id (CloudFront's is always Z2FDTNDATAQYW2). */
    hostedZoneId: pulumi.Input<string>;
}

export interface AliasRecordOptions {
    /** Also write an AAAA record (only where the target serves IPv6, e.g. CloudFront). */
    ipv6: boolean;
    /**
     * Replace a record of the same name that already exists in the zone.
     * Off by default so an existing site is never taken over by surprise.
     */
    allowOverwrite?: boolean;
    /** Let Route 53 answer only while the target is healthy (ALB, Beanstalk). */
    evaluateTargetHealth?: boolean;
    parent: pulumi.Resource;
    provider?: aws.Provider;
}

/** The A (and AAAA) alias records for `recordName`, named `${name}-a` / `${name}-aaaa`. */
export function createAliasRecords(
    name: string,
    zoneId: pulumi.Input<string>,
    recordName: string,
    target: AliasTarget,
    options: AliasRecordOptions,
): aws.route53.Record[] {
    const types: ("A" | "AAAA")[] = options.ipv6 ? ["A", "AAAA"] : ["A"];
    return types.map(
        (type) =>
            new aws.route53.Record(
                `${name}-${type.toLowerCase()}`,
                {
                    zoneId,
                    name: recordName,
                    type,
                    aliases: [
                        {
                            name: target.dnsName,
                            zoneId: target.hostedZoneId,
                            evaluateTargetHealth: options.evaluateTargetHealth ?? false,
                        },
                    ],
                    allowOverwrite: options.allowOverwrite ?? false,
                },
                { parent: options.parent, provider: options.provider },
            ),
    );
}
