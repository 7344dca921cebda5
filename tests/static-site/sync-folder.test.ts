import assert from "node:assert/strict";
import { GetObjectCommand, HeadObjectCommand, HeadObjectCommandOutput, PutObjectCommand } from "@aws-sdk/client-s3";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    IMMUTABLE_CACHE_CONTROL,
    MANIFEST_PATH,
    RESERVED_DIRECTORY,
    REVALIDATE_CACHE_CONTROL,
    scanFolder,
    syncFolder,
    SyncFolderOptions,
    SyncPhase,
    SyncProgress,
    syncStateOf,
} from "../../components/static-site/sync";
import { createSandboxClient, recordRequests, RecordedRequest, S3Sandbox, startS3Sandbox } from "./s3-sandbox";

const EXAMPLE_SITE = path.join(__dirname, "..", "..", "examples", "site");

describe("syncFolder against an S3 server on loopback", function () {
    let sandbox: S3Sandbox;
    let requests: RecordedRequest[];
    const tempFolders: string[] = [];
    let bucketCount = 0;

    before(async () => {
        sandbox = await startS3Sandbox();
        requests = recordRequests(sandbox.client);
    });
    after(async () => {
        await sandbox?.stop();
        for (const folder of tempFolders) await fs.rm(folder, { recursive: true, force: true });
    });

    async function newBucket(): Promise<string> {
        const name = `sync-test-${++bucketCount}`;
        await sandbox.createBucket(name);
        return name;
    }

    /** A temporary copy of `files` (relative path → content) that a test may change. */
    async function makeFolder(files: Record<string, string | Buffer>): Promise<string> {
        const folder = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-sync-"));
        tempFolders.push(folder);
        await writeFiles(folder, files);
        return folder;
    }
    async function writeFiles(folder: string, files: Record<string, string | Buffer>): Promise<void> {
        for (const [relative, content] of Object.entries(files)) {
            await fs.mkdir(path.dirname(path.join(folder, relative)), { recursive: true });
            await fs.writeFile(path.join(folder, relative), content);
        }
    }
    async function copyExampleSite(): Promise<string> {
        const folder = await makeFolder({});
        await fs.cp(EXAMPLE_SITE, folder, { recursive: true });
        return folder;
    }

    function sync(bucket: string, folder: string, options: Partial<SyncFolderOptions> = {}) {
        return syncFolder({ client: sandbox.client, bucket, folder, ...options });
    }

    /** Run `action` and return the requests it made, as recorded on the client. */
    async function requestsDuring(action: () => Promise<unknown>): Promise<RecordedRequest[]> {
        requests.length = 0;
        await action();
        return [...requests];
    }
    const isManifest = (r: RecordedRequest) => r.key?.endsWith(MANIFEST_PATH) ?? false;
    // The sync's own bookkeeping (manifest, deploy lock) lives under RESERVED_DIRECTORY.
    const isBookkeeping = (r: RecordedRequest) => r.key?.includes(RESERVED_DIRECTORY) ?? false;
    const contentPuts = (log: RecordedRequest[]) => log.filter((r) => r.command === "PutObjectCommand" && !isBookkeeping(r));
    const manifestPuts = (log: RecordedRequest[]) => log.filter((r) => r.command === "PutObjectCommand" && isManifest(r));
    const ofCommand = (log: RecordedRequest[], command: string) => log.filter((r) => r.command === command);

    async function head(bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
        try {
            return await sandbox.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        } catch (error) {
            if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
            throw error;
        }
    }
    async function read(bucket: string, key: string): Promise<Buffer> {
        const response = await sandbox.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await response.Body!.transformToByteArray());
    }

    describe("publishing the example site", () => {
        let bucket: string;
        let folder: string;
        const expectedHeaders = (relative: string): [string, string] => {
            const table: [RegExp, string, string][] = [
                [/\.html$/, "text/html; charset=utf-8", REVALIDATE_CACHE_CONTROL],
                [/^assets\/app\.[0-9a-f]{8}\.js$/, "text/javascript; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
                [/^assets\/style\.[0-9a-f]{8}\.css$/, "text/css; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
                [/^assets\/logo\.[0-9a-f]{8}\.png$/, "image/png", IMMUTABLE_CACHE_CONTROL],
                [/^favicon\.ico$/, "image/vnd.microsoft.icon", REVALIDATE_CACHE_CONTROL],
                [/^robots\.txt$/, "text/plain; charset=utf-8", REVALIDATE_CACHE_CONTROL],
            ];
            const row = table.find(([pattern]) => pattern.test(relative));
            assert.ok(row, `no expectation for ${relative}`);
            return [row[1], row[2]];
        };

        before(async () => {
            bucket = await newBucket();
            folder = await copyExampleSite();
        });

        it("first sync uploads every file with the right Content-Type and Cache-Control", async () => {
            const local = await scanFolder({ folder });
            assert.ok(local.fileCount >= 8, "the example site has pages, assets, a PNG and a favicon");
            let result!: Awaited<ReturnType<typeof sync>>;
            const log = await requestsDuring(async () => (result = await sync(bucket, folder)));

            assert.deepEqual([...result.uploaded].sort(), local.files.map((f) => f.path));
            assert.equal(contentPuts(log).length, local.fileCount);
            assert.equal(manifestPuts(log).length, 2, "in-flight record, then the final manifest");
            assert.equal(result.manifestWrites, 2);
            assert.deepEqual(result.invalidationPaths, [], "nothing was cached before the first release");
            for (const file of local.files) {
                const object = await head(bucket, file.path);
                assert.ok(object, `${file.path} is in the bucket`);
                const [contentType, cacheControl] = expectedHeaders(file.path);
                assert.equal(object.ContentType, contentType, file.path);
                assert.equal(object.CacheControl, cacheControl, file.path);
                assert.equal(object.ContentLength, file.size, file.path);
                assert.equal(object.Metadata?.sha256, file.sha256, file.path);
            }
            const png = local.files.find((f) => f.path.endsWith(".png"))!;
            assert.deepEqual(await read(bucket, png.path), await fs.readFile(png.absolutePath));
            assert.ok(await head(bucket, MANIFEST_PATH), "the manifest is stored in the bucket");
        });

        it("a second sync with nothing changed makes no PUT at all", async () => {
            let result!: Awaited<ReturnType<typeof sync>>;
            const log = await requestsDuring(async () => (result = await sync(bucket, folder)));
            assert.equal(ofCommand(log, "PutObjectCommand").length, 0);
            assert.equal(ofCommand(log, "DeleteObjectsCommand").length, 0);
            assert.deepEqual(log.map((r) => `${r.command} ${r.key}`), [`GetObjectCommand ${MANIFEST_PATH}`], "only the manifest is read");
            assert.deepEqual(result.uploaded, []);
            assert.equal(result.unchanged, result.fileCount);
            assert.equal(result.manifestWrites, 0);
            assert.deepEqual(result.invalidationPaths, []);
        });

        it("with one file changed, makes exactly one content PUT (plus two manifest PUTs)", async () => {
            const about = path.join(folder, "about.html");
            await fs.writeFile(about, (await fs.readFile(about, "utf8")).replace("About", "About us"));
            let result!: Awaited<ReturnType<typeof sync>>;
            const log = await requestsDuring(async () => (result = await sync(bucket, folder)));
            assert.deepEqual(contentPuts(log).map((r) => r.key), ["about.html"]);
            // The manifest is written twice when anything is uploaded: first with
            // about.html marked in flight (so a crash mid-upload is repaired by
            // the next sync), then the final one.
            assert.equal(manifestPuts(log).length, 2);
            assert.deepEqual(result.uploaded, ["about.html"]);
            assert.deepEqual(result.invalidationPaths, ["/about.html"]);
            assert.match((await read(bucket, "about.html")).toString(), /About us/);
        });

        it("a file deleted from the build is removed from the bucket", async () => {
            await fs.rm(path.join(folder, "robots.txt"));
            let result!: Awaited<ReturnType<typeof sync>>;
            const log = await requestsDuring(async () => (result = await sync(bucket, folder)));
            assert.deepEqual(result.deleted, ["robots.txt"]);
            assert.equal(await head(bucket, "robots.txt"), undefined);
            assert.ok(await head(bucket, "index.html"), "the rest stays");
            assert.equal(ofCommand(log, "DeleteObjectsCommand").length, 1);
            assert.equal(contentPuts(log).length, 0);
            assert.equal(manifestPuts(log).length, 1, "only the final manifest: the old one already lists the deleted key");
            assert.deepEqual(result.invalidationPaths, ["/robots.txt"]);
        });
    });

    it("uploads no HTML before the last asset has completed", async () => {
        const files: Record<string, string> = {};
        for (let i = 0; i < 10; i++) files[`page-${i}.html`] = `<p>${i}</p>`;
        for (let i = 0; i < 40; i++) files[`assets/chunk-${i}.${(0x10000000 + i).toString(16)}.js`] = `export const x = ${i};`;
        files["images/a.png"] = "png bytes";
        const bucket = await newBucket();
        const folder = await makeFolder(files);
        const log = await requestsDuring(() => sync(bucket, folder, { concurrency: 8 }));
        const puts = contentPuts(log);
        const html = puts.filter((r) => r.key!.endsWith(".html"));
        const assets = puts.filter((r) => !r.key!.endsWith(".html"));
        assert.equal(html.length, 10);
        assert.equal(assets.length, 41);
        const lastAssetDone = Math.max(...assets.map((r) => r.finishedAt!));
        const firstHtmlStart = Math.min(...html.map((r) => r.startedAt));
        assert.ok(lastAssetDone < firstHtmlStart, `last asset completed at ${lastAssetDone}, first HTML started at ${firstHtmlStart}`);
        const maxInFlight = Math.max(
            ...puts.map((r) => puts.filter((o) => o.startedAt <= r.startedAt && o.finishedAt! > r.startedAt).length),
        );
        assert.ok(maxInFlight <= 8, `at most 8 uploads in flight, saw ${maxInFlight}`);
        assert.ok(maxInFlight > 1, "uploads do run in parallel");
    });

    it("detects a changed PNG of the same size and the same mtime", async () => {
        const original = Buffer.alloc(4096, 1);
        original.write("\x89PNG\r\n\x1a\n", 0, "latin1");
        const bucket = await newBucket();
        const folder = await makeFolder({ "img/photo.png": original, "index.html": "<img src=img/photo.png>" });
        await sync(bucket, folder);
        const changed = Buffer.from(original);
        changed[2048] = 2;
        const file = path.join(folder, "img", "photo.png");
        const { mtime } = await fs.stat(file);
        await fs.writeFile(file, changed);
        await fs.utimes(file, mtime, mtime);
        const log = await requestsDuring(async () => {
            const result = await sync(bucket, folder);
            assert.deepEqual(result.uploaded, ["img/photo.png"]);
        });
        assert.deepEqual(contentPuts(log).map((r) => r.key), ["img/photo.png"]);
        assert.deepEqual(await read(bucket, "img/photo.png"), changed);
    });

    describe("keepPreviousAssets", () => {
        const release = (hash: string) => ({
            "index.html": `<script src="/assets/app.${hash}.js"></script>`,
            [`assets/app.${hash}.js`]: `console.log("${hash}")`,
        });

        it("keeps the previous release's fingerprinted assets, and drops them one release later", async () => {
            const bucket = await newBucket();
            const folder = await makeFolder(release("11111111"));
            await sync(bucket, folder);

            await fs.rm(folder, { recursive: true });
            await writeFiles(folder, release("22222222"));
            const second = await sync(bucket, folder);
            assert.deepEqual(second.retained, ["assets/app.11111111.js"]);
            assert.deepEqual(second.deleted, []);
            assert.ok(await head(bucket, "assets/app.11111111.js"), "an open tab can still load the old bundle");

            await fs.rm(folder, { recursive: true });
            await writeFiles(folder, release("33333333"));
            const third = await sync(bucket, folder);
            assert.deepEqual(third.deleted, ["assets/app.11111111.js"]);
            assert.deepEqual(third.retained, ["assets/app.22222222.js"]);
            assert.equal(await head(bucket, "assets/app.11111111.js"), undefined);
            assert.ok(await head(bucket, "assets/app.22222222.js"));
        });

        it("deletes them at once when turned off", async () => {
            const bucket = await newBucket();
            const folder = await makeFolder(release("11111111"));
            await sync(bucket, folder, { keepPreviousAssets: false });
            await fs.rm(folder, { recursive: true });
            await writeFiles(folder, release("22222222"));
            const second = await sync(bucket, folder, { keepPreviousAssets: false });
            assert.deepEqual(second.deleted, ["assets/app.11111111.js"]);
            assert.equal(await head(bucket, "assets/app.11111111.js"), undefined);
        });
    });

    it("re-uploads exactly the files whose cache rule changed", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "x", "guide.pdf": "pdf", "docs/manual.pdf": "pdf 2", "a.txt": "t" });
        await sync(bucket, folder);
        const cacheRules = [{ glob: "*.pdf", cacheControl: "public, max-age=3600" }];
        let result!: Awaited<ReturnType<typeof sync>>;
        const log = await requestsDuring(async () => (result = await sync(bucket, folder, { cacheRules })));
        assert.deepEqual(contentPuts(log).map((r) => r.key).sort(), ["docs/manual.pdf", "guide.pdf"]);
        assert.equal((await head(bucket, "guide.pdf"))?.CacheControl, "public, max-age=3600");
        assert.equal((await head(bucket, "index.html"))?.CacheControl, REVALIDATE_CACHE_CONTROL);
        assert.deepEqual(result.invalidationPaths, ["/docs/manual.pdf", "/guide.pdf"]);
        const again = await requestsDuring(() => sync(bucket, folder, { cacheRules }));
        assert.equal(contentPuts(again).length, 0, "stable once applied");
    });

    it("returns the invalidation paths of changed pages, and /* above the threshold", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "1", "docs/index.html": "1", "a.html": "1", "b.html": "1", "c.html": "1" });
        await sync(bucket, folder);
        await writeFiles(folder, { "index.html": "2", "docs/index.html": "2", "new.html": "2" });
        const result = await sync(bucket, folder);
        assert.deepEqual(result.invalidationPaths, ["/", "/docs/", "/docs/index.html", "/index.html"]);
        await writeFiles(folder, { "a.html": "3", "b.html": "3", "c.html": "3" });
        const many = await sync(bucket, folder, { invalidationThreshold: 2 });
        assert.deepEqual(many.invalidationPaths, ["/*"]);
    });

    it("stays inside its prefix and never deletes objects it did not upload", async () => {
        const bucket = await newBucket();
        const userObjects = ["notes.txt", "site/uploads/user.jpg", "other/index.html"];
        for (const Key of userObjects) {
            await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "user data" }));
        }
        const folder = await makeFolder({ "index.html": "1", "old.html": "1", "uploads/readme.txt": "1" });
        const log = await requestsDuring(() => sync(bucket, folder, { prefix: "site" }));
        assert.ok(log.every((r) => r.key === undefined || r.key.startsWith("site/")), "every key is under site/");
        assert.ok(await head(bucket, "site/index.html"));

        await fs.rm(path.join(folder, "old.html"));
        await fs.rm(path.join(folder, "uploads"), { recursive: true });
        const result = await sync(bucket, folder, { prefix: "site/" });
        assert.deepEqual(result.deleted, ["old.html", "uploads/readme.txt"]);
        assert.equal(await head(bucket, "site/old.html"), undefined);
        for (const key of userObjects) assert.ok(await head(bucket, key), `${key} is untouched`);
    });

    it("dryRun reports the plan and writes nothing", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "1", "a.css": "1" });
        let result!: Awaited<ReturnType<typeof sync>>;
        const log = await requestsDuring(async () => (result = await sync(bucket, folder, { dryRun: true })));
        assert.deepEqual(result.uploaded, ["a.css", "index.html"]);
        assert.equal(result.dryRun, true);
        // No manifest yet: the bucket is listed in case an earlier one was deleted (re-adopt), and nothing is written.
        assert.deepEqual(log.map((r) => r.command), ["GetObjectCommand", "ListObjectsV2Command"]);
        assert.equal(await head(bucket, "index.html"), undefined);
    });

    it("recovers from a sync that failed half-way, even when rolling back", async () => {
        const bucket = await newBucket();
        const v1 = { "index.html": "v1", "about.html": "about v1", "assets/a.js": "a1", "assets/b.js": "b1" };
        const v2 = { "index.html": "v2", "about.html": "about v2", "assets/a.js": "a2", "assets/b.js": "b2" };
        const folder = await makeFolder(v1);
        await sync(bucket, folder);

        // A client whose upload of assets/b.js fails, as a network failure would.
        const failing = createSandboxClient(sandbox.endpoint);
        const failingLog = recordRequests(failing);
        failing.middlewareStack.add(
            (next, context) => async (args) => {
                const { Key } = args.input as { Key?: string };
                if (context.commandName === "PutObjectCommand" && Key === "assets/b.js") throw new Error("simulated failure");
                return next(args);
            },
            { step: "initialize", name: "failOneUpload" },
        );
        await writeFiles(folder, v2);
        await assert.rejects(
            syncFolder({ client: failing, bucket, folder, concurrency: 1 }),
            /Uploading assets\/b\.js .* failed: simulated failure/,
        );
        failing.destroy();
        assert.equal(contentPuts(failingLog).filter((r) => r.key!.endsWith(".html")).length, 0, "no page went out");
        assert.equal((await read(bucket, "assets/a.js")).toString(), "a2", "a.js was overwritten before the failure");

        // Roll back to v1: its bytes equal the last complete manifest, yet a.js must be re-uploaded.
        await writeFiles(folder, v1);
        const result = await sync(bucket, folder);
        assert.deepEqual([...result.uploaded].sort(), ["about.html", "assets/a.js", "assets/b.js", "index.html"]);
        assert.equal((await read(bucket, "assets/a.js")).toString(), "a1");
        const settled = await requestsDuring(() => sync(bucket, folder));
        assert.equal(contentPuts(settled).length, 0, "and then it is settled");
    });

    it("reports progress through every phase", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "1", "a.css": "1", "b.js": "1", "old.txt": "1" });
        await sync(bucket, folder);
        await fs.rm(path.join(folder, "old.txt"));
        await writeFiles(folder, { "a.css": "2", "index.html": "2" });
        const events: SyncProgress[] = [];
        await sync(bucket, folder, { onProgress: (p) => events.push(p), progressIntervalMs: 0 });
        const phases = events.map((e) => e.phase).filter((phase, i, all) => phase !== all[i - 1]);
        const expected: SyncPhase[] = ["scan", "plan", "upload-assets", "upload-html", "delete", "write-manifest", "done"];
        assert.deepEqual(phases, expected);
        const last = events[events.length - 1];
        assert.deepEqual(
            { scanned: last.scanned, toUpload: last.toUpload, uploaded: last.uploaded, toDelete: last.toDelete, deleted: last.deleted, unchanged: last.unchanged },
            { scanned: 3, toUpload: 2, uploaded: 2, toDelete: 1, deleted: 1, unchanged: 1 },
        );
        assert.equal(last.bytesUploaded, 2);
    });

    it("refuses to publish an empty folder over a live site", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "1" });
        await sync(bucket, folder);
        await fs.rm(path.join(folder, "index.html"));
        await assert.rejects(sync(bucket, folder), /no files to publish/);
        assert.ok(await head(bucket, "index.html"));
    });

    it("streams large files and keeps the Pulumi state tiny", async () => {
        const bucket = await newBucket();
        const big = Buffer.alloc(6 * 1024 * 1024);
        for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
        const folder = await makeFolder({ "video/intro.mp4": big, "index.html": "1" });
        const result = await sync(bucket, folder);
        assert.deepEqual(await read(bucket, "video/intro.mp4"), big);
        const state = syncStateOf(result);
        assert.equal(state.manifestDigest, (await scanFolder({ folder })).digest, "the digest can be computed at preview time");
        assert.ok(JSON.stringify(state).length < 200);
    });
});
