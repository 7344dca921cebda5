import { isImmutable } from "./cache-rules";
import { SyncPlan } from "./plan-sync";

/**
 * Above this many paths one `/*` is asked for instead: CloudFront bills each
 * path beyond 1,000 a month (a wildcard counts as one), and a release that
 * touches many pages is as well served by flushing everything.
 */
export const DEFAULT_INVALIDATION_THRESHOLD = 15;

/**
 * The CloudFront paths to invalidate after a sync, sorted, or `["/*"]` when
 * there are more than `threshold`, or `[]` when nothing cached can be stale.
 *
 * - Overwritten paths (new bytes or new headers) are always listed, even
 *   immutable ones: the edge would otherwise serve the old bytes for a year.
 * - Deleted paths are listed unless they were immutable: a fingerprinted
 *   file that is gone is still correct wherever it is cached, and keeping it
 *   there helps open tabs.
 * - New paths are not listed: nothing is cached for them (beyond a 404
 *   remembered for CloudFront's short error-caching TTL).
 * - `dir/index.html` also invalidates `/dir/` (and `index.html` the root `/`),
 *   the URL people actually request.
 *
 * Paths are relative to the distribution's origin path, i.e. without the
 * sync's key prefix, and URL-encoded as CloudFront expects.
 */
export function invalidationPathsFor(
    plan: Pick<SyncPlan, "uploads" | "deletes">,
    threshold = DEFAULT_INVALIDATION_THRESHOLD,
): string[] {
    const stale = [
        ...plan.uploads.filter((upload) => upload.reason !== "new").map((upload) => upload.file.path),
        ...plan.deletes.filter((del) => !(del.previous && isImmutable(del.previous.cacheControl))).map((del) => del.path),
    ];
    const paths = new Set<string>();
    for (const path of stale) {
        const url = urlPathOf(path);
        paths.add(url);
        if (path === "index.html" || path.endsWith("/index.html")) paths.add(url.slice(0, -"index.html".length));
    }
    if (paths.size > threshold) return ["/*"];
    return [...paths].sort();
}

/**
 * The URL path of a file: each segment percent-encoded, and `*` too, which
 * CloudFront would otherwise read as a wildcard.
 */
function urlPathOf(path: string): string {
    return "/" + path.split("/").map((segment) => encodeURIComponent(segment).replace(/\*/g, "%2A")).join("/");
}
