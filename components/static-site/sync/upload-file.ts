import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import { Transform, TransformCallback } from "stream";
import { sha256Hex } from "./hash-file";
import { LocalFile } from "./scan-folder";

/**
 * Files up to this size are read into memory, checked against their planned
 * hash and sent in one PUT, which the SDK can resend as it is on a retry.
 * Larger ones are uploaded in parts (below). With 16 uploads in flight this
 * bounds the single-PUT buffers to 64 MiB.
 */
const BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * Part size of a multipart upload: S3's minimum (5 MiB, except the last
 * part), grown for files so large that 10,000 parts (S3's maximum) would not
 * hold them (Amazon S3 User Guide, "Amazon S3 multipart upload limits").
 */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

/**
 * Parts of one file in flight at once. lib-storage holds at most one part
 * being filled plus this many being sent: 15 MiB per large file, 240 MiB if
 * all 16 uploads were large files at the same moment.
 */
const PARTS_IN_FLIGHT = 2;

/**
 * Upload one file with its headers. The object also carries its sha256 as
 * `x-amz-meta-sha256` (readable by anyone inspecting the bucket, and a
 * fallback should the manifest be lost), and S3 checks the bytes it receives:
 *
 * - small files: one PUT of a buffer whose sha256 was checked here, with
 *   ChecksumSHA256, with which S3 refuses bytes that are not the ones hashed;
 * - large files: a multipart upload (@aws-sdk/lib-storage), each part sent
 *   with its own SHA-256 checksum that S3 verifies, each part a buffer the
 *   SDK's retry strategy can resend on a 500, a reset or a timeout (a
 *   streamed single PUT could not be resent: one transient error failed the
 *   deploy). The whole file's sha256 and size are checked while it is read;
 *   a mismatch fails the stream before the last part is sent, so the upload
 *   is aborted and never completed.
 *
 * A file whose size differs from the hashed size is refused before any
 * request: its body would be shorter (or longer) than the size the manifest
 * records, and a short streamed body used to hang the request.
 */
export async function uploadFile(client: S3Client, bucket: string, key: string, file: LocalFile): Promise<void> {
    const handle = await fs.open(file.absolutePath, "r");
    try {
        const { size } = await handle.stat();
        if (size !== file.size) {
            throw new Error(
                `${file.path} changed size since it was hashed (${file.size} bytes, now ${size}); ` +
                    "run the sync again once the build has finished writing the folder",
            );
        }
        const headers = {
            Bucket: bucket,
            Key: key,
            ContentType: file.contentType,
            CacheControl: file.cacheControl,
            Metadata: { sha256: file.sha256 },
        };
        try {
            if (file.size <= BUFFER_LIMIT) await putWhole(client, headers, file, await handle.readFile());
            else await uploadInParts(client, headers, file, handle);
        } catch (error) {
            if (error instanceof FileChangedError) throw error;
            throw new Error(`Uploading ${file.path} to s3://${bucket}/${key} failed: ${(error as Error).message}`, { cause: error });
        }
    } finally {
        await handle.close();
    }
}

type ObjectHeaders = { Bucket: string; Key: string; ContentType: string; CacheControl: string; Metadata: Record<string, string> };

/** The local file no longer has the bytes that were hashed: not an upload failure, not worth retrying. */
class FileChangedError extends Error {
    constructor(file: LocalFile) {
        super(`${file.path} changed while the sync was running; run the sync again once the build has finished`);
        this.name = "FileChangedError";
    }
}

async function putWhole(client: S3Client, headers: ObjectHeaders, file: LocalFile, body: Buffer): Promise<void> {
    // The manifest will record file.sha256; never let it describe other bytes.
    if (sha256Hex(body) !== file.sha256) throw new FileChangedError(file);
    await client.send(
        new PutObjectCommand({
            ...headers,
            Body: body,
            ContentLength: body.length,
            ChecksumSHA256: Buffer.from(file.sha256, "hex").toString("base64"),
        }),
    );
}

async function uploadInParts(client: S3Client, headers: ObjectHeaders, file: LocalFile, handle: fs.FileHandle): Promise<void> {
    const body = handle.createReadStream({ start: 0, autoClose: false }).pipe(new VerifyingStream(file));
    const upload = new Upload({
        client,
        params: {
            ...headers,
            Body: body,
            // lib-storage counts the parts it expects from this (a stream has no length of its own).
            ContentLength: file.size,
            // Per part: the SDK computes each part's SHA-256, S3 checks it on receipt.
            ChecksumAlgorithm: "SHA256",
        },
        partSize: Math.max(MIN_PART_SIZE, Math.ceil(file.size / MAX_PARTS)),
        queueSize: PARTS_IN_FLIGHT,
        // On failure lib-storage sends AbortMultipartUpload, so no parts are left billed in the bucket.
        leavePartsOnError: false,
    });
    try {
        await upload.done();
    } catch (error) {
        throw body.changed ?? error;
    }
}

/**
 * Passes the file's bytes through, hashing them; at the end, fails the stream
 * if they are not the bytes (and size) that were hashed. lib-storage reads
 * the stream before sending the last part, so the error stops the upload
 * before CompleteMultipartUpload can publish the wrong object.
 */
class VerifyingStream extends Transform {
    private readonly hash = createHash("sha256");
    private bytesSeen = 0;
    changed?: FileChangedError;

    constructor(private readonly file: LocalFile) {
        super();
    }

    override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
        this.hash.update(chunk);
        this.bytesSeen += chunk.length;
        if (this.bytesSeen > this.file.size) return callback(this.fail());
        callback(null, chunk);
    }

    override _flush(callback: TransformCallback): void {
        if (this.bytesSeen !== this.file.size || this.hash.digest("hex") !== this.file.sha256) return callback(this.fail());
        callback();
    }

    private fail(): FileChangedError {
        this.changed = new FileChangedError(this.file);
        return this.changed;
    }
}
