/**
 * The folder sync of StaticSite: publishes a built site to S3, uploading
 * only what changed. Free of Pulumi, so it runs and is tested on its own;
 * the StaticSite component calls it from its dynamic provider.
 * See README.md for the design.
 */
export { syncFolder } from "./sync-folder";
export type { SyncResult } from "./sync-folder";
export { resolveSyncOptions, DEFAULT_CONCURRENCY } from "./sync-options";
export type { SyncFolderOptions, ResolvedSyncOptions } from "./sync-options";
export { scanFolder } from "./scan-folder";
export type { ScanFolderOptions, LocalFile, LocalRelease } from "./scan-folder";
export { resolveReleaseRules } from "./release-rules";
export type { ReleaseRuleOptions, ReleaseRules } from "./release-rules";
export { planSync } from "./plan-sync";
export type { PlanOptions, SyncPlan, PlannedUpload, PlannedDelete, UploadReason } from "./plan-sync";
export { invalidationPathsFor, DEFAULT_INVALIDATION_THRESHOLD, CLOUDFRONT_MAX_PATHS_IN_PROGRESS, CLOUDFRONT_MAX_WILDCARDS_IN_PROGRESS } from "./invalidation-paths";
export { invalidatePaths } from "./invalidator";
export { createCloudFrontInvalidator } from "./cloudfront-invalidator";
export type { Invalidator } from "./invalidator";
export { validateCacheRules, isImmutable, IMMUTABLE_CACHE_CONTROL, REVALIDATE_CACHE_CONTROL } from "./cache-rules";
export type { CacheRule } from "./cache-rules";
export { contentTypeFor } from "./content-type";
export { createFingerprintDetector } from "./fingerprint";
export { digestFiles, encodeManifest, decodeManifest, emptyManifest } from "./manifest";
export type { Manifest, ManifestEntry, FileEntry } from "./manifest";
export { readManifest, ManifestChangedError } from "./manifest-store";
export { acquireDeployLock, breakDeployLock, lockKey, DeployLockedError, LOCK_PATH, DEFAULT_LOCK_LEASE_SECONDS } from "./deploy-lock";
export type { DeployLock, DeployLockOptions, LockHolder } from "./deploy-lock";
export { adoptBucket } from "./adopt-bucket";
export { manifestKey, normalizePrefix, RESERVED_DIRECTORY, MANIFEST_PATH } from "./keys";
export type { SyncProgress, SyncPhase, ProgressListener } from "./progress";
export { syncStateOf } from "./sync-state";
export type { SyncState } from "./sync-state";
export { credentialsFor, s3ClientConfig, cloudFrontClientConfig, CLOUDFRONT_API_REGION, DEFAULT_SYNC_TIMEOUTS } from "./aws-clients";
export type { StaticKeys, SyncTimeouts } from "./aws-clients";
