import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs, logBucketAccess } from "../../internal/access-logs";
import { denyInsecureTransport, hardenBucket } from "../../internal/bucket-hardening";
import { Versioning, versionBucket } from "../../internal/bucket-versioning";

/** The private bucket that holds a web tier's release archives. */
export interface ReleaseBucket {
    bucketName: pulumi.Output<string>;
    /** The bucket's resources (for dependsOn: an upload must wait for its settings). */
    settings: pulumi.Resource[];
}

/** What the release bucket keeps and reports beyond the hardening every bucket gets. */
export interface ReleaseBucketOptions {
    /** Keep old object versions (WebTier's `versioning`). */
    versioning?: Versioning;
    /** Server access logs (WebTier's `accessLogs`). */
    accessLogs?: Required<AccessLogs>;
    /** SSE-KMS under this key instead of SSE-S3 (WebTier's `kmsKeyArn`). */
    kmsKeyArn?: pulumi.Input<string>;
}

/**
 * A private, encrypted bucket for release archives, hardened like every
 * webstack bucket (see `hardenBucket`): every public access path blocked,
 * ACLs disabled, SSE-S3 encryption by default (SSE-KMS with `kmsKeyArn`), and a policy refusing every
 * request that is not over TLS (the instance fetches archives with the AWS
 * CLI, which uses HTTPS). With `versioning`, old versions are kept for a
 * while; with `accessLogs`, every request is logged.
 * `forceDestroy` is on because releases are rebuilt from the app folder at
 * any time; a leftover archive must not block `pulumi destroy`.
 */
export function createReleaseBucket(name: string, tags: Record<string, string>, parent: pulumi.Resource, options: ReleaseBucketOptions = {}): ReleaseBucket {
    const prefix = `${name}-releases`;
    const bucket = new aws.s3.Bucket(prefix, { forceDestroy: true, tags }, { parent });
    // kmsKeyArn: SSE-KMS under the web tier's key; the instance role may decrypt with it via S3 (instance-role.ts).
    const settings = hardenBucket(prefix, bucket, { kmsKeyArn: options.kmsKeyArn }, parent);
    const policy = new aws.s3.BucketPolicy(
        `${prefix}-policy`,
        { bucket: bucket.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [bucket.arn.apply((arn) => denyInsecureTransport(arn))] }) },
        // S3 refuses a bucket policy while the public access block is being written.
        { parent, dependsOn: settings },
    );
    settings.push(policy);
    if (options.versioning) settings.push(...versionBucket(prefix, bucket, options.versioning, parent));
    if (options.accessLogs) settings.push(logBucketAccess(prefix, bucket, options.accessLogs, parent));
    return { bucketName: bucket.bucket, settings };
}
