import { HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { isNotFound } from "./conditional-write";
import { isReservedPath, isSafeRelativePath, RESERVED_DIRECTORY } from "./keys";
import { emptyManifest, Manifest, ManifestEntry } from "./manifest";
import { mapBounded } from "./pool";

/**
 * Rebuild the manifest of `s3://bucket/prefix` from the bucket itself, for
 * a sync that finds no manifest (first sync, or deleted by hand) or an
 * empty one: the objects it uploaded before would otherwise stay in the
 * bucket forever, since a sync deletes only what its manifest lists.
 *
 * An object counts as the sync's own when it carries `x-amz-meta-sha256`
 * (every upload sets it; upload-file.ts): its entry is that hash, its size
 * and its two headers, so planSync keeps it when the local file still
 * matches, re-uploads it when not, and deletes it when the folder no longer
 * has it. Objects without that metadata are the user's and never touched;
 * so are keys under a nested prefix that has its own `.webstack/` (another
 * site synced below this one).
 *
 * Cost: one ListObjectsV2 per 1,000 keys, then one HeadObject per key under
 * the prefix (ListObjectsV2 returns no user metadata), `concurrency` at a
 * time. Paid only when the manifest is missing or empty.
 */
export async function adoptBucket(client: S3Client, bucket: string, prefix: string, concurrency: number): Promise<Manifest> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    const relative = keys.map((key) => key.slice(prefix.length));
    // Nested sync prefixes: "sub/.webstack/manifest.json.gz" makes "sub/" another site's.
    const nested = relative.filter((path) => path.includes(`/${RESERVED_DIRECTORY}`)).map((path) => path.slice(0, path.indexOf(`/${RESERVED_DIRECTORY}`) + 1));
    const candidates = relative.filter(
        (path) => isSafeRelativePath(path) && !isReservedPath(path) && !path.includes(`/${RESERVED_DIRECTORY}`) && !nested.some((n) => path.startsWith(n)),
    );

    const adopted = await mapBounded(candidates, concurrency, async (path): Promise<[string, ManifestEntry] | undefined> => {
        try {
            const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + path }));
            const sha256 = head.Metadata?.sha256;
            if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
            return [path, { sha256, size: head.ContentLength ?? -1, contentType: head.ContentType ?? "", cacheControl: head.CacheControl ?? "" }];
        } catch (error) {
            if (isNotFound(error)) return undefined; // deleted since the listing
            throw new Error(`Re-adopting s3://${bucket}/${prefix}: reading ${path} failed: ${(error as Error).message}`, { cause: error });
        }
    });
    const files = adopted.filter((entry): entry is [string, ManifestEntry] => entry !== undefined);
    return { ...emptyManifest(), files: Object.fromEntries(files) };
}

/** A manifest that records nothing: the sync then re-adopts the bucket. */
export function isEmptyManifest(manifest: Manifest | undefined): boolean {
    return (
        manifest === undefined ||
        (Object.keys(manifest.files).length === 0 && Object.keys(manifest.retained).length === 0 && manifest.inFlight.length === 0)
    );
}
