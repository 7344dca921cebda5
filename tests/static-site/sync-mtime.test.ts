/**
 * The no-change re-sync skips re-reading files whose size and modification
 * time equal the manifest's record (issue 11 must-show 3), and re-hashes as
 * soon as either differs, or when the opt-out is set.
 */
import assert from "node:assert/strict";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "zlib";
import { decodeManifest, Manifest, manifestKey, readManifest, syncFolder, SyncFolderOptions } from "../../components/static-site/sync";
import { S3Sandbox, startS3Sandbox } from "./s3-sandbox";

describe("syncFolder: size + mtime prove a file unchanged", function () {
    let sandbox: S3Sandbox;
    const folders: string[] = [];
    let bucketCount = 0;
    before(async () => {
        sandbox = await startS3Sandbox();
    });
    after(async () => {
        await sandbox?.stop();
        for (const folder of folders) await fs.rm(folder, { recursive: true, force: true });
    });

    async function setUp(): Promise<{ bucket: string; folder: string; sync: (options?: Partial<SyncFolderOptions>) => ReturnType<typeof syncFolder> }> {
        const bucket = `mtime-${++bucketCount}`;
        await sandbox.createBucket(bucket);
        const folder = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-mtime-"));
        folders.push(folder);
        await fs.writeFile(path.join(folder, "index.html"), "<p>version A</p>");
        await fs.writeFile(path.join(folder, "app.js"), "console.log('a')");
        // Whole seconds, which utimes can restore exactly (a Date would round the nanoseconds).
        const second = Math.floor(Date.now() / 1000) - 60;
        for (const name of ["index.html", "app.js"]) await fs.utimes(path.join(folder, name), second, second);
        return { bucket, folder, sync: (options = {}) => syncFolder({ client: sandbox.client, bucket, folder, ...options }) };
    }

    /** Rewrite a file with other bytes of the same size, then put its modification time back. */
    async function editKeepingSizeAndMtime(file: string, content: string): Promise<void> {
        const before = await fs.stat(file);
        assert.equal(Buffer.byteLength(content), before.size);
        await fs.writeFile(file, content);
        await fs.utimes(file, before.atimeMs / 1000, before.mtimeMs / 1000);
        assert.equal((await fs.stat(file)).mtimeMs, before.mtimeMs);
    }

    it("records size and mtimeMs of every file in the manifest", async () => {
        const { bucket, folder, sync } = await setUp();
        await sync();
        const manifest = (await readManifest(sandbox.client, bucket, ""))!;
        const stat = await fs.stat(path.join(folder, "index.html"));
        assert.equal(manifest.files["index.html"].mtimeMs, stat.mtimeMs);
        assert.equal(manifest.files["index.html"].size, stat.size);
    });

    it("does not re-read a file whose size and mtime are unchanged (the documented caveat), unless trustModificationTimes is false", async () => {
        const { bucket, folder, sync } = await setUp();
        await sync();
        await editKeepingSizeAndMtime(path.join(folder, "index.html"), "<p>version B</p>");
        // Not re-read: the old hash is trusted, nothing is uploaded. This is the
        // price of the skip, and why the opt-out exists.
        const trusted = await sync();
        assert.deepEqual(trusted.uploaded, []);
        assert.equal(trusted.unchanged, 2);
        const rehashed = await sync({ trustModificationTimes: false });
        assert.deepEqual(rehashed.uploaded, ["index.html"]);
        const object = await sandbox.client.send(new GetObjectCommand({ Bucket: bucket, Key: "index.html" }));
        assert.equal(await object.Body!.transformToString(), "<p>version B</p>");
    });

    it("re-hashes a file whose mtime or size differs", async () => {
        const { folder, sync } = await setUp();
        await sync();
        const file = path.join(folder, "app.js");
        await fs.writeFile(file, "console.log('b')"); // same size, new mtime
        const future = new Date(Date.now() + 5_000);
        await fs.utimes(file, future, future);
        assert.deepEqual((await sync()).uploaded, ["app.js"]);
        const page = path.join(folder, "index.html");
        const before = await fs.stat(page);
        await fs.writeFile(page, "<p>version A, longer</p>");
        await fs.utimes(page, before.atimeMs / 1000, before.mtimeMs / 1000); // same mtime, new size
        assert.deepEqual((await sync()).uploaded, ["index.html"]);
    });

    it("re-hashes everything when the manifest has no mtimes (written by an older webstack)", async () => {
        const { bucket, folder, sync } = await setUp();
        await sync();
        const key = manifestKey("");
        const stored = await sandbox.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const manifest = decodeManifest(await stored.Body!.transformToByteArray());
        const old: Manifest = {
            ...manifest,
            files: Object.fromEntries(Object.entries(manifest.files).map(([p, { mtimeMs: _mtime, ...entry }]) => [p, entry])),
        };
        const { PutObjectCommand } = await import("@aws-sdk/client-s3");
        await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify(old)) }));
        await editKeepingSizeAndMtime(path.join(folder, "index.html"), "<p>version C</p>");
        assert.deepEqual((await sync()).uploaded, ["index.html"]);
    });
});
