import { compileGlobs, PathMatcher } from "./globs";

/** Which files of the folder are published. */
export interface FileFilter {
    /** True when the file at this relative path is published. */
    includesFile(path: string): boolean;
    /** False for directories that cannot contain a published file, so the walk skips them (`.git/`). */
    entersDirectory(path: string): boolean;
}

/**
 * Build the filter: dotfiles and dot-directories (`.DS_Store`, `.git/`,
 * `.env`) are left out unless `includeDotfiles`, except the top-level
 * `.well-known/` directory, which exists to be served (security.txt, app
 * links, ACME). `exclude` globs are left out on top of that.
 */
export function createFileFilter(options: { exclude?: unknown; includeDotfiles?: boolean }): FileFilter {
    const excluded: PathMatcher =
        options.exclude === undefined ? () => false : compileGlobs(options.exclude, "exclude");
    const skipsDotfiles = !options.includeDotfiles;
    return {
        includesFile: (path) => {
            const segments = path.split("/");
            const name = segments.pop()!;
            if (skipsDotfiles && (isDotName(name) || hasHiddenDirectory(segments))) return false;
            return !excluded(path);
        },
        entersDirectory: (path) => !skipsDotfiles || !hasHiddenDirectory(path.split("/")),
    };
}

/** True when a directory path has a dot segment other than a top-level `.well-known`. */
function hasHiddenDirectory(directorySegments: string[]): boolean {
    return directorySegments.some((segment, index) => isDotName(segment) && !(index === 0 && segment === ".well-known"));
}

function isDotName(name: string): boolean {
    return name.startsWith(".");
}
