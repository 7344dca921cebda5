import { invalid } from "../../internal/errors";
import { isHtml } from "./content-type";
import { createFingerprintDetector } from "./fingerprint";
import { PathMatcher } from "./globs";
import { digestFiles, emptyManifest, FileEntry, Manifest, ManifestEntry } from "./manifest";

/** Why a file is uploaded. */
export type UploadReason =
    /** Not in the bucket yet (as far as the manifest knows). */
    | "new"
    /** Its bytes differ from the uploaded ones. */
    | "changed"
    /** Same bytes, but its Content-Type or Cache-Control rule changed. */
    | "headers"
    /** A previous sync started uploading it and did not finish: the bucket's bytes are unknown. */
    | "unconfirmed";

export interface PlannedUpload<F extends FileEntry = FileEntry> {
    file: F;
    reason: UploadReason;
    /** What the manifest said about this path before, if anything. */
    previous?: ManifestEntry;
}

export interface PlannedDelete {
    path: string;
    /** What the manifest said about this path; absent for keys only known as in flight. */
    previous?: ManifestEntry;
}

export interface SyncPlan<F extends FileEntry = FileEntry> {
    /** In execution order: every non-HTML file, then the HTML files. */
    uploads: PlannedUpload<F>[];
    /** Keys the sync put and the new release no longer has. */
    deletes: PlannedDelete[];
    /** Files already in the bucket with the same bytes and headers. */
    unchanged: number;
    /** Paths of fingerprinted files no longer in the release that stay in the bucket (keepPreviousAssets). */
    retained: string[];
    /**
     * The manifest to store before the first upload (absent when nothing is
     * uploaded): the previous one plus every path about to be uploaded as
     * in flight. See Manifest.inFlight.
     */
    pendingManifest?: Manifest;
    /** The manifest to store once uploads and deletes have succeeded (built when first read). */
    manifest: Manifest;
    /** False when the bucket and the manifest are already exactly right: the sync writes nothing. */
    changesBucket: boolean;
    /** digestFiles of the new release. */
    digest: string;
    fileCount: number;
    totalBytes: number;
}

export interface PlanOptions {
    /**
     * Keep the fingerprinted files of the release being replaced, so that
     * pages loaded before the release (open tabs, lazily loaded chunks) keep
     * working; they are deleted by the release after. @default true
     */
    keepPreviousAssets?: boolean;
    /** Which paths are fingerprinted. @default the `name.<hex>.ext` detector */
    isFingerprinted?: PathMatcher;
    /**
     * Allow a release with no files at all, which deletes every file of the
     * previous one. Off by default: an empty folder is far more often a
     * failed build than a wish to empty the site. @default false
     */
    allowEmpty?: boolean;
}

/**
 * Decide what a sync does, from the local files (with their hashes and
 * headers already computed) and the manifest of the previous sync (undefined
 * on the first one). Pure: no I/O, no clock.
 */
