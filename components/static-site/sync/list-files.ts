import { promises as fs } from "fs";
import * as nodePath from "path";
import { invalid } from "../../internal/errors";
import { FileFilter } from "./file-filter";
import { isReservedPath, RESERVED_DIRECTORY } from "./keys";

/** Directories read at once while walking. */
const DIRECTORY_CONCURRENCY = 16;

/**
 * The published files under `folder`, as sorted relative paths with `/`
 * separators. Symbolic links to files are followed (their target's bytes are
 * published); links to directories are skipped, so a link cycle cannot make
 * the walk endless.
 */
export async function listFiles(folder: string, filter: FileFilter): Promise<string[]> {
    const stat = await fs.stat(folder).catch(() => undefined);
    if (!stat?.isDirectory()) {
        invalid("folder", folder, "it does not exist or is not a directory", "build the site first, or point folder at the build output (e.g. \"dist\")");
    }
    const found: string[] = [];
    // Breadth-first, a bounded number of directories at a time: a build
    // output has hundreds of directories, and reading them one by one would
    // leave the thread pool idle.
    let level = [""];
    while (level.length > 0) {
        const next: string[] = [];
        for (let start = 0; start < level.length; start += DIRECTORY_CONCURRENCY) {
            const batch = level.slice(start, start + DIRECTORY_CONCURRENCY);
            await Promise.all(batch.map((directory) => readDirectory(folder, directory, filter, found, next)));
        }
        level = next;
    }
    // Sorted by code unit, not locale, so every machine produces the same order and digest.
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readDirectory(
    root: string,
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
            const target = await fs.stat(nodePath.join(root, path)).catch(() => undefined);
            isFile = target?.isFile() ?? false;
            isDirectory = false;
        }
        if (isDirectory && filter.entersDirectory(path)) subdirectories.push(path);
        if (isFile && filter.includesFile(path)) {
            if (isReservedPath(path)) {
                invalid("folder", path, `the ${RESERVED_DIRECTORY} directory is reserved for webstack's sync manifest`, `rename the directory, or add "${RESERVED_DIRECTORY}**" to exclude`);
            }
            found.push(path);
        }
    }
}
