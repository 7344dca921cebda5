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
    /**
     * Leave the settings in the account on `pulumi destroy`, with a bucket
     * that is itself retained (the stage's log bucket).
     * @default false
     */
    retainOnDelete?: boolean;
    /**
     * Encrypt new objects with this customer managed KMS key (SSE-KMS, with
     * an S3 Bucket Key so S3 calls KMS once per bucket key rather than per
     * object). Readers then need kms:Decrypt on the key as well as
     * s3:GetObject (S3 user guide, "Using server-side encryption with AWS
     * KMS keys (SSE-KMS)"); a CloudFront OAC reader needs it granted in the
     * key policy (CloudFront developer guide, "Restrict access to an Amazon
     * S3 origin", SSE-KMS). Changing it re-encrypts only new objects.
     * @default undefined (SSE-S3, AES256)
     */
    kmsKeyArn?: pulumi.Input<string>;
}

/**
 * The settings every webstack bucket gets, named `${prefix}-ownership`,
 * `${prefix}-public-access` and `${prefix}-encryption`:
 * - object ownership `BucketOwnerEnforced` (ACLs off: only the policy decides who reads);
 * - the public-access blocks (all four on unless `allowPublicPolicy`);
 * - default encryption with a bucket key: SSE-KMS with `kmsKeyArn` when
 *   given (a production stage's key), SSE-S3 otherwise.
 *
 * Returns them for `dependsOn`: an object written or a policy attached
 * before they exist could be unencrypted, carry an ACL, or be refused.
 */
export function hardenBucket(prefix: string, bucket: aws.s3.Bucket, options: BucketHardeningOptions, parent: pulumi.Resource | undefined): pulumi.Resource[] {
    const publicPolicy = options.allowPublicPolicy ?? false;
    const opts = { parent, retainOnDelete: options.retainOnDelete };
    const ownership = new aws.s3.BucketOwnershipControls(
        `${prefix}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
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
        opts,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${prefix}-encryption`,
        {
            bucket: bucket.id,
            // Without a key, SSE-S3: it costs nothing and needs no key-policy
            // grant for CloudFront's OAC. With one, SSE-KMS under that key.
            rules: [{ applyServerSideEncryptionByDefault: defaultEncryption(options.kmsKeyArn), bucketKeyEnabled: true }],
        },
        opts,
    );
    return [ownership, publicAccess, encryption];
}

/** An IAM policy statement, as S3 stores it in a bucket policy. */
export type PolicyStatement = Record<string, unknown>;

/** The `Sid` of the TLS-only statement every webstack bucket policy carries. */
export const TLS_ONLY_SID = "TlsOnly";

/**
 * Deny every S3 action on the bucket and its objects to any request that
 * did not come over TLS: the statement AWS prescribes for Security Hub S3.5
 * ("S3 general purpose buckets should require requests to use SSL"; AWS
 * Config rule s3-bucket-ssl-requests-only: Deny, `s3:*`, both the bucket and
 * `bucket/*`, `Bool` `aws:SecureTransport` `false`).
 *
 * `exceptWebsiteReads` (S3 website hosting only): an S3 website endpoint
 * answers over HTTP only (S3 user guide, "Website endpoints": "Amazon S3
 * website endpoints do not support HTTPS"), so reads through it never carry
 * TLS and a full deny would turn the whole site into 403s. Then every action
 * but `s3:GetObject` is denied without TLS (NotAction): uploads, listings and
 * policy changes still need TLS; anonymous page reads do not. That is a
 * weaker statement than S3.5 asks for, which is why s3-website hosting is a
 * dev-only choice a production stage must acknowledge.
 */
export function denyInsecureTransport(bucketArn: string, options: { exceptWebsiteReads?: boolean } = {}): PolicyStatement {
    const actions = options.exceptWebsiteReads ? { NotAction: "s3:GetObject" } : { Action: "s3:*" };
    return {
        Sid: TLS_ONLY_SID,
        Effect: "Deny",
        Principal: "*",
        ...actions,
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** The bucket's default encryption: SSE-KMS under `kmsKeyArn`, or SSE-S3. */
export function defaultEncryption(kmsKeyArn: pulumi.Input<string> | undefined): aws.types.input.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault {
    return kmsKeyArn === undefined ? { sseAlgorithm: "AES256" } : { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn };
}
