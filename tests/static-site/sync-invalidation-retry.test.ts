import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { SiteSync } from "../../components/static-site";
import { gunzipSync, gzipSync } from "node:zlib";
import { decodeManifest, emptyManifest, encodeManifest, Invalidator, readManifest, syncFolder } from "../../components/static-site/sync";
import { Harness } from "../../components/testing";
import { startFakeCloudFront, FakeCloudFront } from "./fake-cloudfront";
import { recordRequests, S3Sandbox, SANDBOX_CREDENTIALS, startS3Sandbox } from "./s3-sandbox";
import { siteFolder } from "./static-site-fixtures";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

/** Issue 11 item 4: an invalidation CloudFront did not accept is sent again by the next sync. */
describe("a lost invalidation is sent again", function () {
    this.timeout(60_000);
    let sandbox: S3Sandbox;
    let bucketCount = 0;
    const site = { "index.html": "<p>home</p>", "about.html": "<p>about v1</p>", "news.html": "<p>news v1</p>" };

    before(async () => {
        sandbox = await startS3Sandbox();
    });
    after(async () => {
        await sandbox?.stop();
    });
    async function newBucket(): Promise<string> {
        const name = `invalidation-retry-${++bucketCount}`;
        await sandbox.createBucket(name);
        return name;
    }

    /** An Invalidator that refuses the next `failures` calls, recording every call. */
    function flakyInvalidator(failures: number): Invalidator & { calls: string[][] } {
        const calls: string[][] = [];
        return {
            calls,
            async invalidate(paths) {
                calls.push([...paths]);
                if (failures-- > 0) throw new Error("TooManyInvalidationsInProgress (simulated)");
                return { id: `I${calls.length}` };
            },
        };
    }

    it("by the next sync, which uploads nothing, until the CDN accepts it", async () => {
        const bucket = await newBucket();
        const folder = siteFolder(site);
        await syncFolder({ client: sandbox.client, bucket, folder, invalidator: flakyInvalidator(0) });

        fs.writeFileSync(path.join(folder, "about.html"), "<p>about v2</p>");
        const cdn = flakyInvalidator(2);
        await assert.rejects(
            syncFolder({ client: sandbox.client, bucket, folder, invalidator: cdn }),
            /did not accept the invalidation of 1 path\(s\) \(\/about\.html\): TooManyInvalidationsInProgress .*recorded as pending in s3:\/\/invalidation-retry-\d+\/\.webstack\/manifest\.json\.gz/,
        );
        assert.deepEqual((await readManifest(sandbox.client, bucket, ""))?.pendingInvalidation, ["/about.html"]);

        const requests = recordRequests(sandbox.client);
        await assert.rejects(syncFolder({ client: sandbox.client, bucket, folder, invalidator: cdn }), /did not accept/);
        const retried = await syncFolder({ client: sandbox.client, bucket, folder, invalidator: cdn });
        assert.deepEqual(retried.uploaded, [], "the retried sync plans no uploads");
        assert.deepEqual(cdn.calls, [["/about.html"], ["/about.html"], ["/about.html"]], "but sends the paths, until accepted");
        assert.equal(retried.invalidationId, "I3");
        assert.equal(requests.filter((r) => r.command === "PutObjectCommand" && !r.key?.startsWith(".webstack/")).length, 0);
        assert.equal((await readManifest(sandbox.client, bucket, ""))?.pendingInvalidation, undefined, "cleared once accepted");

        requests.length = 0;
        const settled = await syncFolder({ client: sandbox.client, bucket, folder, invalidator: cdn });
        assert.equal(cdn.calls.length, 3, "nothing is sent twice once accepted");
        assert.deepEqual(settled.invalidationPaths, []);
        assert.equal(requests.filter((r) => r.command === "PutObjectCommand").length, 0, "and a settled site costs no write");
    });

    it("joins the pending paths to a later release's, falling back to /* above the threshold", async () => {
        const bucket = await newBucket();
        const folder = siteFolder(site);
        await syncFolder({ client: sandbox.client, bucket, folder });
        fs.writeFileSync(path.join(folder, "about.html"), "<p>about v2</p>");
        await assert.rejects(syncFolder({ client: sandbox.client, bucket, folder, invalidator: flakyInvalidator(1) }));

        fs.writeFileSync(path.join(folder, "news.html"), "<p>news v2</p>");
        const cdn = flakyInvalidator(0);
        const next = await syncFolder({ client: sandbox.client, bucket, folder, invalidator: cdn });
        assert.deepEqual(next.uploaded, ["news.html"]);
        assert.deepEqual(cdn.calls, [["/about.html", "/news.html"]]);

        fs.writeFileSync(path.join(folder, "about.html"), "<p>about v3</p>");
        await assert.rejects(syncFolder({ client: sandbox.client, bucket, folder, invalidator: flakyInvalidator(1) }));
        fs.writeFileSync(path.join(folder, "news.html"), "<p>news v3</p>");
        const wide = flakyInvalidator(0);
        await syncFolder({ client: sandbox.client, bucket, folder, invalidator: wide, invalidationThreshold: 1 });
        assert.deepEqual(wide.calls, [["/*"]], "two distinct paths over a threshold of 1");
    });

    describe("through the Pulumi provider and a CloudFront API on loopback", () => {
        let harness: Harness;
        let cloudfront: FakeCloudFront;
        let provider: any;
        let inputs: Record<string, any>;
        const savedEnv = { ...process.env };

        before(async () => {
            cloudfront = await startFakeCloudFront();
            await sandbox.createBucket("provider-site");
            Object.assign(process.env, { AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey });
            harness = await Harness.start({ config: { "aws:region": "us-east-1" } });
            new SiteSync("retry-sync", {
                bucket: "provider-site",
                region: "us-east-1",
                folder: siteFolder(site),
                digest: "digest-1",
                cacheRules: [],
                keepPreviousAssets: true,
                distributionId: "E2QWRUHAPOMQZL",
                invalidationThreshold: 15,
                aws: { stackKeys: true, endpoints: { s3: sandbox.endpoint, cloudfront: cloudfront.endpoint }, s3UsePathStyle: true },
            });
            await harness.settled();
            const recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "retry-sync"));
            provider = requireFromString(recorded.__provider).handler();
            inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
        });
        after(async () => {
            process.env = savedEnv;
            await cloudfront?.close();
        });

        it("CreateInvalidation fails once: the retried update uploads nothing and sends the paths", async () => {
            const created = await provider.create(inputs);
            assert.equal(cloudfront.requests.length, 0, "a first publish has nothing cached to invalidate");

            fs.writeFileSync(path.join(inputs.folder, "about.html"), "<p>about v2</p>");
            const news = { ...created.outs, digest: "digest-2" };
            cloudfront.failNext(1);
            await assert.rejects(provider.update("id", created.outs, news), /simulated refusal/);

            // Pulumi keeps the old outputs after a failed update, so the next `pulumi up` diffs against them again.
            assert.equal((await provider.diff("id", created.outs, news)).changes, true);
            const retried = await provider.update("id", created.outs, news);
            assert.equal(retried.outs.uploadedCount, 0);
            assert.deepEqual(
                cloudfront.requests.map((r) => [r.distributionId, r.paths, r.accepted]),
                [
                    ["E2QWRUHAPOMQZL", ["/about.html"], false],
                    ["E2QWRUHAPOMQZL", ["/about.html"], true],
                ],
            );
            assert.equal(retried.outs.lastInvalidationId, "I2");
            assert.equal(retried.outs.lastInvalidationPathCount, 1);
        });
    });

    describe("the manifest's pendingInvalidation field", () => {
        const gzipJson = (value: unknown) => gzipSync(JSON.stringify(value));

        it("round-trips, is omitted when empty, and manifests written before it still decode", () => {
            const pending = { ...emptyManifest(), pendingInvalidation: ["/b.html", "/a%20b.html"] };
            assert.deepEqual(decodeManifest(encodeManifest(pending)).pendingInvalidation, ["/a%20b.html", "/b.html"]);
            assert.equal("pendingInvalidation" in JSON.parse(gunzipSync(encodeManifest({ ...emptyManifest(), pendingInvalidation: [] })).toString("utf8")), false);
            assert.equal(decodeManifest(gzipJson({ version: 1, files: {}, retained: {}, inFlight: [] })).pendingInvalidation, undefined);
        });

        it("refuses paths CloudFront would not take as written (not absolute, a space or control character)", () => {
            for (const bad of [["index.html"], ["/a b"], ["/a\nb"], "/*", [7]]) {
                assert.throws(
                    () => decodeManifest(gzipJson({ version: 1, files: {}, retained: {}, inFlight: [], pendingInvalidation: bad })),
                    /malformed pendingInvalidation/,
                    JSON.stringify(bad),
                );
            }
        });
    });
});