export function planSync<F extends FileEntry>(
    localFiles: readonly F[],
    previousManifest: Manifest | undefined,
    options: PlanOptions = {},
): SyncPlan<F> {
    const keepPreviousAssets = options.keepPreviousAssets ?? true;
    const isFingerprinted = options.isFingerprinted ?? createFingerprintDetector();
    const previous = previousManifest ?? emptyManifest();
    const previousFiles = new Map(Object.entries(previous.files));
    const previousRetained = new Map(Object.entries(previous.retained));
    const inFlight = new Set(previous.inFlight);

    const local = new Map<string, F>();
    for (const file of localFiles) {
        if (local.has(file.path)) throw new Error(`planSync: the path ${JSON.stringify(file.path)} is listed twice`);
        local.set(file.path, file);
    }
    if (local.size === 0 && previousFiles.size > 0 && !options.allowEmpty) {
        invalid(
            "folder",
            "(no files)",
            `the folder has no files to publish, and syncing it would delete all ${previousFiles.size} files of the live site`,
            "check that the build ran and wrote its output there; to really empty the site, set allowEmpty: true",
        );
    }

    const uploads: PlannedUpload<F>[] = [];
    let unchanged = 0;
    for (const file of local.values()) {
        const before = previousFiles.get(file.path) ?? previousRetained.get(file.path);
        const reason = uploadReason(file, before, inFlight.has(file.path));
        if (reason === undefined) unchanged++;
        else uploads.push({ file, reason, previous: before });
    }

    const gone = [...previousFiles].filter(([path]) => !local.has(path));
    const isNewRelease = uploads.length > 0 || gone.length > 0;

    // The assets worth keeping are those of the release being replaced. When
    // nothing changes there is no new release, and what is kept stays kept.
    const retained = new Map<string, ManifestEntry>();
    if (keepPreviousAssets) {
        const candidates = isNewRelease ? gone : [...previousRetained].filter(([path]) => !local.has(path));
        for (const [path, entry] of candidates) {
            // A key whose upload never completed holds unknown bytes: not worth keeping.
            if (isFingerprinted(path) && !inFlight.has(path)) retained.set(path, entry);
        }
    }

    const deletes = new Map<string, PlannedDelete>();
    for (const [path, entry] of [...gone, ...previousRetained]) {
        if (!local.has(path) && !retained.has(path)) deletes.set(path, { path, previous: entry });
    }
    for (const path of inFlight) {
        if (!local.has(path) && !deletes.has(path) && !retained.has(path)) deletes.set(path, { path });
    }

    // Assets before pages: a page must never reference an asset not yet uploaded.
    uploads.sort((a, b) => Number(isHtml(a.file.contentType)) - Number(isHtml(b.file.contentType)));

    const pendingManifest: Manifest | undefined =
        uploads.length === 0
            ? undefined
            : {
                  ...previous,
                  inFlight: [...new Set([...previous.inFlight, ...uploads.map((u) => u.file.path)])],
              };
    const retainedChanged =
        retained.size !== previousRetained.size || [...retained.keys()].some((path) => !previousRetained.has(path));

    return withManifestOnDemand(localFiles, retained, {
        uploads,
        deletes: [...deletes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
        unchanged,
        retained: [...retained.keys()].sort(),
        pendingManifest,
        changesBucket: uploads.length > 0 || deletes.size > 0 || retainedChanged || inFlight.size > 0,
        digest: digestFiles(local.values()),
        fileCount: local.size,
        totalBytes: [...local.values()].reduce((sum, file) => sum + file.size, 0),
    });
}

/**
 * The plan with its `manifest` built when first read, then kept. A sync
 * reads it only after the last upload; built at plan time it was 14 MiB for
 * 100,000 files held through every upload, and V8 lets its heap grow to a
 * multiple of what it holds (bench/static-site/README.md, "Where the full
 * upload's memory goes"). A function of its own so that the getter holds
 * only these arguments, not planSync's other locals (V8 keeps a closure's
 * whole scope alive). `files` has no duplicate paths (planSync checked).
 */
function withManifestOnDemand<F extends FileEntry>(
    files: readonly F[],
    retained: ReadonlyMap<string, ManifestEntry>,
    plan: Omit<SyncPlan<F>, "manifest">,
): SyncPlan<F> {
    let manifest: Manifest | undefined;
    return Object.defineProperty(plan, "manifest", {
        enumerable: true,
        get: (): Manifest =>
            (manifest ??= {
                version: 1,
                files: Object.fromEntries(files.map((file) => [file.path, manifestEntryOf(file)])),
                retained: Object.fromEntries(retained),
                inFlight: [],
            }),
    }) as SyncPlan<F>;
}

function uploadReason(file: FileEntry, before: ManifestEntry | undefined, wasInFlight: boolean): UploadReason | undefined {
    if (wasInFlight) return "unconfirmed";
    if (before === undefined) return "new";
    if (before.sha256 !== file.sha256) return "changed";
    if (before.contentType !== file.contentType || before.cacheControl !== file.cacheControl) return "headers";
    return undefined;
}

/** Only the fields a manifest stores (local files also carry their absolute path). */
function manifestEntryOf(file: FileEntry): ManifestEntry {
    return {
        sha256: file.sha256,
        size: file.size,
        contentType: file.contentType,
        cacheControl: file.cacheControl,
        ...(file.mtimeMs !== undefined ? { mtimeMs: file.mtimeMs } : {}),
    };
}
