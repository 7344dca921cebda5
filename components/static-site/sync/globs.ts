import picomatch from "picomatch";
import { invalid } from "../../internal/errors";

/**
 * Dotfiles are matched like any other file, so a rule such as
 * `.well-known/**` does what it says.
 */
const MATCH_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/** A predicate over relative paths. */
export type PathMatcher = (path: string) => boolean;

/**
 * Check that `value` is one glob or a non-empty list of globs and compile it.
 * Throws a ConfigError naming `setting` otherwise.
 */
export function compileGlobs(value: unknown, setting: string): PathMatcher {
    const globs = Array.isArray(value) ? value : [value];
    if (globs.length === 0) {
        invalid(setting, value, "the list of globs is empty", 'give at least one glob, e.g. "assets/**"');
    }
    globs.forEach((glob, index) => {
        const where = Array.isArray(value) ? `${setting}[${index}]` : setting;
        if (typeof glob !== "string") {
            invalid(where, glob, "a glob must be a string", 'write it as a string, e.g. "**/*.pdf"');
        }
        if (glob.trim() === "") {
            invalid(where, glob, "the glob is empty and would match nothing", 'write a glob, e.g. "**/*.pdf"');
        }
        if (glob.startsWith("/")) {
            invalid(
                where,
                glob,
                "globs are matched against paths relative to the folder, which never start with /",
                `drop the leading slash: ${JSON.stringify(glob.replace(/^\/+/, ""))}`,
            );
        }
    });
    return compileChecked(globs as string[]);
}

/**
 * Match each glob against a file's path relative to the folder (always with
 * `/` separators), except that a glob without a slash matches the file name
 * in any directory, as in `.gitignore`: `*.pdf` means "every PDF". (Done here
 * rather than with picomatch's `basename` option, which also applies it to
 * globs such as `assets/**` and then matches nothing.)
 */
function compileChecked(globs: string[]): PathMatcher {
    const pathGlobs = globs.filter((glob) => glob.includes("/"));
    const nameGlobs = globs.filter((glob) => !glob.includes("/"));
    const matchesPath = pathGlobs.length > 0 ? picomatch(pathGlobs, MATCH_OPTIONS) : () => false;
    const matchesName = nameGlobs.length > 0 ? picomatch(nameGlobs, MATCH_OPTIONS) : () => false;
    return (path) => matchesPath(path) || matchesName(path.slice(path.lastIndexOf("/") + 1));
}
