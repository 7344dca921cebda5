import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { isConditionFailure, isNotFound } from "./conditional-write";
import { decodeManifest, digestFiles, encodeManifest, entriesOf, Manifest } from "./manifest";
import { manifestKey } from "./keys";

/** A manifest as read from the bucket, with the ETag later writes are conditioned on. */
export interface StoredManifest {
    /** Undefined when there is none, or when the object is empty (0 bytes): both mean "re-adopt the bucket". */
    manifest?: Manifest;
    /** The object's ETag; undefined when there is no object at all. */
    etag?: string;
}

/**
 * Read the manifest of the last sync under `prefix` (normalized), or
 * undefined if there is none yet (or it is empty). See readStoredManifest.
 */
export async function readManifest(client: S3Client, bucket: string, prefix: string): Promise<Manifest | undefined> {
    return (await readStoredManifest(client, bucket, prefix)).manifest;
}

/**
 * Read the manifest and its ETag. A missing or 0-byte manifest is not an
 * error: the sync then re-adopts the bucket (adopt-bucket.ts).
 *
 * Note: S3 answers 403, not 404, for a missing key when the caller lacks
 * s3:ListBucket; the deployer needs that permission on the bucket.
 */
export async function readStoredManifest(client: S3Client, bucket: string, prefix: string): Promise<StoredManifest> {
    const key = manifestKey(prefix);
    let bytes: Uint8Array;
    let etag: string | undefined;
    try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        etag = response.ETag;
        bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
        if (isNotFound(error)) return {};
        throw new Error(`Reading the sync manifest s3://${bucket}/${key} failed: ${(error as Error).message}`, { cause: error });
    }
    if (bytes.length === 0) return { etag };
    try {
        return { manifest: decodeManifest(bytes), etag };
    } catch (error) {
        throw new Error(
            `s3://${bucket}/${key}: ${(error as Error).message}. ` +
                "Delete it to start over: the next sync then re-adopts the bucket (lists it, keeps the objects it uploaded " +
                "whose bytes and headers still match, re-uploads the rest and prunes what the folder no longer has).",
            { cause: error },
        );
    }
}

/** The manifest's ETag now, or undefined if it is gone (one HeadObject). */
export async function headManifestEtag(client: S3Client, bucket: string, prefix: string): Promise<string | undefined> {
    try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: manifestKey(prefix) }))).ETag;
    } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
    }
}

/** Raised when the manifest is no longer the one this sync read: another deploy published meanwhile. */
export class ManifestChangedError extends Error {}

/**
 * Store a manifest, only if the stored one is still `expectedEtag` (S3
 * If-Match), or only if there is none (If-None-Match "*") when
 * `expectedEtag` is undefined. Its release digest goes into the object's
 * metadata (`x-amz-meta-release-digest`), so that a HeadObject is enough to
 * check whether the bucket still holds the release the Pulumi state
 * remembers; `x-amz-meta-deployed-by` names the deploy that wrote it, for
 * the error another deploy then gets. Returns the new ETag.
 */
export async function writeManifest(
    client: S3Client,
    bucket: string,
    prefix: string,
    manifest: Manifest,
    expectedEtag: string | undefined,
    deployedBy: string,
): Promise<string | undefined> {
    const key = manifestKey(prefix);
    try {
        const response = await client.send(
            new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: encodeManifest(manifest),
                ContentType: "application/gzip",
                CacheControl: "no-store",
                Metadata: { "release-digest": digestFiles(entriesOf(manifest.files)), "deployed-by": asHeaderValue(deployedBy) },
                ...(expectedEtag === undefined ? { IfNoneMatch: "*" } : { IfMatch: expectedEtag }),
            }),
        );
        return response.ETag;
    } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const other = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
            (head) => `${head.Metadata?.["deployed-by"] ?? "a deploy that did not say who it was"} (written ${head.LastModified?.toISOString() ?? "at an unknown time"})`,
            () => "a deploy that has since removed it",
        );
        throw new ManifestChangedError(
            `s3://${bucket}/${key} was replaced while this sync was running, by ${other}: ` +
                "two deploys published to the same bucket and prefix at once. Nothing of this sync's manifest was written. " +
                "Make sure only one deploy targets this site at a time, then run the sync again: it re-reads the manifest and repairs the bucket.",
            { cause: error },
        );
    }
}

/**
 * User metadata travels as HTTP headers, which S3 wants in printable US-ASCII
 * (anything else must be RFC 2047-encoded:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html),
 * and the whole user metadata is limited to 2 KB: a label, shortened and
 * with other characters as "?".
 */
function asHeaderValue(label: string): string {
    return label.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}
