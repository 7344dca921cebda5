/**
 * A synthetic built site for benchmarks: deterministic (seeded), shaped like
 * a real front end's output — nested HTML pages, fingerprinted JS/CSS/PNG
 * under assets/, a few un-fingerprinted files — with realistic small sizes.
 */
import { promises as fs } from "fs";
import * as path from "path";

export interface GeneratedSite {
    fileCount: number;
    totalBytes: number;
    byKind: Record<string, number>;
}

/** Share of each kind of file, and its size range in bytes. */
const KINDS = [
    { kind: "html", share: 0.2, min: 2_000, max: 30_000 },
    { kind: "js", share: 0.35, min: 1_000, max: 60_000 },
    { kind: "css", share: 0.15, min: 1_000, max: 20_000 },
    { kind: "png", share: 0.25, min: 1_000, max: 40_000 },
    { kind: "other", share: 0.05, min: 200, max: 8_000 },
];

/** A small seeded PRNG (mulberry32), so every run benchmarks the same site. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const WORDS = "static site sync bucket release asset cache header page script style image hash upload delete manifest".split(" ");

export async function generateSite(folder: string, fileCount = 10_000, seed = 42): Promise<GeneratedSite> {
    const next = random(seed);
    const between = (min: number, max: number) => Math.floor(min + next() * (max - min));
    const hex = () => Array.from({ length: 8 }, () => Math.floor(next() * 16).toString(16)).join("");
    const text = (size: number) => {
        const parts: string[] = [];
        let length = 0;
        while (length < size) {
            const word = WORDS[Math.floor(next() * WORDS.length)];
            parts.push(word);
            length += word.length + 1;
        }
        return parts.join(" ").slice(0, size);
    };
    const binary = (size: number) => {
        const bytes = Buffer.alloc(size);
        for (let i = 0; i < size; i += 4) bytes.writeUInt32LE(Math.floor(next() * 4294967296), Math.min(i, size - 4));
        return bytes;
    };

    const site: GeneratedSite = { fileCount: 0, totalBytes: 0, byKind: {} };
    const writes: Promise<void>[] = [];
    // One mkdir per directory, shared by the concurrent writes into it.
    const directories = new Map<string, Promise<unknown>>();
    const write = async (relative: string, content: string | Buffer) => {
        const directory = path.dirname(path.join(folder, relative));
        if (!directories.has(directory)) directories.set(directory, fs.mkdir(directory, { recursive: true }));
        await directories.get(directory);
        await fs.writeFile(path.join(folder, relative), content);
    };

    let index = 0;
    for (const { kind, share, min, max } of KINDS) {
        const count = kind === KINDS[KINDS.length - 1].kind ? fileCount - index : Math.round(fileCount * share);
        for (let i = 0; i < count; i++, index++) {
            const size = between(min, max);
            const [relative, content] = fileOf(kind, i, size);
            site.fileCount++;
            site.totalBytes += content.length;
            site.byKind[kind] = (site.byKind[kind] ?? 0) + 1;
            writes.push(write(relative, content));
            if (writes.length >= 64) await Promise.all(writes.splice(0));
        }
    }
    await Promise.all(writes);
    return site;

    function fileOf(kind: string, i: number, size: number): [string, string | Buffer] {
        const group = `g${Math.floor(i / 100)}`;
        switch (kind) {
            case "html":
                return [i === 0 ? "index.html" : `docs/${group}/page-${i}/index.html`, `<!doctype html><title>${i}</title><p>${text(size)}</p>`];
            case "js":
                return [`assets/js/${group}/chunk-${i}.${hex()}.js`, `export const c${i} = ${JSON.stringify(text(size))};`];
            case "css":
                return [`assets/css/${group}/style-${i}.${hex()}.css`, `.c${i}{content:${JSON.stringify(text(size))}}`];
            case "png":
                return [`assets/img/${group}/image-${i}.${hex()}.png`, Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), binary(size)])];
            default:
                return [`data/${group}/item-${i}.json`, JSON.stringify({ i, text: text(size) })];
        }
    }
}
