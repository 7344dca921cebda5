import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeManifest, digestFiles, encodeManifest, entriesOf, Manifest } from "./manifest";
import { manifestKey } from "./keys";

/**
 * Read the manifest of the last sync under `prefix` (normalized), or
 * undefined if there is none yet. With no manifest the sync uploads every
 * file and deletes nothing, which is always safe.
 *
 * Note: S3 answers 403, not 404, for a missing key when the caller lacks
 * s3:ListBucket; the deployer needs that permission on the bucket.
 */
export async function readManifest(client: S3Client, bucket: string, prefix: string): Promise<Manifest | undefined> {
    const key = manifestKey(prefix);
    let bytes: Uint8Array;
    try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!response.Body) throw new Error("empty response body");
        bytes = await response.Body.transformToByteArray();
    } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if ((error as Error).name === "NoSuchKey" || status === 404) return undefined;
        throw new Error(`Reading the sync manifest s3://${bucket}/${key} failed: ${(error as Error).message}`, { cause: error });
    }
    try {
        return decodeManifest(bytes);
    } catch (error) {
        throw new Error(
            `s3://${bucket}/${key}: ${(error as Error).message}. ` +
                "Delete it to start over: the next sync then uploads every file, and no longer deletes the files it had uploaded before.",
            { cause: error },
        );
    }
}

/**
 * Store a manifest. Its release digest also goes into the object's metadata
 * (`x-amz-meta-release-digest`), so that a HeadObject is enough to check
 * whether the bucket still holds the release the Pulumi state remembers.
 * Returns the stored size in bytes.
 */
export async function writeManifest(client: S3Client, bucket: string, prefix: string, manifest: Manifest): Promise<number> {
    const body = encodeManifest(manifest);
    await client.send(
        new PutObjectCommand({
            Bucket: bucket,
            Key: manifestKey(prefix),
            Body: body,
            ContentType: "application/gzip",
            CacheControl: "no-store",
            Metadata: { "release-digest": digestFiles(entriesOf(manifest.files)) },
        }),
    );
    return body.length;
}
