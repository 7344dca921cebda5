import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AliasTarget } from "../internal/custom-domain";

/** CloudFront's hosted zone id for alias records; the same for every distribution. */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** What `pointAt` accepts: an alias target, or a CloudFront distribution itself. */
export type PointAtTarget = AliasTarget | aws.cloudfront.Distribution;

/** The alias target of `target`: a distribution is aliased by its domain name in CloudFront's zone. */
export function aliasTargetOf(target: PointAtTarget): AliasTarget {
    if (aws.cloudfront.Distribution.isInstance(target)) {
        return { dnsName: target.domainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID };
    }
    return target;
}

/**
 * Whether `target` is a CloudFront distribution, decided while the program
 * runs (the number of records must be known then, not after deployment).
 *
 * A target written as `{ dnsName: cdn.domainName, hostedZoneId: cdn.hostedZoneId }`
 * holds Outputs, never equal to a string: comparing them with
 * `CLOUDFRONT_HOSTED_ZONE_ID` (as pointAt once did) never matched. So a
 * computed value counts as CloudFront's when a CloudFront distribution is
 * among the resources it was read from. `Output.resources()` is how Pulumi
 * itself collects an Output's dependencies (present since Pulumi 1.x, left
 * out of the published typings, hence the guarded call).
 */
export function isCloudFrontTarget(target: PointAtTarget): boolean {
    if (aws.cloudfront.Distribution.isInstance(target)) return true;
    const { hostedZoneId, dnsName } = target;
    if (typeof hostedZoneId === "string") return hostedZoneId === CLOUDFRONT_HOSTED_ZONE_ID;
    if (typeof dnsName === "string" && /\.cloudfront\.net\.?$/i.test(dnsName)) return true;
    return readFromDistribution(hostedZoneId) || readFromDistribution(dnsName);
}

function readFromDistribution(value: pulumi.Input<string>): boolean {
    if (!pulumi.Output.isInstance(value)) return false;
    const resources = (value as unknown as { resources?: () => Set<pulumi.Resource> }).resources;
    if (typeof resources !== "function") return false;
    return [...resources.call(value)].some((resource) => aws.cloudfront.Distribution.isInstance(resource));
}
