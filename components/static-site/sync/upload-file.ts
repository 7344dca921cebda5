import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createReadStream, promises as fs } from "fs";
import { sha256Hex } from "./hash-file";
import { LocalFile } from "./scan-folder";

/**
 * Files up to this size are read into memory and checked against their
 * planned hash before sending; larger ones are streamed (S3 still checks
 * them through ChecksumSHA256). With 16 uploads in flight this bounds the
 * upload buffers to 64 MiB.
 */
const BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * PUT one file with its headers. The object also carries its sha256 twice:
 * as `x-amz-meta-sha256` (readable by anyone inspecting the bucket, and a
 * fallback should the manifest be lost) and as ChecksumSHA256, with which S3
 * refuses the upload if the bytes that arrive are not the bytes we hashed.
 */
export async function uploadFile(client: S3Client, bucket: string, key: string, file: LocalFile): Promise<void> {
    let body: Buffer | NodeJS.ReadableStream;
    if (file.size <= BUFFER_LIMIT) {
        body = await fs.readFile(file.absolutePath);
        // The manifest will record file.sha256; never let it describe other bytes.
        if (sha256Hex(body) !== file.sha256) {
            throw new Error(`${file.path} changed while the sync was running; run the sync again once the build has finished`);
        }
    } else {
        body = createReadStream(file.absolutePath);
    }
    try {
        await client.send(
            new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: body as Buffer,
                ContentLength: file.size,
                ContentType: file.contentType,
                CacheControl: file.cacheControl,
                Metadata: { sha256: file.sha256 },
                ChecksumSHA256: Buffer.from(file.sha256, "hex").toString("base64"),
            }),
        );
    } catch (error) {
        throw new Error(`Uploading ${file.path} to s3://${bucket}/${key} failed: ${(error as Error).message}`, { cause: error });
    }
}
