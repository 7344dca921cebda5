import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BucketHardeningOptions {
    /**
     * Turn off the two *policy* public-access blocks so a public-read bucket
     * policy can be attached (StaticSite's `s3-website` hosting). The two
     * *ACL* blocks stay on whatever this says: no object is ever public
     * through an ACL.
     * @default false
     */
    allowPublicPolicy?: boolean;
}

/**
 * The settings every webstack bucket gets, named `${prefix}-ownership`,
 * `${prefix}-public-access` and `${prefix}-encryption`:
 * - object ownership `BucketOwnerEnforced` (ACLs off: only the policy decides who reads);
 * - the public-access blocks (all four on unless `allowPublicPolicy`);
 * - SSE-S3 encryption by default, with a bucket key.
 *
 * Returns them for `dependsOn`: an object written or a policy attached
 * before they exist could be unencrypted, carry an ACL, or be refused.
 */
export function hardenBucket(prefix: string, bucket: aws.s3.Bucket, options: BucketHardeningOptions, parent: pulumi.Resource): pulumi.Resource[] {
    const publicPolicy = options.allowPublicPolicy ?? false;
    const ownership = new aws.s3.BucketOwnershipControls(
        `${prefix}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${prefix}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: !publicPolicy,
            restrictPublicBuckets: !publicPolicy,
        },
        { parent },
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${prefix}-encryption`,
        {
            bucket: bucket.id,
            // SSE-S3, not KMS: CloudFront's OAC can read SSE-KMS objects only
            // with an extra key-policy grant, and SSE-S3 costs nothing.
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
        },
        { parent },
    );
    return [ownership, publicAccess, encryption];
}
