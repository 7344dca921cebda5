import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucketAccess } from "../internal/access-logs";
import { hardenBucket } from "../internal/bucket-hardening";
import { versionBucket } from "../internal/bucket-versioning";
import { Hosting, ResolvedStaticSiteArgs } from "./args";

/** The site's bucket and the settings that keep it what it should be. */
export interface SiteBucket {
    bucket: aws.s3.Bucket;
    /** Every resource that must exist before objects are read or the policy is written. */
    guards: pulumi.Resource[];
}

/**
 * The bucket the site's files live in, hardened (see `hardenBucket`): ACLs
 * off, SSE-S3 (SSE-KMS with `kmsKeyArn`), and all four public-access blocks on for `cloudfront`
 * hosting. For `s3-website`, the two *policy* blocks are off so the
 * public-read policy can be attached; the two *ACL* blocks stay on.
 *
 * `forceDestroy`: the bucket holds nothing but the build output, which every
 * deploy writes again, so removing the site empties it instead of failing
 * (old versions included, when `versioning` keeps them).
 * With `versioning`, overwritten and deleted files are kept for a while;
 * with `accessLogs`, every request to the bucket is logged.
 */
export function createSiteBucket(
    name: string,
    hosting: Hosting,
    tags: Record<string, string>,
    parent: pulumi.Resource,
    keeping: Pick<ResolvedStaticSiteArgs, "versioning" | "accessLogs" | "kmsKeyArn"> = {},
): SiteBucket {
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: true, tags }, { parent });
    // kmsKeyArn: SSE-KMS under that key instead of SSE-S3 (cloudfront hosting only, see args.ts).
    const guards = hardenBucket(name, bucket, { allowPublicPolicy: hosting === "s3-website", kmsKeyArn: keeping.kmsKeyArn }, parent);
    if (keeping.versioning) guards.push(...versionBucket(name, bucket, keeping.versioning, parent));
    if (keeping.accessLogs) guards.push(logBucketAccess(name, bucket, keeping.accessLogs, parent));
    return { bucket, guards };
}

/**
 * S3 website hosting (s3-website mode): `index.html` for directories and
 * the error document for everything S3 cannot find. The endpoint is HTTP only.
 */
export function createWebsiteConfiguration(
    name: string,
    bucket: aws.s3.Bucket,
    indexDocument: string,
    errorDocument: string,
    parent: pulumi.Resource,
): aws.s3.BucketWebsiteConfiguration {
    return new aws.s3.BucketWebsiteConfiguration(
        `${name}-website`,
        { bucket: bucket.id, indexDocument: { suffix: indexDocument }, errorDocument: { key: errorDocument } },
        { parent },
    );
}
