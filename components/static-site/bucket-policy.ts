import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, PolicyStatement as Statement } from "../internal/bucket-hardening";
import { RESERVED_DIRECTORY } from "./sync/keys";

/** The keys of the sync's bookkeeping (it lists every file and hash of the site): never served. */
function manifestKeys(bucketArn: string): string {
    return `${bucketArn}/${RESERVED_DIRECTORY}*`;
}

/**
 * CloudFront hosting: only this distribution may read objects, through
 * Origin Access Control. The `AWS:SourceArn` condition is what AWS's OAC
 * guide prescribes, so another distribution (even in the same account)
 * cannot read the bucket. The sync manifest stays unreadable even to it, and
 * every request that is not over TLS is refused.
 */
export function cloudFrontReadPolicy(bucketArn: string, distributionArn: string): object {
    const cloudFront = { Service: "cloudfront.amazonaws.com" };
    const statements: Statement[] = [
        {
            Sid: "OnlyThisDistributionReads",
            Effect: "Allow",
            Principal: cloudFront,
            Action: "s3:GetObject",
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
        },
        { Sid: "SyncManifestIsPrivate", Effect: "Deny", Principal: cloudFront, Action: "s3:GetObject", Resource: manifestKeys(bucketArn) },
        denyInsecureTransport(bucketArn),
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * S3 website hosting: anyone may read objects (GetObject only: no listing,
 * no writing), except the sync manifest, which only principals of the
 * owning account may read. A missing condition key (an anonymous request
 * has no aws:PrincipalAccount) makes StringNotEquals true, so anonymous
 * readers are denied (IAM docs, "condition keys that are not present").
 * Every request but a read must come over TLS: the website endpoint is HTTP
 * only, so reads are the one exception (see `denyInsecureTransport`).
 */
export function publicReadPolicy(bucketArn: string, accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PublicReadsSiteFiles", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn}/*` },
            {
                Sid: "SyncManifestIsPrivate",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: manifestKeys(bucketArn),
                Condition: { StringNotEquals: { "aws:PrincipalAccount": accountId } },
            },
            denyInsecureTransport(bucketArn, { exceptWebsiteReads: true }),
        ],
    };
}

/**
 * The bucket policy resource. It waits for the public access block (and
 * ownership controls): S3 rejects a public policy while BlockPublicPolicy is
 * still on, which it is by default on new buckets.
 */
export function createBucketPolicy(
    name: string,
    bucket: aws.s3.Bucket,
    document: pulumi.Input<object>,
    dependsOn: pulumi.Resource[],
    parent: pulumi.Resource,
): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, policy: pulumi.jsonStringify(document) },
        { parent, dependsOn },
    );
}
