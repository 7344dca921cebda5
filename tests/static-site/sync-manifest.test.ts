import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gzipSync } from "zlib";
import {
    decodeManifest,
    digestFiles,
    emptyManifest,
    encodeManifest,
    Manifest,
    manifestKey,
} from "../../components/static-site/sync";

const manifest: Manifest = {
    version: 1,
    files: {
        "index.html": { sha256: "a".repeat(64), size: 10, contentType: "text/html; charset=utf-8", cacheControl: "no-cache" },
        "assets/app.3f9a1c2b.js": { sha256: "b".repeat(64), size: 20, contentType: "text/javascript; charset=utf-8", cacheControl: "immutable" },
    },
    retained: { "assets/app.00000000.js": { sha256: "c".repeat(64), size: 5, contentType: "text/javascript", cacheControl: "x" } },
    inFlight: [],
};
const gz = (value: unknown) => gzipSync(JSON.stringify(value));

describe("sync manifest", () => {
    it("round-trips through its gzip'd JSON form, with stable bytes", () => {
        assert.deepEqual(decodeManifest(encodeManifest(manifest)), manifest);
        const reordered: Manifest = { ...manifest, files: Object.fromEntries(Object.entries(manifest.files).reverse()) };
        assert.deepEqual(encodeManifest(reordered), encodeManifest(manifest));
    });

    it("reads an optional mtimeMs per entry (size + mtime skip), and refuses a malformed one", () => {
        const withTimes: Manifest = { ...manifest, files: { "a.html": { ...manifest.files["index.html"], mtimeMs: 1764000000123.456 } } };
        assert.deepEqual(decodeManifest(encodeManifest(withTimes)), withTimes);
        const bad = { ...manifest, files: { "a.html": { ...manifest.files["index.html"], mtimeMs: "yesterday" } } };
        assert.throws(() => decodeManifest(gz(bad)), /malformed files entry "a.html"/);
    });

    it("lives in the reserved directory under the prefix", () => {
        assert.equal(manifestKey(""), ".webstack/manifest.json.gz");
        assert.equal(manifestKey("sites/www/"), "sites/www/.webstack/manifest.json.gz");
    });

    it("digests a release independently of bookkeeping", () => {
        const files = Object.entries(manifest.files).map(([path, e]) => ({ path, ...e }));
        assert.match(digestFiles(files), /^[0-9a-f]{64}$/);
        assert.equal(digestFiles([...files].reverse()), digestFiles(files));
        assert.notEqual(digestFiles(files.slice(1)), digestFiles(files));
        assert.equal(digestFiles([]), digestFiles(Object.values(emptyManifest().files) as never[]));
    });

    it("keeps the digest every earlier version stored in Pulumi states: sha256 of the JSON [tag, sorted tuples]", () => {
        const files = [
            ...Object.entries(manifest.files).map(([path, e]) => ({ path, ...e })),
            { path: "naïve \"quoted\".html", sha256: "d".repeat(64), size: 0, contentType: "text/html", cacheControl: "no-cache" },
        ];
        const tuples = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.sha256, f.size, f.contentType, f.cacheControl]);
        const asStoredBefore = createHash("sha256").update(JSON.stringify(["webstack-sync/1", tuples])).digest("hex");
        assert.equal(digestFiles(files), asStoredBefore);
        assert.equal(digestFiles([]), createHash("sha256").update(JSON.stringify(["webstack-sync/1", []])).digest("hex"));
    });

    it("refuses what it cannot trust rather than guessing", () => {
        assert.throws(() => decodeManifest(Buffer.from("not gzip")), /not gzip'd JSON/);
        assert.throws(() => decodeManifest(gz({ ...manifest, version: 2 })), /version 2/);
        assert.throws(() => decodeManifest(gz({ version: 1 })), /no files/);
        const entry = manifest.files["index.html"];
        for (const badPath of ["../outside.html", "/absolute.html", "a//b.html", ".webstack/manifest.json.gz", ""]) {
            assert.throws(() => decodeManifest(gz({ ...manifest, files: { [badPath]: entry } })), /malformed files entry/, badPath);
        }
        assert.throws(() => decodeManifest(gz({ ...manifest, files: { "a.html": { ...entry, size: "10" } } })), /malformed/);
        assert.throws(() => decodeManifest(gz({ ...manifest, inFlight: ["../x"] })), /inFlight/);
    });
});
