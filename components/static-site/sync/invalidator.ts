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

/**
 * Send a sync's invalidation paths, if there are any. Returns the
 * invalidation id, or undefined when there was nothing to invalidate.
 */
export async function invalidatePaths(
    invalidator: Invalidator,
    paths: readonly string[],
    releaseDigest: string,
): Promise<string | undefined> {
    if (paths.length === 0) return undefined;
    // The digest alone would repeat when a release is rolled back to an
    // earlier one, and CloudFront would silently ignore that request.
    const reference = `webstack-${releaseDigest.slice(0, 16)}-${Date.now()}`;
    const { id } = await invalidator.invalidate(paths, reference);
    return id;
}
