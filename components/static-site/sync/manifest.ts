import { createHash } from "crypto";
import { gunzipSync, gzipSync } from "zlib";
import { isReservedPath, isSafeRelativePath } from "./keys";

/** What the sync knows about one object it put in the bucket. */
export interface ManifestEntry {
    /** sha256 of the bytes, hex. */
    sha256: string;
    /** Size in bytes. */
    size: number;
    contentType: string;
    cacheControl: string;
    /**
     * The local file's modification time (ms since the epoch, fractional) when
     * it was hashed. With `size` it lets the next sync on the same machine
     * reuse `sha256` without re-reading the file (scanFolder). Optional: a
     * manifest written before it existed simply has every file re-hashed,
     * and older readers ignore it.
     */
    mtimeMs?: number;
}

/** A relative path with its entry: a file of the local folder or of a manifest. */
export interface FileEntry extends ManifestEntry {
    /** Path relative to the folder (and to the prefix in the bucket), `/`-separated. */
    path: string;
}

/**
 * The sync's record of what it put under the prefix, stored in the bucket
 * (see README.md for why there and not in the Pulumi state). Every key the
 * sync may ever delete is listed here: objects it did not put are never
 * touched.
 */
export interface Manifest {
    version: 1;
    /** The current release: path → entry. */
    files: Record<string, ManifestEntry>;
    /**
     * Fingerprinted files of the previous release that the current one no
     * longer has, kept so that pages opened before the release still load
     * them (`keepPreviousAssets`). Deleted by the next release.
     */
    retained: Record<string, ManifestEntry>;
    /**
     * Paths whose upload had started when this manifest was written: written
     * before uploads begin, so that a sync that dies half-way leaves a record
     * that these keys are ours and their bytes unknown. The next sync then
     * re-uploads them (or deletes them), whatever the local files say.
     */
    inFlight: string[];
    /**
     * CloudFront paths made stale by a sync whose invalidation CloudFront has
     * not accepted yet: sent again by every sync until it is (absent when
     * none; optional, so version-1 manifests without it still decode).
     */
    pendingInvalidation?: string[];
}

export function emptyManifest(): Manifest {
    return { version: 1, files: {}, retained: {}, inFlight: [] };
}

/**
 * The digest of a release: sha256 over the sorted (path, sha256, size,
 * contentType, cacheControl) tuples. The same files with the same headers
 * always give the same digest, on any machine, so the Pulumi layer can
 * compute it from the folder at preview time and compare it with the digest
 * in its state. Bookkeeping (`retained`, `inFlight`) is not part of it.
 */
export function digestFiles(files: Iterable<FileEntry>): string {
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // The bytes of JSON.stringify(["webstack-sync/1", tuples]), hashed one
    // tuple at a time instead of built as one string (25 MB for 100,000
    // files): the same digest, without the allocation.
    const hash = createHash("sha256").update('["webstack-sync/1",[');
    sorted.forEach((f, index) => hash.update((index === 0 ? "" : ",") + JSON.stringify([f.path, f.sha256, f.size, f.contentType, f.cacheControl])));
    return hash.update("]]").digest("hex");
}

/** The entries of a path → entry record as FileEntry values. */
export function entriesOf(record: Record<string, ManifestEntry>): FileEntry[] {
    return Object.entries(record).map(([path, entry]) => ({ path, ...entry }));
}

/** Serialize for storage: JSON with sorted keys (stable bytes), gzip'd (~3x smaller). */
export function encodeManifest(manifest: Manifest): Buffer {
    const sorted: Manifest = {
        version: 1,
        files: sortRecord(manifest.files),
        retained: sortRecord(manifest.retained),
        inFlight: [...manifest.inFlight].sort(),
        ...(manifest.pendingInvalidation?.length ? { pendingInvalidation: [...manifest.pendingInvalidation].sort() } : {}),
    };
    return gzipSync(JSON.stringify(sorted), { level: 9 });
}

/**
 * Parse a stored manifest, checking its shape and every path in it. Throws
 * on anything unexpected rather than guessing: a wrong manifest could make
 * the sync delete the wrong keys.
 */
export function decodeManifest(bytes: Uint8Array): Manifest {
    let data: unknown;
    try {
        data = JSON.parse(gunzipSync(bytes).toString("utf8"));
    } catch (error) {
        throw new Error(`the sync manifest is not gzip'd JSON (${(error as Error).message})`);
    }
    const manifest = data as Partial<Manifest>;
    if (typeof data !== "object" || data === null || manifest.version !== 1) {
        throw new Error(`the sync manifest has version ${JSON.stringify(manifest?.version)}; this webstack reads version 1`);
    }
    const files = checkRecord(manifest.files, "files");
    const retained = checkRecord(manifest.retained ?? {}, "retained");
    const inFlight = manifest.inFlight ?? [];
    if (!Array.isArray(inFlight) || !inFlight.every((p) => typeof p === "string" && isManifestPath(p))) {
        throw new Error("the sync manifest has a malformed inFlight list");
    }
    const pending = manifest.pendingInvalidation;
    if (pending !== undefined && !(Array.isArray(pending) && pending.every(isInvalidationPath))) {
        throw new Error("the sync manifest has a malformed pendingInvalidation list");
    }
    return { version: 1, files, retained, inFlight, ...(pending?.length ? { pendingInvalidation: pending } : {}) };
}

function checkRecord(value: unknown, field: string): Record<string, ManifestEntry> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error(`the sync manifest has no ${field} object`);
    }
    for (const [path, entry] of Object.entries(value)) {
        const e = entry as Partial<ManifestEntry>;
        const wellFormed =
            isManifestPath(path) &&
            typeof e === "object" &&
            e !== null &&
            typeof e.sha256 === "string" &&
            typeof e.size === "number" &&
            typeof e.contentType === "string" &&
            typeof e.cacheControl === "string" &&
            (e.mtimeMs === undefined || (typeof e.mtimeMs === "number" && Number.isFinite(e.mtimeMs)));
        if (!wellFormed) throw new Error(`the sync manifest has a malformed ${field} entry ${JSON.stringify(path)}`);
    }
    return value as Record<string, ManifestEntry>;
}

/** A CloudFront path as invalidationPathsFor writes them: absolute, URL-encoded, so no spaces or control characters. */
function isInvalidationPath(path: unknown): boolean {
    return typeof path === "string" && /^\/[\x21-\x7e]*$/.test(path);
}

function isManifestPath(path: string): boolean {
    return isSafeRelativePath(path) && !isReservedPath(path);
}

/**
 * Records are always built with Object.fromEntries and read with
 * Object.entries, never `record[path] = ...`: a site may well contain a file
 * named `__proto__` or `constructor`.
 */
function sortRecord<V>(record: Record<string, V>): Record<string, V> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
