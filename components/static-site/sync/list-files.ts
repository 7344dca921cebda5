import * as fsSync from "fs";
import { promises as fs } from "fs";
import * as nodePath from "path";
import { invalid } from "../../internal/errors";
import { FileFilter } from "./file-filter";
import { hasControlCharacter, isReservedPath, RESERVED_DIRECTORY } from "./keys";

/** Directories read at once while walking. */
const DIRECTORY_CONCURRENCY = 16;

/**
 * Where a symbolic link at `linkPath` leads, when that is outside the folder
 * whose real path is `realRoot`; undefined when it stays inside. A link
 * whose target does not exist is judged by its text, resolved from the
 * link's own directory (it publishes nothing today, but would the moment
 * the target appears).
 */
export function linkTargetOutside(realRoot: string, linkPath: string): string | undefined {
    let target: string;
    try {
        target = fsSync.realpathSync(linkPath);
    } catch {
        target = nodePath.resolve(nodePath.dirname(linkPath), fsSync.readlinkSync(linkPath));
    }
    const relative = nodePath.relative(realRoot, target);
    const inside = relative === "" || (!relative.startsWith(`..${nodePath.sep}`) && relative !== ".." && !nodePath.isAbsolute(relative));
    return inside ? undefined : target;
}

/**
 * Refuses a link that leads out of the folder: following it would publish
 * whatever it points at (a `credentials.txt -> ../outside/credentials`
 * would be uploaded, and dev's bucket is world-readable). Names the link.
 */
export function refuseEscapingLink(setting: string, folder: string, realRoot: string, relativePath: string): void {
    const target = linkTargetOutside(realRoot, nodePath.join(folder, ...relativePath.split("/")));
    if (target === undefined) return;
    invalid(
        setting,
        folder,
        `it contains a symbolic link ${relativePath} -> ${target}, which resolves outside the folder and would publish that file`,
        `replace ${relativePath} with a copy of the file it should publish, point the link inside the folder, or delete it`,
    );
}

/**
 * The published files under `folder`, as sorted relative paths with `/`
 * separators. Symbolic links that stay inside the folder are followed for
 * files (their target's bytes are published); links to directories are
 * skipped, so a link cycle cannot make the walk endless. A published link
 * that resolves outside the folder is a ConfigError naming it.
 */
export async function listFiles(folder: string, filter: FileFilter, setting = "folder"): Promise<string[]> {
    const stat = await fs.stat(folder).catch(() => undefined);
    if (!stat?.isDirectory()) {
        invalid(setting, folder, "it does not exist or is not a directory", "build the site first, or point folder at the build output (e.g. \"dist\")");
    }
    // Real path, so a folder that is itself a link (dist -> build/out) is judged by where its files are.
    const realRoot = await fs.realpath(folder);
    const found: string[] = [];
    // Breadth-first, a bounded number of directories at a time: a build
    // output has hundreds of directories, and reading them one by one would
    // leave the thread pool idle.
    let level = [""];
    while (level.length > 0) {
        const next: string[] = [];
        for (let start = 0; start < level.length; start += DIRECTORY_CONCURRENCY) {
            const batch = level.slice(start, start + DIRECTORY_CONCURRENCY);
            await Promise.all(batch.map((directory) => readDirectory(folder, realRoot, setting, directory, filter, found, next)));
        }
        level = next;
    }
    // Sorted by code unit, not locale, so every machine produces the same order and digest.
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readDirectory(
    root: string,
    realRoot: string,
    setting: string,
    relativeDir: string,
    filter: FileFilter,
    found: string[],
    subdirectories: string[],
): Promise<void> {
    const entries = await fs.readdir(nodePath.join(root, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
        const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            if (filter.includesFile(path)) refuseEscapingLink(setting, root, realRoot, path);
            const target = await fs.stat(nodePath.join(root, path)).catch(() => undefined);
            isFile = target?.isFile() ?? false;
            isDirectory = false;
        }
        if (isDirectory && filter.entersDirectory(path)) subdirectories.push(path);
        if (isFile && filter.includesFile(path)) {
            // Refused here, naming the file: S3 would store such a key, but the
            // manifest decoder (isSafeRelativePath) rejects it, so one such
            // file would wedge every later sync until the manifest was deleted.
            if (hasControlCharacter(path)) {
                invalid(
                    setting,
                    path,
                    "the file name has a control character (newline, tab, DEL or another C0 character), which no URL or S3 key should carry",
                    `rename the file (the name is shown JSON-escaped), or leave it out with exclude`,
                );
            }
            if (isReservedPath(path)) {
                invalid("folder", path, `the ${RESERVED_DIRECTORY} directory is reserved for webstack's sync manifest`, `rename the directory, or add "${RESERVED_DIRECTORY}**" to exclude`);
            }
            found.push(path);
        }
    }
}

/**
 * The same check, synchronous, for the plan-time folder check: walks what
 * listFiles walks (same filter, linked directories not entered) and throws
 * on the first published link that leaves the folder, so the error comes
 * before the component registers any resource.
 */
export function checkLinksStayInside(folder: string, filter: FileFilter, setting: string): void {
    const realRoot = fsSync.realpathSync(folder);
    const walk = (relativeDir: string): void => {
        for (const entry of fsSync.readdirSync(nodePath.join(folder, relativeDir), { withFileTypes: true })) {
            const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
            if (entry.isSymbolicLink()) {
                if (filter.includesFile(path)) refuseEscapingLink(setting, folder, realRoot, path);
            } else if (entry.isDirectory() && filter.entersDirectory(path)) {
                walk(path);
            }
        }
    };
    walk("");
}
