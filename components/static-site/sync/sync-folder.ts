import { isHtml } from "./content-type";
import { deleteObjects } from "./delete-objects";
import { invalidationPathsFor } from "./invalidation-paths";
import { objectKey } from "./keys";
import { digestFiles, entriesOf, Manifest } from "./manifest";
import { readManifest, writeManifest } from "./manifest-store";
import { planSync, PlannedUpload } from "./plan-sync";
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
    /** CloudFront paths made stale by this sync; see invalidationPathsFor. Empty when nothing changed. */
    invalidationPaths: string[];
    /** Digest of the published release (digestFiles); keep it in the Pulumi state. */
    manifestDigest: string;
    /** Digest of the release that was published before, if any. */
    previousManifestDigest?: string;
    fileCount: number;
    totalBytes: number;
    uploadedBytes: number;
    /** PUTs of the manifest itself: 0 when nothing changed, 1 when only deletes, 2 when uploading (in-flight record, then final). */
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
 * 4. the final manifest.
 */
export async function syncFolder(options: SyncFolderOptions): Promise<SyncResult> {
    const settings = resolveSyncOptions(options);
    const { client } = options;
    const { bucket, prefix, dryRun } = settings;
    const progress = new ProgressReporter(options.onProgress, settings.progressIntervalMs, dryRun);

    progress.phase("scan");
    // Fetch the manifest while hashing; settle it so a scan error does not leave an unhandled rejection.
    const previousRead = readManifest(client, bucket, prefix).then(
        (manifest) => ({ manifest }),
        (error: unknown) => ({ error }),
    );
    const release = await scanFolder(
        {
            ...options,
            readConcurrency: settings.readConcurrency,
            onFileHashed: () => progress.add({ scanned: 1 }),
            // Files whose size and mtime match the previous manifest are not re-read (see scanFolder).
            previous: previousRead.then((outcome) => ("manifest" in outcome ? outcome.manifest : undefined)),
        },
        settings.rules,
    );
    const previousOutcome = await previousRead;
    if ("error" in previousOutcome) throw previousOutcome.error;
    const previous: Manifest | undefined = previousOutcome.manifest;

    const plan = planSync(release.files, previous, {
        keepPreviousAssets: settings.keepPreviousAssets,
        isFingerprinted: settings.rules.isFingerprinted,
        allowEmpty: settings.allowEmpty,
    });
    const uploadBytes = plan.uploads.reduce((sum, upload) => sum + upload.file.size, 0);
    progress.phase("plan", {
        toUpload: plan.uploads.length,
        bytesToUpload: uploadBytes,
        toDelete: plan.deletes.length,
        unchanged: plan.unchanged,
    });

    const result: SyncResult = {
        uploaded: plan.uploads.map((upload) => upload.file.path),
        deleted: plan.deletes.map((del) => del.path),
        unchanged: plan.unchanged,
        retained: plan.retained,
        invalidationPaths: invalidationPathsFor(plan, settings.invalidationThreshold),
        manifestDigest: plan.digest,
        previousManifestDigest: previous && digestFiles(entriesOf(previous.files)),
        fileCount: plan.fileCount,
        totalBytes: plan.totalBytes,
        uploadedBytes: uploadBytes,
        manifestWrites: 0,
        dryRun,
    };
    if (dryRun || !plan.changesBucket) {
        progress.phase("done");
        return result;
    }

    if (plan.pendingManifest) {
        await writeManifest(client, bucket, prefix, plan.pendingManifest);
        result.manifestWrites++;
    }

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
    await deleteObjects(
        client,
        bucket,
        plan.deletes.map((del) => objectKey(prefix, del.path)),
        (count) => progress.add({ deleted: count }),
    );

    progress.phase("write-manifest");
    await writeManifest(client, bucket, prefix, plan.manifest);
    result.manifestWrites++;

    progress.phase("done");
    return result;
}
