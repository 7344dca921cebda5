import type { S3Client } from "@aws-sdk/client-s3";
import { invalid } from "../../internal/errors";
import { DEFAULT_LOCK_LEASE_SECONDS } from "./deploy-lock";
import { CLOUDFRONT_MAX_PATHS_IN_PROGRESS, DEFAULT_INVALIDATION_THRESHOLD } from "./invalidation-paths";
import type { Invalidator } from "./invalidator";
import { normalizePrefix } from "./keys";
import { ProgressListener } from "./progress";
import { ReleaseRules, resolveReleaseRules } from "./release-rules";
import { DEFAULT_READ_CONCURRENCY, ScanFolderOptions } from "./scan-folder";

/** Uploads in flight at once. Enough to hide S3's per-request latency; see bench/static-site for the measurements. */
export const DEFAULT_CONCURRENCY = 16;

/** Progress is reported at most this often between phase changes. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

export interface SyncFolderOptions extends ScanFolderOptions {
    /** The client to talk to S3 with; its region and credentials are used as they are. */
    client: S3Client;
    /** The bucket to publish to. It must exist. */
    bucket: string;
    /**
     * Key prefix under which the site is published; "" for the bucket root.
     * A trailing "/" is added if missing.
     * @default ""
     * @example "sites/www/"
     */
    prefix?: string;
    /** Uploads in flight at once. @default 16 */
    concurrency?: number;
    /**
     * Keep the fingerprinted files of the release being replaced until the
     * next release, so pages opened before this one keep loading them.
     * @default true
     */
    keepPreviousAssets?: boolean;
    /** Allow publishing an empty folder, which deletes the whole site. @default false */
    allowEmpty?: boolean;
    /** More CloudFront paths than this become one `/*`; at most 3,000 (CloudFront's paths in progress). @default 15 */
    invalidationThreshold?: number;
    /** Called with the progress at every phase change and at most every progressIntervalMs in between. */
    onProgress?: ProgressListener;
    /** @default 1000 */
    progressIntervalMs?: number;
    /** Read the bucket's manifest and plan, but write and delete nothing. @default false */
    dryRun?: boolean;
    /**
     * Where to send the CDN paths the sync made stale. Given, the sync sends
     * them itself and records them in the manifest until the CDN accepts
     * them, so an invalidation that fails is sent again by the next sync.
     * Without it the caller sends `invalidationPaths` (and nothing is retried).
     * @default none
     * @example createCloudFrontInvalidator("E2QWRUHAPOMQZL")
     */
    invalidator?: Invalidator;
    /**
     * Lease of the deploy lock (`<prefix>.webstack/lock.json`) a sync that
     * writes takes, renewed every third of it while it runs: how long a
     * crashed deploy blocks the next one at most.
     * @default 300
     */
    lockLeaseSeconds?: number;
    /**
     * Names this deploy in the lock and the manifest, for the error another
     * deploy gets (e.g. a CI job URL).
     * @default "user@host pid N"
     * @example "github-actions run 1234 (main)"
     */
    deployer?: string;
}

/** Every option validated and defaulted. */
export interface ResolvedSyncOptions {
    bucket: string;
    prefix: string;
    rules: ReleaseRules;
    concurrency: number;
    readConcurrency: number;
    keepPreviousAssets: boolean;
    allowEmpty: boolean;
    invalidationThreshold: number;
    progressIntervalMs: number;
    dryRun: boolean;
    lockLeaseSeconds: number;
}

/** Validate the options without any I/O; throws a ConfigError naming the setting. */
export function resolveSyncOptions(options: SyncFolderOptions): ResolvedSyncOptions {
    if (typeof options.bucket !== "string" || options.bucket === "") {
        invalid("bucket", options.bucket, "the bucket name is missing", "pass the name of an existing bucket");
    }
    if (typeof options.folder !== "string" || options.folder === "") {
        invalid("folder", options.folder, "the folder is missing", 'pass the directory of the built site, e.g. "dist"');
    }
    return {
        bucket: options.bucket,
        prefix: normalizePrefix(options.prefix),
        rules: resolveReleaseRules(options),
        concurrency: integerSetting(options.concurrency, "concurrency", DEFAULT_CONCURRENCY, 1),
        readConcurrency: integerSetting(options.readConcurrency, "readConcurrency", DEFAULT_READ_CONCURRENCY, 1),
        keepPreviousAssets: options.keepPreviousAssets ?? true,
        allowEmpty: options.allowEmpty ?? false,
        invalidationThreshold: integerSetting(options.invalidationThreshold, "invalidationThreshold", DEFAULT_INVALIDATION_THRESHOLD, 0, CLOUDFRONT_MAX_PATHS_IN_PROGRESS),
        progressIntervalMs: integerSetting(options.progressIntervalMs, "progressIntervalMs", DEFAULT_PROGRESS_INTERVAL_MS, 0),
        dryRun: options.dryRun ?? false,
        lockLeaseSeconds: integerSetting(options.lockLeaseSeconds, "lockLeaseSeconds", DEFAULT_LOCK_LEASE_SECONDS, 1),
    };
}

function integerSetting(value: unknown, setting: string, fallback: number, minimum: number, maximum = Infinity): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < minimum || value > maximum) {
        const range = maximum === Infinity ? `at least ${minimum}` : `from ${minimum} to ${maximum.toLocaleString("en-US")}`;
        invalid(setting, value, `it must be a whole number ${range}`, `use e.g. ${fallback} (the default)`);
    }
    return value;
}
