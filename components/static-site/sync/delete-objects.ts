import { DeleteObjectsCommand, S3Client } from "@aws-sdk/client-s3";

/** S3's limit of keys per DeleteObjects request. */
const KEYS_PER_REQUEST = 1000;

/**
 * Delete keys in batches of 1,000 (one request per batch, not per key).
 * Deleting a key that is already gone succeeds, so a sync that died during
 * its deletes can simply run again. Throws if S3 reports any key it could
 * not delete.
 */
export async function deleteObjects(
    client: S3Client,
    bucket: string,
    keys: readonly string[],
    onDeleted: (count: number) => void = () => {},
): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
        const batch = keys.slice(start, start + KEYS_PER_REQUEST);
        const response = await client.send(
            new DeleteObjectsCommand({
                Bucket: bucket,
                Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
        );
        const errors = response.Errors ?? [];
        if (errors.length > 0) {
            const first = errors[0];
            throw new Error(
                `Deleting ${errors.length} of ${batch.length} objects from s3://${bucket} failed; ` +
                    `first: ${first.Key}: ${first.Code} ${first.Message ?? ""}`.trim(),
            );
        }
        onDeleted(batch.length);
    }
}
