import { isImmutable } from "./cache-rules";
import { SyncPlan } from "./plan-sync";

/**
 * Above this many paths one `/*` is asked for instead: CloudFront bills each
 * path beyond 1,000 a month (a wildcard counts as one), and a release that
 * touches many pages is as well served by flushing everything.
 */
export const DEFAULT_INVALIDATION_THRESHOLD = 15;

/**
 * CloudFront's "concurrent invalidation request maximum": invalidation
 * requests for up to 3,000 individual files per distribution in progress at
 * one time, and, independently, up to 15 wildcard paths in progress
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html).
 * The limit is on paths *in progress*, so splitting a larger list into
 * several batches would only have the later batches refused: above it, one
 * `/*` (a single wildcard path) is sent instead.
 */
export const CLOUDFRONT_MAX_PATHS_IN_PROGRESS = 3000;
export const CLOUDFRONT_MAX_WILDCARDS_IN_PROGRESS = 15;

/**
 * The CloudFront paths to invalidate after a sync, sorted, or `["/*"]` when
 * there are more than `threshold` (never more than CloudFront's 3,000, see
 * CLOUDFRONT_MAX_PATHS_IN_PROGRESS), or `[]` when nothing cached can be stale.
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
    if (paths.size > Math.min(threshold, CLOUDFRONT_MAX_PATHS_IN_PROGRESS)) return ["/*"];
    return [...paths].sort();
}

/**
 * The URL path of a file: each segment percent-encoded, and `*` too, which
 * CloudFront would otherwise read as a wildcard.
 */
function urlPathOf(path: string): string {
    return "/" + path.split("/").map((segment) => encodeURIComponent(segment).replace(/\*/g, "%2A")).join("/");
}
