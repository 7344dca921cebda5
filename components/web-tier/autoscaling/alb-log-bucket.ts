import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs, logBucketAccess } from "../../internal/access-logs";
import { denyInsecureTransport, hardenBucket, PolicyStatement } from "../../internal/bucket-hardening";
import { Versioning, versionBucket } from "../../internal/bucket-versioning";

/** Days the ALB's access logs are kept. */
export const ALB_LOG_RETENTION_DAYS = 90;

/** The key prefix the ALB writes under (ELB adds `AWSLogs/<account>/elasticloadbalancing/...`). */
export const ALB_LOG_PREFIX = "alb";

export interface AlbLogBucket {
    bucket: aws.s3.Bucket;
    /** Wait for these before the ALB is pointed at the bucket: ELB checks that it may write when logging is turned on. */
    ready: pulumi.Resource[];
}

/**
 * The bucket the ALB writes its access logs to: private, ACLs off, TLS
 * only, logs expire after {@link ALB_LOG_RETENTION_DAYS} days.
 *
 * SSE-S3, not the stage's KMS key: "The only server-side encryption option
 * that's supported is Amazon S3-managed keys (SSE-S3)" (ELB user guide,
 * "Enable access logs for your Application Load Balancer", bucket
 * requirements). The policy lets ELB's log delivery write under the prefix
 * of this account only: the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com` (regions opened from
 * August 2022 on) and, where AWS still delivers from its regional ELB
 * account (older regions), that account: the provider's
 * `aws.elb.getServiceAccount` knows it, and fails for the newer regions,
 * which then get the service principal only.
 */
export interface AlbLogBucketOptions {
    /** S3 server access logs of this bucket (WebTier's `accessLogs`). */
    accessLogs?: Required<AccessLogs>;
    /** Keep overwritten or deleted log objects a while (WebTier's `versioning`, on in production). */
    versioning?: Versioning;
    /** The ALB's region (the web tier's look-up), for ELB's log-delivery account there. */
    region: pulumi.Input<string>;
}

export function createAlbLogBucket(name: string, options: AlbLogBucketOptions, tags: Record<string, string>, parent: pulumi.Resource): AlbLogBucket {
    const prefix = `${name}-alb-logs`;
    // Logs are expendable: a non-empty log bucket must not block `pulumi destroy`.
    const bucket = new aws.s3.Bucket(prefix, { forceDestroy: true, tags }, { parent });
    const ready = hardenBucket(prefix, bucket, {}, parent);
    const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const legacyElbAccount = pulumi.output(options.region).apply((r) =>
        aws.elb
            .getServiceAccount({ region: r }, { parent })
            .then((found) => found.arn as string | undefined)
            .catch(() => undefined),
    );
    const policy = pulumi.all([bucket.arn, account, legacyElbAccount]).apply(([arn, accountId, elbAccountArn]) => {
        const writes = `${arn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`;
        const statements: PolicyStatement[] = [
            { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: writes },
            ...(elbAccountArn ? [{ Sid: "ElbLogDeliveryLegacyRegion", Effect: "Allow", Principal: { AWS: elbAccountArn }, Action: "s3:PutObject", Resource: writes }] : []),
            denyInsecureTransport(arn),
        ];
        return JSON.stringify({ Version: "2012-10-17", Statement: statements });
    });
    ready.push(new aws.s3.BucketPolicy(`${prefix}-policy`, { bucket: bucket.id, policy }, { parent, dependsOn: [...ready] }));
    // Logs expire; with versioning the expiry joins the versioning rules (a bucket has one lifecycle configuration).
    const expireLogs = { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: ALB_LOG_RETENTION_DAYS } };
    if (options.versioning) ready.push(...versionBucket(prefix, bucket, options.versioning, parent, [expireLogs]));
    else {
        ready.push(
            new aws.s3.BucketLifecycleConfiguration(
                `${prefix}-lifecycle`,
                { bucket: bucket.id, rules: [{ ...expireLogs, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }] },
                { parent },
            ),
        );
    }
    if (options.accessLogs) ready.push(logBucketAccess(prefix, bucket, options.accessLogs, parent));
    return { bucket, ready };
}
