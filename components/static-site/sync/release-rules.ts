import { CacheRule, createCacheControlResolver, validateCacheRules } from "./cache-rules";
import { contentTypeFor } from "./content-type";
import { createFileFilter, FileFilter } from "./file-filter";
import { createFingerprintDetector } from "./fingerprint";
import { PathMatcher } from "./globs";

/** The options that decide which files a release has and which headers they are served with. */
export interface ReleaseRuleOptions {
    /**
     * Globs of files not to publish, on top of dotfiles. A glob without `/`
     * matches a file name in any directory.
     * @example ["*.map", "drafts/**"]
     */
    exclude?: string[];
    /**
     * Publish dotfiles and dot-directories too (`.DS_Store`, `.git/` are
     * skipped by default; the top-level `.well-known/` is always published).
     * @default false
     */
    includeDotfiles?: boolean;
    /**
     * Cache-Control rules tried before the defaults; the first match wins.
     * @default [] (fingerprinted files are immutable for a year, the rest revalidate on every request)
     * @example [{ glob: "downloads/**", cacheControl: "public, max-age=3600" }]
     */
    cacheRules?: CacheRule[];
    /**
     * Globs of fingerprinted files (content-hashed names that never get new
     * bytes), replacing the default detection of `name.<8+ hex digits>.ext`.
     * @example "assets/**"
     */
    fingerprint?: string | string[];
}

/** The validated rules, as functions of a file's relative path. */
export interface ReleaseRules {
    filter: FileFilter;
    isFingerprinted: PathMatcher;
    headersFor(path: string): { contentType: string; cacheControl: string };
}

/** Validate the options (throwing a ConfigError that names the setting) and compile them. */
export function resolveReleaseRules(options: ReleaseRuleOptions): ReleaseRules {
    const filter = createFileFilter(options);
    const isFingerprinted = createFingerprintDetector(options.fingerprint);
    const cacheControlFor = createCacheControlResolver(validateCacheRules(options.cacheRules), isFingerprinted);
    return {
        filter,
        isFingerprinted,
        headersFor: (path) => ({ contentType: contentTypeFor(path), cacheControl: cacheControlFor(path) }),
    };
}
