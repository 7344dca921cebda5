import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs } from "../components/internal/access-logs";
import { denyInsecureTransport, hardenBucket, PolicyStatement } from "../components/internal/bucket-hardening";
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from "../components/internal/bucket-versioning";
import { CLOUDFRONT_LOGS_REGION } from "../components/static-site/cdn-logs";

/** How long access logs are kept in a production stage. */
export const LOG_RETENTION_DAYS = 90;

/** How long an overwritten or deleted log object's old version is kept (log objects are written once; this is a safety net). */
export const LOG_NONCURRENT_VERSION_DAYS = 7;

/** The stage's log bucket, as the components take it. */
export interface StageLogBucket {
    bucket: aws.s3.Bucket;
    /** What to pass to a component's `accessLogs`. */
    accessLogs: AccessLogs;
}

/**
 * The log bucket's policy. Only AWS's log writers may write, only for this
 * account, and only over TLS:
 * - S3 server access logs: `logging.s3.amazonaws.com` `s3:PutObject`, with
 *   `aws:SourceAccount` and an `aws:SourceArn` matching the stage's own
 *   buckets (S3 user guide, "Enabling Amazon S3 server access logging",
 *   "Grant permissions to the logging service principal by using a bucket
 *   policy"; ACL grants are refused with BucketOwnerEnforced). The stage's
 *   buckets are auto-named from their components, `${stage}-...`, so
 *   `arn:<partition>:s3:::${stage}-*` covers them (auto-names are lower
 *   case) and nothing of other stages.
 * - CloudFront standard logs (v2): `delivery.logs.amazonaws.com`
 *   `s3:PutObject` with `s3:x-amz-acl` bucket-owner-full-control, and
 *   `s3:GetBucketAcl` + `s3:ListBucket`, from this account's delivery
 *   sources in us-east-1 (CloudWatch Logs user guide, "Logs sent to
 *   Amazon S3" [V2] policy: AWSLogDeliveryWrite, AWSLogDeliveryAclCheck).
 *   Written here, AWS does not append them itself on the first delivery,
 *   which would make the next `pulumi up` remove them again.
 * - the TLS-only deny every webstack bucket has.
 */
export function logBucketPolicy(bucketArn: string, stage: string, accountId: string, partition: string): object {
    const fromLogDelivery = {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${CLOUDFRONT_LOGS_REGION}:${accountId}:delivery-source:*` },
    };
    const statements: PolicyStatement[] = [
        {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:${partition}:s3:::${stage.toLowerCase()}-*` } },
        },
        {
            Sid: "AWSLogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { ...fromLogDelivery, StringEquals: { ...fromLogDelivery.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        {
            Sid: "AWSLogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucketArn,
            Condition: fromLogDelivery,
        },
        denyInsecureTransport(bucketArn),
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The production stage's log bucket, `${stage}-logs`: where every bucket of
 * the stage writes its S3 server access logs and the distribution its
 * CloudFront standard logs. Created in the stack's region (server access
 * logs must go to a bucket in the source bucket's region and account).
 *
 * - Hardened like every bucket (`hardenBucket`): ACLs off
 *   (BucketOwnerEnforced), all public access blocked, and SSE-S3. Never
 *   SSE-KMS, even when the stage has a KMS key: "server access log delivery
 *   to a bucket with default encryption SSE-KMS is not supported" (S3 user
 *   guide, "Enabling Amazon S3 server access logging"; only SSE-S3).
 * - Versioned (checklist rule 5), logs expire after 90 days, old versions
 *   after 7, unfinished uploads after 7, so the bucket stays bounded.
 * - It does not log its own access: logs of the log bucket would be written
 *   into itself, each write logged again. A documented waiver of checklist
 *   rule 6 (S3.9) for this bucket only.
 * - `pulumi destroy` leaves it (retainOnDelete, with its policy and
 *   lifecycle): logs are evidence, and the expiry empties it within 90 days.
 */
export function createLogBucket(stage: string, tags: Record<string, string>): StageLogBucket {
    const name = `${stage}-logs`;
    const opts = { retainOnDelete: true };
    const bucket = new aws.s3.Bucket(name, { tags }, opts);
    const guards = hardenBucket(name, bucket, { retainOnDelete: true }, undefined);
    const account = aws.getCallerIdentityOutput({}).accountId;
    const partition = aws.getPartitionOutput({}).partition;
    new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, policy: pulumi.jsonStringify(pulumi.all([bucket.arn, account, partition]).apply(([arn, accountId, p]) => logBucketPolicy(arn, stage, accountId, p))) },
        { ...opts, dependsOn: guards },
    );
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: LOG_RETENTION_DAYS },
                    noncurrentVersionExpiration: { noncurrentDays: LOG_NONCURRENT_VERSION_DAYS },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                },
            ],
        },
        { ...opts, dependsOn: [versioning] },
    );
    return { bucket, accessLogs: { bucket: bucket.bucket } };
}
