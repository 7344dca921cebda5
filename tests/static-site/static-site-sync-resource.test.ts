import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { SiteSync } from "../../components/static-site";
import { Harness } from "../../components/testing";
import { S3Sandbox, SANDBOX_CREDENTIALS, startS3Sandbox } from "./s3-sandbox";
import { typicalSite } from "./static-site-fixtures";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

/**
 * The provider exactly as Pulumi runs it: the text serialized into the
 * resource's `__provider` input, loaded from a string, its methods called
 * with plain inputs, syncing to a real S3 API on loopback.
 */
describe("StaticSite sync resource (serialized provider against a loopback S3)", function () {
    this.timeout(60_000);
    let harness: Harness;
    let sandbox: S3Sandbox;
    let provider: any;
    let inputs: Record<string, any>;
    const savedEnv = { ...process.env };

    before(async () => {
        sandbox = await startS3Sandbox();
        await sandbox.createBucket("site-bucket");
        Object.assign(process.env, { AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey });
        harness = await Harness.start({ config: { "aws:region": "us-east-1" } });
        new SiteSync("t-sync", {
            bucket: "site-bucket",
            region: "us-east-1",
            folder: typicalSite(),
            digest: "digest-1",
            cacheRules: [],
            keepPreviousAssets: true,
            invalidationThreshold: 25,
            aws: { stackKeys: true, endpoints: { s3: sandbox.endpoint }, s3UsePathStyle: true },
        });
        await harness.settled();
        const recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "t-sync"));
        provider = requireFromString(recorded.__provider).handler();
        inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
    });

    after(async () => {
        process.env = savedEnv;
        await sandbox?.stop();
    });

    it("keeps its serialized code small (it is stored in the state)", () => {
        const text = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "t-sync")).__provider as string;
        assert.ok(text.length < 10_000, `${text.length} bytes`);
    });

    it("create publishes the whole folder and returns counts, not a file list", async () => {
        const result = await provider.create(inputs);
        assert.equal(result.outs.fileCount, 4);
        assert.equal(result.outs.uploadedCount, 4);
        assert.match(result.outs.manifestDigest, /^[0-9a-f]{64}$/);
        assert.ok(JSON.stringify(result.outs).length < 2000);
        const listed = await sandbox.client.send(new ListObjectsV2Command({ Bucket: "site-bucket" }));
        const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
        assert.deepEqual(keys, [".webstack/manifest.json.gz", "404.html", "assets/app.3f9a1c2b.js", "docs/index.html", "index.html"]);
        inputs = { ...result.outs };
    });

    it("diff reports a change only when the release or the target changes, not when the checkout moves", async () => {
        assert.equal((await provider.diff("id", inputs, { ...inputs })).changes, false);
        assert.equal((await provider.diff("id", inputs, { ...inputs, folder: "/elsewhere" })).changes, false);
        assert.equal((await provider.diff("id", inputs, { ...inputs, digest: "digest-2" })).changes, true);
        assert.equal((await provider.diff("id", inputs, { ...inputs, bucket: "other" })).changes, true);
        assert.deepEqual((await provider.diff("id", inputs, { ...inputs, digest: "digest-2" })).replaces, []);
    });

    it("update uploads only what changed", async () => {
        fs.writeFileSync(path.join(inputs.folder, "docs", "index.html"), "<p>new docs</p>");
        const result = await provider.update("id", inputs, { ...inputs, digest: "digest-2" });
        assert.equal(result.outs.uploadedCount, 1);
        assert.equal(result.outs.unchangedCount, 3);
        assert.equal(result.outs.digest, "digest-2");
    });

    it("delete leaves the published files alone (the bucket owns them)", async () => {
        await provider.delete("id", inputs);
        const listed = await sandbox.client.send(new ListObjectsV2Command({ Bucket: "site-bucket" }));
        assert.equal((listed.Contents ?? []).length, 5);
    });
});
