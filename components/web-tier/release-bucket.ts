import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The private bucket that holds a web tier's release archives. */
export interface ReleaseBucket {
    bucketName: pulumi.Output<string>;
    /** The bucket's resources (for dependsOn: an upload must wait for its settings). */
    settings: pulumi.Resource[];
}

/**
 * A private, encrypted bucket for release archives: every public access path
 * blocked, ACLs disabled (BucketOwnerEnforced), SSE-S3 encryption by default.
 * `forceDestroy` is on because releases are rebuilt from the app folder at
 * any time; a leftover archive must not block `pulumi destroy`.
 */
export function createReleaseBucket(name: string, tags: Record<string, string>, parent: pulumi.Resource): ReleaseBucket {
    const bucket = new aws.s3.Bucket(`${name}-releases`, { forceDestroy: true, tags }, { parent });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-releases-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    const ownership = new aws.s3.BucketOwnershipControls(
        `${name}-releases-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-releases-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
        { parent },
    );
    return { bucketName: bucket.bucket, settings: [publicAccess, ownership, encryption] };
}
