import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { invalid } from "./errors";

/**
 * Where a component writes its access logs: S3 server access logs of each
 * bucket it creates and, for StaticSite on CloudFront, the distribution's
 * standard logs (v2).
 *
 * The log bucket must (S3 user guide, "Enabling Amazon S3 server access
 * logging" and "Permissions for log delivery"):
 * - be in the same region and account as the buckets that log to it;
 * - be encrypted with SSE-S3 (AES256): server access logs cannot be written
 *   to a bucket whose default encryption is SSE-KMS;
 * - have a bucket policy letting `logging.s3.amazonaws.com` `s3:PutObject`
 *   (with `aws:SourceAccount`/`aws:SourceArn` conditions; ACL grants do not
 *   work when the bucket has Object Ownership BucketOwnerEnforced), and,
 *   for CloudFront, `delivery.logs.amazonaws.com` (CloudWatch Logs user
 *   guide, "Logs sent to Amazon S3" [V2]);
 * - not log to itself.
 * The stage program's log bucket (stacks/log-bucket.ts) is one.
 * @example { bucket: logBucket.bucket, prefix: "prod/" }
 */
export interface AccessLogs {
    /** The name of the log bucket. */
    bucket: pulumi.Input<string>;
    /**
     * Prepended to every key the component's logs are written under, e.g.
     * `"web/"`. Empty, or segments ending in `/`.
     * @default ""
     */
    prefix?: string;
}

/** Key prefixes: safe S3 key characters (S3 user guide, "Object key naming"), in `/`-terminated segments. */
const PREFIX_PATTERN = /^([A-Za-z0-9!_.*'()-]+\/)*$/;

/** Checks an `accessLogs` arg; throws a ConfigError naming `setting`. */
export function resolveAccessLogs(setting: string, value: unknown): Required<AccessLogs> | undefined {
    if (value === undefined) return undefined;
    const logs = value as Partial<AccessLogs> | null;
    if (typeof logs !== "object" || logs === null || (typeof logs.bucket !== "string" && !pulumi.Output.isInstance(logs.bucket))) {
        invalid(`${setting}.bucket`, logs?.bucket, "access logs need the name of a log bucket", `pass ${setting}: { bucket: logBucket.bucket }, or leave ${setting} out`);
    }
    if (typeof logs.bucket === "string" && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(logs.bucket)) {
        invalid(`${setting}.bucket`, logs.bucket, "it is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)", "pass the bucket's name, not its ARN or URL");
    }
    const prefix = logs.prefix ?? "";
    if (typeof prefix !== "string" || !PREFIX_PATTERN.test(prefix)) {
        invalid(`${setting}.prefix`, prefix, "it must be empty or key segments each ending in / (letters, digits, !_.*'()-)", 'write e.g. prefix: "web/"');
    }
    return { bucket: logs.bucket, prefix };
}

/**
 * S3 server access logs of `bucket` to the log bucket, under
 * `<prefix><resource name>/`, named `${name}-access-logs`. Delivery is best
 * effort and can lag by hours (S3 user guide, "Best-effort server log
 * delivery"); nothing is billed but the log objects' storage.
 */
export function logBucketAccess(name: string, bucket: aws.s3.Bucket, logs: Required<AccessLogs>, parent: pulumi.Resource): aws.s3.BucketLogging {
    return new aws.s3.BucketLogging(`${name}-access-logs`, { bucket: bucket.id, targetBucket: logs.bucket, targetPrefix: `${logs.prefix}${name}/` }, { parent });
}
