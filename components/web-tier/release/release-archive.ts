import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { invalid } from "../../internal/errors";
import { TarEntry, writeTar } from "./tar-writer";

/**
 * Names never packed into a release: installed dependencies (the instance
 * installs its own for its CPU architecture), version control, and local
 * `.env` files, which hold a developer's secrets and must never reach S3.
 */
export const EXCLUDED_NAMES: readonly RegExp[] = [/^node_modules$/, /^\.git$/, /^\.env$/, /^\.env\..*/, /^\.DS_Store$/];

/** A packed release: where it is on disk and the hash that names it. */
export interface ReleaseArchive {
    /** sha256 (hex) of the uncompressed tar stream: changes only when a file's path, content or executable bit does. */
    sha256: string;
    /** The gzipped archive, written once under the OS temp folder (the upload reads it from there). */
    file: string;
    /** Paths inside the archive, sorted. */
    files: string[];
    /** Size of the gzipped archive in bytes. */
    bytes: number;
}

/** One file to pack: where it comes from and its path in the archive. */
export interface ArchiveSource {
    from: string;
    to: string;
}

function isExcluded(name: string): boolean {
    return EXCLUDED_NAMES.some((pattern) => pattern.test(name));
}

/**
 * Every regular file below `root`, as archive paths under `into`, without
 * the excluded names. A symbolic link is an error: following it could pack
 * files from outside the folder, and dropping it silently would ship a
 * release that differs from what the developer runs.
 */
export function listFolder(root: string, into = "", setting = "app.path"): ArchiveSource[] {
    const found: ArchiveSource[] = [];
    const walk = (dir: string, rel: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (isExcluded(entry.name)) continue;
            const from = path.join(dir, entry.name);
            const to = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory()) walk(from, to);
            else if (entry.isFile()) found.push({ from, to });
            else if (entry.isSymbolicLink()) {
                invalid(setting, root, `it contains a symbolic link (${to}), which a release archive does not carry`, "replace the link with the file it points to, or move it out of the folder");
            }
        }
    };
    walk(root, into);
    return found;
}

/** Sorted by archive path with a byte-wise comparison, so the order never depends on the locale or the file system. */
function byArchivePath(a: ArchiveSource, b: ArchiveSource): number {
    return Buffer.compare(Buffer.from(a.to), Buffer.from(b.to));
}

/**
 * Packs `sources` into a deterministic .tgz: files sorted by path, mtime 0,
 * owner root, mode 0644 or 0755. The same files give the same sha256 on any
 * machine, so an unchanged app is never re-uploaded or redeployed.
 *
 * The hash is taken over the tar stream, not the gzip bytes: gzip output
 * may differ between zlib builds, the tar stream does not.
 */
export function packArchive(sources: ArchiveSource[], cacheDir = defaultCacheDir()): ReleaseArchive {
    const sorted = [...sources].sort(byArchivePath);
    const entries: TarEntry[] = sorted.map((source) => {
        const stat = fs.statSync(source.from);
        return { path: source.to, data: fs.readFileSync(source.from), executable: (stat.mode & 0o100) !== 0 };
    });
    const tar = writeTar(entries);
    const sha256 = createHash("sha256").update(tar).digest("hex");
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `${sha256}.tgz`);
    // Named by hash, so an archive already in the cache is this one: compress
    // (the slow part, level 9) only when it is not there yet.
    if (!fs.existsSync(file)) {
        // Write then rename, so a concurrent run never reads half a file.
        const partial = `${file}.${process.pid}.partial`;
        fs.writeFileSync(partial, gzipSync(tar, { level: 9 }));
        fs.renameSync(partial, file);
    }
    return { sha256, file, files: sorted.map((s) => s.to), bytes: fs.statSync(file).size };
}

/** Where packed archives are kept between runs (they are named by hash, so they never go stale). */
export function defaultCacheDir(): string {
    return path.join(os.tmpdir(), "webstack-releases");
}

/** Packs an app folder with its files at the top of the archive (`package.json` first level), as the release switch expects. */
export function packAppFolder(folder: string, cacheDir?: string): ReleaseArchive {
    return packArchive(listFolder(folder), cacheDir);
}
