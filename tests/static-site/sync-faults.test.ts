/**
 * Issue 11 items 1 and 2: the sync against s3rver through a fault proxy
 * that stalls, fails or cuts chosen requests. The client is built by the
 * provider's own `s3ClientConfig`, only with shorter timeouts.
 */
import assert from "node:assert/strict";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { promises as fs, truncateSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cloudFrontClientConfig, DEFAULT_SYNC_TIMEOUTS, s3ClientConfig, syncFolder, SyncFolderOptions, SyncTimeouts } from "../../components/static-site/sync";
import { FaultProxy, startFaultProxy } from "./fault-proxy";
import { S3Sandbox, SANDBOX_CREDENTIALS, SANDBOX_REGION, startS3Sandbox } from "./s3-sandbox";

/** Short enough for a test, the same mechanism as the defaults. */
const TEST_TIMEOUTS: SyncTimeouts = { connectionTimeoutMs: 1_000, socketIdleTimeoutMs: 700, requestTimeoutMs: 5_000, maxAttempts: 3 };

const MIB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("syncFolder through a fault proxy (issue 11 items 1, 2)", function () {
    this.timeout(30_000);
    let sandbox: S3Sandbox;
    let proxy: FaultProxy;
    let client: S3Client;
    const folders: string[] = [];
    let bucketCount = 0;

    before(async () => {
        sandbox = await startS3Sandbox();
        proxy = await startFaultProxy(sandbox.endpoint);
        client = new S3Client(s3ClientConfig({ stackKeys: false, endpoints: { s3: proxy.endpoint } }, SANDBOX_REGION, async () => SANDBOX_CREDENTIALS, TEST_TIMEOUTS));
    });
    afterEach(() => {
        proxy.clear();
        proxy.requests.length = 0;
    });
    after(async () => {
        client?.destroy();
        await proxy?.close();
        await sandbox?.stop();
        for (const folder of folders) await fs.rm(folder, { recursive: true, force: true });
    });

    async function newBucket(): Promise<string> {
        const name = `faults-${++bucketCount}`;
        await sandbox.createBucket(name);
        return name;
    }
    async function makeFolder(files: Record<string, string | Buffer>): Promise<string> {
        const folder = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-faults-"));
        folders.push(folder);
        for (const [relative, content] of Object.entries(files)) {
            await fs.mkdir(path.dirname(path.join(folder, relative)), { recursive: true });
            await fs.writeFile(path.join(folder, relative), content);
        }
        return folder;
    }
    const sync = (bucket: string, folder: string, options: Partial<SyncFolderOptions> = {}) => syncFolder({ client, bucket, folder, ...options });
    async function stored(bucket: string, key: string): Promise<Buffer | undefined> {
        try {
            const response = await sandbox.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return Buffer.from(await response.Body!.transformToByteArray());
        } catch (error) {
            if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
            throw error;
        }
    }

    it("bounds every request by default: connection, idle socket and whole-request timeouts, with retries", () => {
        const config = s3ClientConfig({ stackKeys: false }, "eu-west-1");
        assert.deepEqual(config.requestHandler, {
            connectionTimeout: DEFAULT_SYNC_TIMEOUTS.connectionTimeoutMs,
            socketTimeout: DEFAULT_SYNC_TIMEOUTS.socketIdleTimeoutMs,
            requestTimeout: DEFAULT_SYNC_TIMEOUTS.requestTimeoutMs,
            throwOnRequestTimeout: true,
        });
        assert.equal(config.maxAttempts, DEFAULT_SYNC_TIMEOUTS.maxAttempts);
        const cloudFront = cloudFrontClientConfig({ stackKeys: false });
        assert.deepEqual(cloudFront.requestHandler, config.requestHandler);
        assert.equal(cloudFront.maxAttempts, DEFAULT_SYNC_TIMEOUTS.maxAttempts);
    });

    it("resolves each command's middleware once (memory), and concurrent uploads through the cached handlers keep their own bytes and headers", async () => {
        // cacheMiddleware: one handler chain and one context per command
        // class, shared by the 16 uploads in flight (see s3ClientConfig).
        assert.equal(s3ClientConfig({ stackKeys: false }, "eu-west-1").cacheMiddleware, true);
        const bucket = await newBucket();
        const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p/${i}.${i % 2 ? "html" : "css"}`, randomBytes(100 + i * 97)]));
        const folder = await makeFolder(files);
        const result = await sync(bucket, folder, { concurrency: 16 });
        assert.equal(result.uploaded.length, 60);
        for (const [key, bytes] of Object.entries(files)) {
            assert.deepEqual(await stored(bucket, key), bytes, key);
            const head = await sandbox.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
            assert.equal(head.Metadata?.sha256, sha256(bytes), key);
            assert.equal(head.ContentType, key.endsWith(".html") ? "text/html; charset=utf-8" : "text/css; charset=utf-8", key);
        }
    });

    it("item 1: a stalled PUT times out and is retried instead of hanging the sync", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "<p>home</p>", "app.js": "console.log(1)" });
        const stall = proxy.inject({ method: "PUT", path: `/${bucket}/app.js`, fault: { kind: "stall" }, times: 1 });
        const result = await sync(bucket, folder);
        assert.equal(stall.hits, 1);
        assert.equal(proxy.requests.filter((r) => r.method === "PUT" && r.url.startsWith(`/${bucket}/app.js`)).length, 2, "stalled once, then retried");
        assert.deepEqual([...result.uploaded].sort(), ["app.js", "index.html"]);
        assert.equal((await stored(bucket, "app.js"))?.toString(), "console.log(1)");
    });

    it("item 1: a PUT that stalls on every attempt fails the sync after the retries, naming the file", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "<p>home</p>" });
        const stall = proxy.inject({ method: "PUT", path: `/${bucket}/index.html`, fault: { kind: "stall" } });
        const started = Date.now();
        await assert.rejects(sync(bucket, folder), /index\.html.*(timed out|TimeoutError)/s);
        assert.equal(stall.hits, TEST_TIMEOUTS.maxAttempts);
        assert.ok(Date.now() - started < 15_000);
    });

    it("item 1: a large file that shrinks after hashing is refused at once, naming it", async () => {
        const bucket = await newBucket();
        const folder = await makeFolder({ "index.html": "<p>home</p>", "video.bin": randomBytes(6 * MIB) });
        const started = Date.now();
        await assert.rejects(
            sync(bucket, folder, {
                // Between the scan (which hashed 6 MiB) and the upload.
                onProgress: (p) => p.phase === "plan" && truncateSync(path.join(folder, "video.bin"), 5 * MIB),
            }),
            /video\.bin.*changed size since it was hashed/s,
        );
        assert.ok(Date.now() - started < 5_000, "refused before any request could hang");
        assert.equal(await stored(bucket, "video.bin"), undefined);
    });

    it("item 2: a transient 500 on a part of a large file is retried; the object is whole and checked", async () => {
        const bucket = await newBucket();
        const big = randomBytes(13 * MIB);
        const folder = await makeFolder({ "index.html": "<p>home</p>", "media/big.bin": big });
        const fail = proxy.inject({ method: "PUT", path: new RegExp(`^/${bucket}/media/big\\.bin`), fault: { kind: "fail", status: 500 }, times: 1, skip: 1 });
        const cut = proxy.inject({ method: "PUT", path: new RegExp(`^/${bucket}/media/big\\.bin`), fault: { kind: "cut" }, times: 1, skip: 2 });
        await sync(bucket, folder);
        assert.equal(fail.hits, 1);
        assert.equal(cut.hits, 1);
        // Uploaded in parts: the faults hit single parts, each resent on its own.
        assert.ok(proxy.requests.some((r) => r.method === "POST" && r.url.startsWith(`/${bucket}/media/big.bin?uploads`)), "multipart upload");
        const parts = proxy.requests.filter((r) => r.method === "PUT" && /partNumber=/.test(r.url));
        assert.ok(parts.length >= 3 + 2, `3 parts plus 2 retries, got ${parts.length}`);
        const object = await stored(bucket, "media/big.bin");
        assert.equal(object && sha256(object), sha256(big));
        const head = await sandbox.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "media/big.bin" }));
        assert.equal(head.Metadata?.sha256, sha256(big));
        assert.equal(head.ContentLength, big.length);
    });

    it("item 2: a large file whose bytes change after hashing (same size) is refused; no object is completed", async () => {
        const bucket = await newBucket();
        const big = randomBytes(11 * MIB);
        const folder = await makeFolder({ "index.html": "<p>home</p>", "big.bin": big });
        const edited = Buffer.from(big);
        edited[edited.length - 1] ^= 0xff;
        await assert.rejects(
            sync(bucket, folder, { onProgress: (p) => p.phase === "plan" && writeFileSync(path.join(folder, "big.bin"), edited) }),
            /big\.bin.*changed while the sync was running/s,
        );
        assert.equal(await stored(bucket, "big.bin"), undefined);
        assert.ok(!proxy.requests.some((r) => r.method === "POST" && /uploadId=/.test(r.url)), "CompleteMultipartUpload never sent");
    });
});
