import { adoptBucket, isEmptyManifest } from "./adopt-bucket";
import { isHtml } from "./content-type";
import { acquireDeployLock, defaultDeployer } from "./deploy-lock";
import { deleteObjects } from "./delete-objects";
import { invalidationPathsFor } from "./invalidation-paths";
import { invalidatePaths } from "./invalidator";
import { manifestKey, objectKey } from "./keys";
import { digestFiles, entriesOf, Manifest } from "./manifest";
import { headManifestEtag, readStoredManifest, StoredManifest, writeManifest } from "./manifest-store";
import { planSync, PlannedUpload, SyncPlan } from "./plan-sync";
import { mapBounded } from "./pool";
import { ProgressReporter } from "./progress";
import { LocalFile, scanFolder } from "./scan-folder";
import { resolveSyncOptions, SyncFolderOptions } from "./sync-options";
import { uploadFile } from "./upload-file";

export interface SyncResult {
    /** Paths uploaded (or, in a dry run, to upload), assets first, then HTML. */
    uploaded: string[];
    /** Paths deleted (or to delete). */
    deleted: string[];
    /** Files that were already up to date. */
    unchanged: number;
    /** Fingerprinted files of the previous release still kept in the bucket. */
    retained: string[];
    /**
     * CloudFront paths made stale by this sync (see invalidationPathsFor),
     * plus, with an `invalidator`, those of earlier syncs the CDN has not
     * accepted yet. Empty when nothing changed.
     */
    invalidationPaths: string[];
    /** The id of the invalidation the `invalidator` accepted, if one was sent. */
    invalidationId?: string;
    /** Objects of an earlier sync found by listing the bucket, because the manifest was missing or empty (adopt-bucket.ts); 0 otherwise. */
    adopted: number;
    /** Digest of the published release (digestFiles); keep it in the Pulumi state. */
    manifestDigest: string;
    /** Digest of the release that was published before, if any. */
    previousManifestDigest?: string;
    fileCount: number;
    totalBytes: number;
    uploadedBytes: number;
    /**
     * PUTs of the manifest itself: 0 when nothing changed, 1 when only
     * deletes, 2 when uploading (in-flight record, then final); one more
     * after an `invalidator` accepted the paths (clearing them as pending).
     */
    manifestWrites: number;
    dryRun: boolean;
}

/**
 * Publish a folder to `s3://bucket/prefix`: upload new and changed files
 * (assets first, HTML last), delete the files the release no longer has,
 * record the release in the bucket's manifest, and return what changed and
 * which CDN paths are now stale.
 *
 * Order of writes, chosen so that a sync killed at any point leaves a state
 * the next sync repairs:
 * 1. manifest with the paths about to be uploaded marked in flight;
 * 2. non-HTML uploads, all completed; then HTML uploads;
 * 3. deletes (the live HTML no longer references these files);
 * 4. the final manifest (with the stale CDN paths as pending when an
 *    `invalidator` is given; they are cleared once it accepts them).
 *
 * A sync that writes holds the deploy lock (deploy-lock.ts) from before its
 * first write to after its last, and writes the manifest only if it is still
 * the one it planned from (If-Match on its ETag): a second deploy of the same
 * bucket and prefix fails with an error naming the first instead of
 * interleaving with it.
 */
