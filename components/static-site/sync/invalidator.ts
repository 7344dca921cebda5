import { randomBytes } from "crypto";
import { CLOUDFRONT_MAX_PATHS_IN_PROGRESS, CLOUDFRONT_MAX_WILDCARDS_IN_PROGRESS } from "./invalidation-paths";

/**
 * Something that can invalidate paths of a CDN. The sync engine computes the
 * paths; the caller decides whether and where to send them. Tests pass a fake.
 */
export interface Invalidator {
    /**
     * Ask for the paths to be invalidated. `callerReference` must be unique
     * per request: CloudFront treats a repeated reference as the same
     * request and does nothing.
     */
    invalidate(paths: readonly string[], callerReference: string): Promise<{ id: string }>;
}

/** Everything: a single wildcard path, which CloudFront counts as one path (and one of its 15 wildcards in progress). */
const EVERYTHING = ["/*"];

/**
 * Send a sync's invalidation paths, if there are any, within CloudFront's
 * limits (see CLOUDFRONT_MAX_PATHS_IN_PROGRESS): more than 3,000 paths, or
 * more than 15 wildcard paths, become one `/*`; and when CloudFront answers
 * TooManyInvalidationsInProgress for a list of individual paths (other
 * invalidations of the distribution still running), the list is sent again
 * as one `/*`, which counts against the separate wildcard maximum.
 * Returns the invalidation id, or undefined when there was nothing to invalidate.
 */
export async function invalidatePaths(
    invalidator: Invalidator,
    paths: readonly string[],
    releaseDigest: string,
): Promise<string | undefined> {
    if (paths.length === 0) return undefined;
    const batch = withinCloudFrontLimits(paths);
    try {
        return (await invalidator.invalidate(batch, callerReferenceFor(releaseDigest))).id;
    } catch (error) {
        if ((error as Error).name !== "TooManyInvalidationsInProgress" || batch.every((path) => isWildcard(path))) throw error;
        return (await invalidator.invalidate(EVERYTHING, callerReferenceFor(releaseDigest))).id;
    }
}

/**
 * A CallerReference unique to this request. The digest alone would repeat
 * when a release is rolled back to an earlier one, and the time alone when
 * two invalidations are sent within one millisecond; CloudFront would
 * silently treat the second as the first ("If you make a second invalidation
 * request with the same value for CallerReference ... CloudFront doesn't
 * create a new invalidation request", API reference, CreateInvalidation).
 */
function callerReferenceFor(releaseDigest: string): string {
    return `webstack-${releaseDigest.slice(0, 16)}-${Date.now()}-${randomBytes(6).toString("hex")}`;
}

function withinCloudFrontLimits(paths: readonly string[]): readonly string[] {
    const wildcards = paths.filter(isWildcard).length;
    if (paths.length > CLOUDFRONT_MAX_PATHS_IN_PROGRESS || wildcards > CLOUDFRONT_MAX_WILDCARDS_IN_PROGRESS) return EVERYTHING;
    return paths;
}

/** CloudFront only honours `*` as the last character of a path. */
function isWildcard(path: string): boolean {
    return path.endsWith("*");
}
