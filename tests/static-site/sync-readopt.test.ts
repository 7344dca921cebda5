import assert from "node:assert/strict";
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyManifest, encodeManifest, MANIFEST_PATH, readManifest, syncFolder } from "../../components/static-site/sync";
import { recordRequests, RecordedRequest, S3Sandbox, startS3Sandbox } from "./s3-sandbox";
import { siteFolder } from "./static-site-fixtures";

/** Issue 11 item 7: a deleted or emptied manifest no longer leaves the previous release's files in the bucket forever. */
describe("re-adopting a bucket whose manifest is missing or empty", function () {
    this.timeout(60_000);
    let sandbox: S3Sandbox;
    let requests: RecordedRequest[];
    let bucketCount = 0;
    const v1 = {
        "index.html": "<p>home</p>",
        "old.html": "<p>gone in v2</p>",
        "page.html": "<p>page v1</p>",
        "assets/app.3f9a1c2b.js": "app v1",
    };

    before(async () => {
        sandbox = await startS3Sandbox();
        requests = recordRequests(sandbox.client);
    });
    after(async () => {
        await sandbox?.stop();
    });

    async function keysOf(bucket: string): Promise<string[]> {
        const listed = await sandbox.client.send(new ListObjectsV2Command({ Bucket: bucket }));
        return (listed.Contents ?? []).map((o) => o.Key!).sort();
    }
    /** A bucket holding v1 (with a user's object beside it), a v2 folder, and the manifest lost as `lose` says. */
    async function siteWithLostManifest(lose: (bucket: string) => Promise<void>) {
        const bucket = `readopt-${++bucketCount}`;
        await sandbox.createBucket(bucket);
        await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key: "user-upload.pdf", Body: "the user's" }));
        const folder = siteFolder(v1);
        await syncFolder({ client: sandbox.client, bucket, folder });
        await lose(bucket);
        fs.rmSync(path.join(folder, "old.html"));
        fs.writeFileSync(path.join(folder, "page.html"), "<p>page v2</p>");
        return { bucket, folder };
    }
    const deleteManifest = async (bucket: string) => void (await sandbox.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: MANIFEST_PATH })));
    const writeManifestBytes = (body: Uint8Array) => async (bucket: string) =>
        void (await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key: MANIFEST_PATH, Body: body })));

    for (const [how, lose] of [
        ["deleted", deleteManifest],
        ["emptied (0 bytes)", writeManifestBytes(new Uint8Array())],
        ["replaced by one that lists nothing", writeManifestBytes(encodeManifest(emptyManifest()))],
    ] as const) {
        it(`manifest ${how}: lists the bucket, keeps what matches, re-uploads what changed, prunes what the folder no longer has`, async () => {
            const { bucket, folder } = await siteWithLostManifest(lose);
            const result = await syncFolder({ client: sandbox.client, bucket, folder, keepPreviousAssets: false });
            assert.deepEqual(result.deleted, ["old.html"], "v1's page the folder no longer has is pruned");
            assert.deepEqual(result.uploaded, ["page.html"], "unchanged files are not uploaded again");
            assert.equal(result.adopted, 4, "the four objects of v1, found by their x-amz-meta-sha256");
            assert.deepEqual(result.invalidationPaths, ["/old.html", "/page.html"]);
            assert.deepEqual(await keysOf(bucket), [".webstack/manifest.json.gz", "assets/app.3f9a1c2b.js", "index.html", "page.html", "user-upload.pdf"]);
            assert.deepEqual(Object.keys((await readManifest(sandbox.client, bucket, ""))!.files).sort(), ["assets/app.3f9a1c2b.js", "index.html", "page.html"]);

            requests.length = 0;
            const settled = await syncFolder({ client: sandbox.client, bucket, folder });
            assert.equal(settled.adopted, 0);
            assert.deepEqual(requests.map((r) => r.command), ["GetObjectCommand"], "adopted once: the next sync reads the manifest only");
        });
    }

    it("writes the rebuilt manifest even when the bucket already matches the folder", async () => {
        const bucket = `readopt-${++bucketCount}`;
        await sandbox.createBucket(bucket);
        const folder = siteFolder(v1);
        await syncFolder({ client: sandbox.client, bucket, folder });
        await deleteManifest(bucket);
        const result = await syncFolder({ client: sandbox.client, bucket, folder });
        assert.equal(result.adopted, 4);
        assert.deepEqual([result.uploaded, result.deleted], [[], []]);
        assert.equal(Object.keys((await readManifest(sandbox.client, bucket, ""))!.files).length, 4);
    });

    it("never adopts another site synced under a nested prefix, nor objects without the sync's metadata", async () => {
        const bucket = `readopt-${++bucketCount}`;
        await sandbox.createBucket(bucket);
        const root = siteFolder({ "index.html": "<p>root</p>", "retired.html": "<p>x</p>" });
        const blog = siteFolder({ "index.html": "<p>blog</p>", "post.html": "<p>post</p>" });
        await syncFolder({ client: sandbox.client, bucket, folder: root });
        await syncFolder({ client: sandbox.client, bucket, folder: blog, prefix: "blog/" });
        await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key: "legacy/page.html", Body: "hand-made" }));
        await deleteManifest(bucket);
        fs.rmSync(path.join(root, "retired.html"));

        const result = await syncFolder({ client: sandbox.client, bucket, folder: root });
        assert.deepEqual(result.deleted, ["retired.html"]);
        assert.deepEqual(await keysOf(bucket), [
            ".webstack/manifest.json.gz",
            "blog/.webstack/manifest.json.gz",
            "blog/index.html",
            "blog/post.html",
            "index.html",
            "legacy/page.html",
        ]);
    });
});
