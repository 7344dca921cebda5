import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Hosting } from "./args";

/** The site's bucket and the settings that keep it what it should be. */
export interface SiteBucket {
    bucket: aws.s3.Bucket;
    /** Every resource that must exist before objects are read or the policy is written. */
    guards: pulumi.Resource[];
}

/**
 * The bucket the site's files live in, with:
 * - object ownership `BucketOwnerEnforced` (ACLs off: only the policy decides who reads);
 * - SSE-S3 encryption with a bucket key;
 * - all four public-access blocks on for `cloudfront` hosting. For
 *   `s3-website`, the two *policy* blocks are off so the public-read policy
 *   can be attached, and the two *ACL* blocks stay on: no object is ever
 *   public through an ACL.
 *
 * `forceDestroy`: the bucket holds nothing but the build output, which every
 * deploy writes again, so removing the site empties it instead of failing.
 */
export function createSiteBucket(name: string, hosting: Hosting, tags: Record<string, string>, parent: pulumi.Resource): SiteBucket {
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: true, tags }, { parent });
    const ownership = new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    const publicWebsite = hosting === "s3-website";
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: !publicWebsite,
            restrictPublicBuckets: !publicWebsite,
        },
        { parent },
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            // SSE-S3, not KMS: CloudFront's OAC can read SSE-KMS objects only
            // with an extra key-policy grant, and SSE-S3 costs nothing.
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
        },
        { parent },
    );
    return { bucket, guards: [ownership, publicAccess, encryption] };
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
