import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { hardenBucket } from "../internal/bucket-hardening";

/** The private bucket that holds a web tier's release archives. */
export interface ReleaseBucket {
    bucketName: pulumi.Output<string>;
    /** The bucket's resources (for dependsOn: an upload must wait for its settings). */
    settings: pulumi.Resource[];
}

/**
 * A private, encrypted bucket for release archives, hardened like every
 * webstack bucket (see `hardenBucket`): every public access path blocked,
 * ACLs disabled, SSE-S3 encryption by default (SSE-KMS with `kmsKeyArn`).
 * `forceDestroy` is on because releases are rebuilt from the app folder at
 * any time; a leftover archive must not block `pulumi destroy`.
 */
export function createReleaseBucket(name: string, tags: Record<string, string>, parent: pulumi.Resource, kmsKeyArn?: pulumi.Input<string>): ReleaseBucket {
    const bucket = new aws.s3.Bucket(`${name}-releases`, { forceDestroy: true, tags }, { parent });
    // kmsKeyArn: SSE-KMS under the web tier's key; the instance role may decrypt with it via S3 (instance-role.ts).
    const settings = hardenBucket(`${name}-releases`, bucket, { kmsKeyArn }, parent);
    return { bucketName: bucket.bucket, settings };
}
