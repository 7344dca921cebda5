import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { invalid } from "./errors";

/**
 * How many days S3 keeps an overwritten or deleted object version before the
 * lifecycle rule deletes it. Long enough to notice and undo a bad publish or
 * a deleted release a month later; short enough that a site republished on
 * every deploy does not pay for every old copy forever.
 */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 30;

/** Days after which an unfinished multipart upload's parts are deleted (they are billed, and invisible in listings). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * Keep previous versions of every object (S3 versioning), so an overwrite or
 * a delete can be undone.
 * - `true`: versioning on, old versions deleted after 30 days;
 * - `{ noncurrentVersionDays }`: the same, after that many days.
 * @default false (no versioning: an overwritten object is gone)
 * @example { noncurrentVersionDays: 90 }
 */
export type VersioningArg = boolean | { noncurrentVersionDays?: number };

/** The resolved `versioning` arg: undefined when off. */
export interface Versioning {
    noncurrentVersionDays: number;
}

/** Checks a `versioning` arg; throws a ConfigError naming `setting`. */
export function resolveVersioning(setting: string, value: unknown): Versioning | undefined {
    if (value === undefined || value === false) return undefined;
    if (value === true) return { noncurrentVersionDays: DEFAULT_NONCURRENT_VERSION_DAYS };
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        invalid(setting, value, "it must be true, false or { noncurrentVersionDays }", `write ${setting}: true, or leave it out`);
    }
    const days = (value as { noncurrentVersionDays?: unknown }).noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    // S3 lifecycle NoncurrentDays: a positive whole number (S3 API reference, NoncurrentVersionExpiration).
    if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 36_500) {
        invalid(`${setting}.noncurrentVersionDays`, days, "it must be a whole number of days from 1 to 36500", `write e.g. noncurrentVersionDays: ${DEFAULT_NONCURRENT_VERSION_DAYS}`);
    }
    return { noncurrentVersionDays: days };
}

/**
 * Versioning on, and a lifecycle rule that deletes noncurrent versions after
 * `noncurrentVersionDays`, then the delete markers left alone, and
 * unfinished multipart uploads after 7 days,
 * named `${prefix}-versioning` and `${prefix}-lifecycle`. A bucket holds one
 * lifecycle configuration only (PutBucketLifecycleConfiguration replaces the
 * whole set), so no other code may give this bucket one.
 *
 * On the second `pulumi up` nothing changes; turning versioning off later
 * suspends it (S3 cannot un-version a bucket) and keeps the old versions
 * until the lifecycle rule, removed with it, would have deleted them.
 */
export function versionBucket(
    prefix: string,
    bucket: aws.s3.Bucket,
    versioning: Versioning,
    parent: pulumi.Resource,
    /** The bucket's other lifecycle rules (e.g. a log bucket's expiry): they must live in the same configuration. */
    otherRules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [],
): pulumi.Resource[] {
    const enabled = new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent });
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
        `${prefix}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-old-versions",
                    status: "Enabled",
                    // An empty filter: the rule applies to every object.
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: versioning.noncurrentVersionDays },
                    // A deleted file leaves a delete marker; once its old versions have expired the marker is
                    // alone and is removed too (S3 user guide, "Removing expired object delete markers").
                    expiration: { expiredObjectDeleteMarker: true },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                },
                ...otherRules,
            ],
        },
        // The provider's docs: a rule about noncurrent versions should wait for versioning.
        { parent, dependsOn: [enabled] },
    );
    return [enabled, lifecycle];
}
