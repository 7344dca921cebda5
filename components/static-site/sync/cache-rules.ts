import { invalid } from "../../internal/errors";
import { compileGlobs, PathMatcher } from "./globs";
import { hasControlCharacter } from "./keys";

/** For fingerprinted files: their bytes never change, so browsers and CDNs keep them a year without asking. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

/**
 * For HTML and every other file whose name stays the same across releases:
 * caches may store it but must revalidate on every request (a cheap 304), so
 * a release is visible at once without a CDN invalidation race.
 */
export const REVALIDATE_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/**
 * One Cache-Control rule. Rules are tried in order and the first whose glob
 * matches wins; user rules come before the defaults (fingerprinted files →
 * IMMUTABLE_CACHE_CONTROL, everything else → REVALIDATE_CACHE_CONTROL).
 *
 * @example { glob: "downloads/**", cacheControl: "public, max-age=3600" }
 */
export interface CacheRule {
    /**
     * Glob, or list of globs, matched against the path relative to the
     * folder. A glob without `/` matches the file name in any directory
     * (`*.pdf`); dotfiles are matched like other files.
     */
    glob: string | readonly string[];
    /** The Cache-Control header value, sent as is. */
    cacheControl: string;
}

/** A validated rule, ready to match. */
interface CompiledRule {
    matches: PathMatcher;
    cacheControl: string;
}

/**
 * Check user cache rules without touching anything. Returns them typed, or
 * throws a ConfigError naming the exact setting, e.g. `cacheRules[1].glob`.
 * `setting` is the name the caller exposes the rules under.
 */
export function validateCacheRules(rules: unknown, setting = "cacheRules"): CacheRule[] {
    if (rules === undefined) return [];
    if (!Array.isArray(rules)) {
        invalid(setting, rules, "cache rules must be a list", 'write [{ glob: "downloads/**", cacheControl: "public, max-age=3600" }]');
    }
    return rules.map((rule: unknown, index) => {
        const where = `${setting}[${index}]`;
        if (typeof rule !== "object" || rule === null || Array.isArray(rule)) {
            invalid(where, rule, "a cache rule must be an object with glob and cacheControl", 'write { glob: "downloads/**", cacheControl: "public, max-age=3600" }');
        }
        const { glob, cacheControl } = rule as Record<string, unknown>;
        if (glob === undefined) {
            invalid(`${where}.glob`, glob, "the rule has no glob, so it would match nothing", 'add a glob, e.g. glob: "downloads/**"');
        }
        compileGlobs(glob, `${where}.glob`);
        validateCacheControl(cacheControl, `${where}.cacheControl`);
        return { glob: glob as CacheRule["glob"], cacheControl: cacheControl as string };
    });
}

function validateCacheControl(value: unknown, setting: string): void {
    if (typeof value !== "string") {
        invalid(setting, value, "Cache-Control must be a string", 'write the header value, e.g. "public, max-age=3600"');
    }
    if (value.trim() === "") {
        invalid(setting, value, "an empty Cache-Control leaves caching to chance", 'write the header value, e.g. "public, max-age=3600" or "no-store"');
    }
    // A header value with CR/LF or other control characters would be rejected
    // by S3 at upload time, far from the config line that caused it.
    if (hasControlCharacter(value)) {
        invalid(setting, value, "Cache-Control contains a control character (newline, tab, ...)", "write the directives on one line, separated by commas");
    }
}

/**
 * The function path → Cache-Control for validated user rules followed by the
 * defaults. `isFingerprinted` decides which files get the immutable default.
 */
export function createCacheControlResolver(
    rules: readonly CacheRule[],
    isFingerprinted: PathMatcher,
): (path: string) => string {
    const compiled: CompiledRule[] = rules.map((rule) => ({
        matches: compileGlobs(rule.glob, "cacheRules.glob"),
        cacheControl: rule.cacheControl,
    }));
    return (path) => {
        for (const rule of compiled) {
            if (rule.matches(path)) return rule.cacheControl;
        }
        return isFingerprinted(path) ? IMMUTABLE_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL;
    };
}

/** True when a Cache-Control value lets caches keep the file without revalidating for its whole life. */
export function isImmutable(cacheControl: string): boolean {
    return /(^|,)\s*immutable\s*(,|$)/i.test(cacheControl);
}