export async function syncFolder(options: SyncFolderOptions): Promise<SyncResult> {
    const settings = resolveSyncOptions(options);
    const { client, invalidator } = options;
    const { bucket, prefix, dryRun } = settings;
    const progress = new ProgressReporter(options.onProgress, settings.progressIntervalMs, dryRun);

    progress.phase("scan");
    // Fetch the manifest while hashing; settle it so a scan error does not leave an unhandled rejection.
    const previousRead = readStoredManifest(client, bucket, prefix).then(
        (stored) => ({ stored }),
        (error: unknown) => ({ error }),
    );
    const release = await scanFolder(
        {
            ...options,
            readConcurrency: settings.readConcurrency,
            onFileHashed: () => progress.add({ scanned: 1 }),
            // Files whose size and mtime match the previous manifest are not re-read (see scanFolder).
            previous: previousRead.then((outcome) => ("stored" in outcome ? outcome.stored.manifest : undefined)),
        },
        settings.rules,
    );
    const previousOutcome = await previousRead;
    if ("error" in previousOutcome) throw previousOutcome.error;
    let stored: StoredManifest = previousOutcome.stored;

    /** Plan from a stored manifest; a missing or empty one is rebuilt from the bucket (re-adopt). */
    const planFrom = async (from: StoredManifest) => {
        let previous = from.manifest;
        let adopted = 0;
        if (isEmptyManifest(previous)) {
            const rebuilt = await adoptBucket(client, bucket, prefix, settings.concurrency);
            adopted = Object.keys(rebuilt.files).length;
            if (adopted > 0) previous = { ...rebuilt, pendingInvalidation: previous?.pendingInvalidation };
        }
        const plan = planSync(release.files, previous, {
            keepPreviousAssets: settings.keepPreviousAssets,
            isFingerprinted: settings.rules.isFingerprinted,
            allowEmpty: settings.allowEmpty,
        });
        const fresh = invalidationPathsFor(plan, settings.invalidationThreshold);
        const pending = previous?.pendingInvalidation ?? [];
        // Only with an invalidator does the sync take charge of earlier paths; without one they stay recorded.
        const invalidationPaths = invalidator ? mergeInvalidationPaths(pending, fresh, settings.invalidationThreshold) : fresh;
        // A manifest rebuilt by adoption is written even when nothing else changes, or every sync would list the bucket again.
        const writesManifest = plan.changesBucket || (adopted > 0 && isEmptyManifest(from.manifest));
        return { previous, adopted, plan, pending, invalidationPaths, writesManifest };
    };
    let planned = await planFrom(stored);
    const resultOf = ({ plan, previous, adopted, invalidationPaths }: typeof planned): SyncResult => ({
        uploaded: plan.uploads.map((upload) => upload.file.path),
        deleted: plan.deletes.map((del) => del.path),
        unchanged: plan.unchanged,
        retained: plan.retained,
        invalidationPaths,
        adopted,
        manifestDigest: plan.digest,
        previousManifestDigest: previous && digestFiles(entriesOf(previous.files)),
        fileCount: plan.fileCount,
        totalBytes: plan.totalBytes,
        uploadedBytes: uploadBytesOf(plan),
        manifestWrites: 0,
        dryRun,
    });
    const reportPlan = (plan: SyncPlan<LocalFile>) =>
        progress.phase("plan", { toUpload: plan.uploads.length, bytesToUpload: uploadBytesOf(plan), toDelete: plan.deletes.length, unchanged: plan.unchanged });
    reportPlan(planned.plan);
    let result = resultOf(planned);

    const mustSend = invalidator !== undefined && planned.invalidationPaths.length > 0;
    if (dryRun || !(planned.writesManifest || mustSend)) {
        progress.phase("done");
        return result;
    }

    const deployedBy = options.deployer ?? defaultDeployer();
    const lock = await acquireDeployLock(client, bucket, prefix, { leaseSeconds: settings.lockLeaseSeconds, deployer: deployedBy });
    let succeeded = false;
    try {
        // Another deploy may have published between our read and our lock: plan again from what it left.
        if ((await headManifestEtag(client, bucket, prefix)) !== stored.etag) {
            stored = await readStoredManifest(client, bucket, prefix);
            planned = await planFrom(stored);
            reportPlan(planned.plan);
            result = resultOf(planned);
        }
        const { plan, previous } = planned;
        let etag = stored.etag;
        const write = async (manifest: Manifest) => {
            lock.assertHeld();
            etag = await writeManifest(client, bucket, prefix, manifest, etag, deployedBy);
            result.manifestWrites++;
        };

        if (plan.pendingManifest) await write(plan.pendingManifest);

        const upload = async ({ file }: PlannedUpload<LocalFile>) => {
            await uploadFile(client, bucket, objectKey(prefix, file.path), file);
            progress.add({ uploaded: 1, bytesUploaded: file.size });
        };
        const assets = plan.uploads.filter((u) => !isHtml(u.file.contentType));
        const pages = plan.uploads.filter((u) => isHtml(u.file.contentType));
        progress.phase("upload-assets");
        await mapBounded(assets, settings.concurrency, upload);
        progress.phase("upload-html");
        await mapBounded(pages, settings.concurrency, upload);

        progress.phase("delete");
        lock.assertHeld();
        await deleteObjects(
            client,
            bucket,
            plan.deletes.map((del) => objectKey(prefix, del.path)),
            (count) => progress.add({ deleted: count }),
        );

        progress.phase("write-manifest");
        // The release as published, with the paths still to invalidate.
        const published: Manifest = plan.changesBucket || !previous ? plan.manifest : previous;
        const pendingInvalidation = invalidator ? result.invalidationPaths : planned.pending;
        if (planned.writesManifest) await write({ ...published, pendingInvalidation });

        if (invalidator && result.invalidationPaths.length > 0) {
            try {
                result.invalidationId = await invalidatePaths(invalidator, result.invalidationPaths, plan.digest);
            } catch (error) {
                throw new Error(
                    `The CDN did not accept the invalidation of ${result.invalidationPaths.length} path(s) ` +
                        `(${result.invalidationPaths.slice(0, 5).join(" ")}): ${(error as Error).message}. ` +
                        `The files are published; the paths are recorded as pending in s3://${bucket}/${manifestKey(prefix)} ` +
                        "and the next sync sends them again, even if nothing else changed.",
                    { cause: error },
                );
            }
            // Accepted: no longer pending.
            await write({ ...published, pendingInvalidation: undefined });
        }
        succeeded = true;
    } finally {
        // A failed release must not hide why the sync failed; after a success it is reported.
        await lock.release().catch((error: unknown) => {
            if (succeeded) throw error;
        });
    }

    progress.phase("done");
    return result;
}

/**
 * Earlier paths still pending plus this sync's, as one invalidation within
 * the threshold: more than `threshold` distinct paths become `/*`, which
 * covers them all.
 */
function mergeInvalidationPaths(pending: readonly string[], fresh: readonly string[], threshold: number): string[] {
    const all = new Set([...pending, ...fresh]);
    if (all.has("/*") || all.size > threshold) return ["/*"];
    return [...all].sort();
}

function uploadBytesOf(plan: SyncPlan<LocalFile>): number {
    return plan.uploads.reduce((sum, upload) => sum + upload.file.size, 0);
}
