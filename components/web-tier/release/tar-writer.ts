/**
 * A minimal, deterministic POSIX ustar writer for release archives.
 *
 * Why not shell out to `tar`: GNU tar's reproducibility flags (`--sort`,
 * `--mtime`, `--owner`) do not exist in the bsdtar macOS and Windows ship,
 * and the archive's bytes decide its S3 key. Writing the format here makes
 * the same folder give the same bytes on every machine.
 *
 * Format: each entry is a 512-byte header followed by its data padded to 512
 * bytes; the archive ends with two zero blocks (POSIX.1-1988 "ustar").
 */

const BLOCK = 512;

/** One regular file in the archive. */
export interface TarEntry {
    /** Path inside the archive, `/`-separated, relative (no leading `/`). */
    path: string;
    data: Buffer;
    /** Whether the file keeps an executable bit (mode 0755 instead of 0644). */
    executable: boolean;
}

/** Splits a path into ustar's `prefix` (≤155 bytes) and `name` (≤100 bytes) fields. */
export function splitTarPath(path: string): { prefix: string; name: string } {
    if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
    // Split at a "/" so that both halves fit.
    for (let i = path.length - 1; i > 0; i--) {
        if (path[i] !== "/") continue;
        const prefix = path.slice(0, i);
        const name = path.slice(i + 1);
        if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { prefix, name };
    }
    throw new Error(`path too long for a tar archive (ustar allows 255 bytes split at a "/"): ${path}`);
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
    header.write(value, offset, length, "utf8");
}

/** Numeric fields are zero-padded octal followed by a NUL. */
function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
    const text = value.toString(8).padStart(length - 1, "0");
    if (text.length > length - 1) throw new Error(`value ${value} does not fit a ${length}-byte tar field`);
    header.write(`${text}\0`, offset, length, "ascii");
}

function headerFor(entry: TarEntry): Buffer {
    const header = Buffer.alloc(BLOCK, 0);
    const { prefix, name } = splitTarPath(entry.path);
    writeString(header, 0, 100, name);
    writeOctal(header, 100, 8, entry.executable ? 0o755 : 0o644);
    writeOctal(header, 108, 8, 0); // uid: root, so no builder's uid leaks into the hash
    writeOctal(header, 116, 8, 0); // gid
    writeOctal(header, 124, 12, entry.data.length);
    writeOctal(header, 136, 12, 0); // mtime: the epoch, so only content changes the bytes
    header.write("        ", 148, 8, "ascii"); // checksum is computed with this field as spaces
    header.write("0", 156, 1, "ascii"); // typeflag: regular file
    header.write("ustar\0", 257, 6, "ascii");
    header.write("00", 263, 2, "ascii");
    writeString(header, 265, 32, "root");
    writeString(header, 297, 32, "root");
    writeString(header, 345, 155, prefix);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
    return header;
}

/**
 * The tar stream of `entries`, in the order given (callers sort them).
 * Directories are not written: extracting creates them for the files.
 */
export function writeTar(entries: TarEntry[]): Buffer {
    const parts: Buffer[] = [];
    for (const entry of entries) {
        parts.push(headerFor(entry), entry.data);
        const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
        if (padding > 0) parts.push(Buffer.alloc(padding, 0));
    }
    parts.push(Buffer.alloc(BLOCK * 2, 0));
    return Buffer.concat(parts);
}
