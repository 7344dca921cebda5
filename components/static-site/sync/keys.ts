import { invalid } from "../../internal/errors";

/**
 * The directory, under the prefix, where the sync keeps its own bookkeeping.
 * It is reserved: no site file may live there, and the hosting layer must
 * keep it private (it lists every file and hash of the site).
 */
export const RESERVED_DIRECTORY = ".webstack/";

/** Where the manifest of the last sync lives, relative to the prefix. */
export const MANIFEST_PATH = `${RESERVED_DIRECTORY}manifest.json.gz`;

/**
 * Turn the user's `prefix` into the form keys are built from: "" or a path
 * ending in "/". Throws a ConfigError for prefixes that would put objects
 * somewhere the user did not mean (`/site`, `a/../b`, `a//b`).
 */
export function normalizePrefix(prefix: unknown, setting = "prefix"): string {
    if (prefix === undefined || prefix === "") return "";
    if (typeof prefix !== "string") {
        invalid(setting, prefix, "the prefix must be a string", 'write a key prefix such as "site/", or leave it unset for the bucket root');
    }
    if (prefix.startsWith("/")) {
        invalid(setting, prefix, "S3 keys do not start with /; this would create a directory named \"\"", `drop the leading slash: ${JSON.stringify(prefix.replace(/^\/+/, ""))}`);
    }
    const withSlash = prefix.endsWith("/") ? prefix : `${prefix}/`;
    if (!isSafeRelativePath(withSlash.slice(0, -1))) {
        invalid(setting, prefix, "the prefix has an empty, \".\" or \"..\" segment, or a control character", 'write plain segments separated by single slashes, e.g. "sites/www/"');
    }
    return withSlash;
}

/**
 * A relative path the sync may turn into a key: non-empty segments, none of
 * them "." or "..", no leading slash, no control characters. Paths read back
 * from a manifest are checked with it too, so a tampered manifest cannot make
 * the sync delete keys outside its prefix.
 */
export function isSafeRelativePath(path: string): boolean {
    if (path === "" || hasControlCharacter(path)) return false;
    return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** True when `text` has a C0 control character or DEL (newline, tab, NUL, ...). */
export function hasControlCharacter(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x20 || code === 0x7f) return true;
    }
    return false;
}

/** True for paths inside RESERVED_DIRECTORY. */
export function isReservedPath(path: string): boolean {
    return path.startsWith(RESERVED_DIRECTORY);
}

/** The S3 key of a site file. */
export function objectKey(prefix: string, path: string): string {
    return prefix + path;
}

/** The S3 key of the manifest for a (normalized) prefix. */
export function manifestKey(prefix: string): string {
    return prefix + MANIFEST_PATH;
}
