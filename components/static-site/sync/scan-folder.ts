import * as nodePath from "path";
import { hashFile } from "./hash-file";
import { listFiles } from "./list-files";
import { digestFiles, FileEntry } from "./manifest";
import { mapBounded } from "./pool";
import { ReleaseRuleOptions, ReleaseRules, resolveReleaseRules } from "./release-rules";

/** Files read and hashed at once. The reads run on libuv's thread pool; this only keeps its queue fed. */
export const DEFAULT_READ_CONCURRENCY = 32;

/** A file of the local folder, hashed and with its headers decided. */
export interface LocalFile extends FileEntry {
    absolutePath: string;
}

/** Everything the folder would publish. */
export interface LocalRelease {
    files: LocalFile[];
    /** digestFiles of the files: equal to the manifestDigest a sync of this folder reports. */
    digest: string;
    fileCount: number;
    totalBytes: number;
}

export interface ScanFolderOptions extends ReleaseRuleOptions {
    /** The built site, e.g. "dist". */
    folder: string;
    /** Files read and hashed at once. @default 32 */
    readConcurrency?: number;
    /** Called after each file is hashed (progress). */
    onFileHashed?: () => void;
}

/**
 * List, hash and classify the folder's files, without any network access.
 * The Pulumi layer can call it at preview time: its `digest` changes exactly
 * when a sync would change the published release. `rules` may be passed
 * already resolved from the same options (syncFolder does, so that it
 * validates them once, before any I/O).
 */
export async function scanFolder(options: ScanFolderOptions, rules: ReleaseRules = resolveReleaseRules(options)): Promise<LocalRelease> {
    const paths = await listFiles(options.folder, rules.filter);
    const files = await mapBounded(paths, options.readConcurrency ?? DEFAULT_READ_CONCURRENCY, async (path) => {
        const absolutePath = nodePath.join(options.folder, ...path.split("/"));
        const { sha256, size } = await hashFile(absolutePath);
        options.onFileHashed?.();
        return { path, absolutePath, sha256, size, ...rules.headersFor(path) };
    });
    return {
        files,
        digest: digestFiles(files),
        fileCount: files.length,
        totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    };
}
