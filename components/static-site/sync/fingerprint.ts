import { contentTypeFor, isHtml } from "./content-type";
import { compileGlobs, PathMatcher } from "./globs";

/**
 * The default test for a fingerprinted file name: a dot-delimited segment of
 * at least 8 lowercase hex digits, as bundlers write a content hash
 * (`app.3f9a1c2b.js`, `main.3f9a1c2b.chunk.js`). Such a path never gets new
 * bytes, so it may be cached forever and kept after a release removes it.
 * Hashes in other shapes (Vite's `index-BXk3d8Jt.js`) need the `fingerprint`
 * option, e.g. `"assets/**"`. HTML is never fingerprinted by default: its
 * URLs are the ones people type and link to, and an HTML file cached for a
 * year by mistake (`report.20240101.html`) could not be fixed.
 */
const FINGERPRINT_SEGMENT = /\.[0-9a-f]{8,}\./;

/**
 * The predicate "is this path fingerprinted?". Without globs it applies
 * FINGERPRINT_SEGMENT to the file name; with globs, only the globs decide.
 */
export function createFingerprintDetector(globs?: unknown, setting = "fingerprint"): PathMatcher {
    if (globs === undefined) {
        return (path) =>
            FINGERPRINT_SEGMENT.test(path.slice(path.lastIndexOf("/") + 1)) && !isHtml(contentTypeFor(path));
    }
    return compileGlobs(globs, setting);
}
