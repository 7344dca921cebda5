import { SyncResult } from "./sync-folder";

/**
 * What the Pulumi layer keeps in its state for a synced folder: a digest and
 * two counts, the same few dozen bytes for 10 files or 100,000. The per-file
 * record lives in the bucket's manifest (see README.md).
 */
export interface SyncState {
    /** digestFiles of the published release; compare with scanFolder(...).digest to know if a sync is due. */
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
}

export function syncStateOf(result: Pick<SyncResult, "manifestDigest" | "fileCount" | "totalBytes">): SyncState {
    return { manifestDigest: result.manifestDigest, fileCount: result.fileCount, totalBytes: result.totalBytes };
}
