import { createHash, webcrypto } from "crypto";
import { promises as fs } from "fs";

/** Files up to this size are read in one call; larger ones are read in chunks so memory stays flat. */
const READ_WHOLE_LIMIT = 1024 * 1024;
const CHUNK_SIZE = 256 * 1024;

/**
 * The sha256 (hex) and size of a file's bytes, and its modification time
 * as seen before reading (a later write changes it, so a record of it can
 * only ever be older than the bytes hashed: the next sync re-hashes).
 *
 * Written for 10,000 small files: one open, one fstat, one read and one
 * close each (fs.stat + fs.readFile would cost two more thread-pool trips),
 * and the digest of small files is computed by WebCrypto, which runs on the
 * thread pool too, so hashing uses both cores instead of the event loop.
 */
export async function hashFile(absolutePath: string): Promise<{ sha256: string; size: number; mtimeMs: number }> {
    const handle = await fs.open(absolutePath, "r");
    try {
        const { size, mtimeMs } = await handle.stat();
        if (size <= READ_WHOLE_LIMIT) {
            const bytes = await readFully(handle, size);
            const digest = await webcrypto.subtle.digest("SHA-256", bytes);
            return { sha256: Buffer.from(digest).toString("hex"), size: bytes.length, mtimeMs };
        }
        const hash = createHash("sha256");
        const chunk = Buffer.allocUnsafe(CHUNK_SIZE);
        let total = 0;
        for (;;) {
            const { bytesRead } = await handle.read(chunk, 0, CHUNK_SIZE, total);
            if (bytesRead === 0) break;
            hash.update(chunk.subarray(0, bytesRead));
            total += bytesRead;
        }
        return { sha256: hash.digest("hex"), size: total, mtimeMs };
    } finally {
        await handle.close();
    }
}

/** Read `size` bytes from the start (fewer if the file shrank meanwhile). */
async function readFully(handle: fs.FileHandle, size: number): Promise<Buffer> {
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
        const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
    }
    return bytes.subarray(0, offset);
}

export function sha256Hex(bytes: Buffer | string): string {
    return createHash("sha256").update(bytes).digest("hex");
}
