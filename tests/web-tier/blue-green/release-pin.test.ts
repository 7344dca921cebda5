import * as assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../../components/internal/errors";
import { Harness } from "../../../components/testing";
import {
    findReleaseArchive,
    newestReleases,
    ReleaseBucketClient,
    ReleasePinError,
} from "../../../components/web-tier/autoscaling/blue-green/release-pin/find-release-archive";
import { createReleasePinCheck } from "../../../components/web-tier/autoscaling/blue-green/release-pin/release-pin-check";
import { S3Sandbox, SANDBOX_CREDENTIALS, SANDBOX_REGION, startS3Sandbox } from "../../static-site/s3-sandbox";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const BUCKET = "web-releases-0abc";
const sha = (digit: string) => digit.repeat(64);
const SETTING = "webstack:web.deploy.blue.release";
const DAY = 86_400_000;
const NOW = Date.parse("2026-12-01T00:00:00Z");

class Parent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Parent", name, {}, opts);
    }
}

/** Puts an archive into the sandbox bucket, dated `daysAgo` (s3rver reports the stored file's mtime as LastModified). */
async function publish(sandbox: S3Sandbox, key: string, daysAgo: number, bucket = BUCKET): Promise<void> {
    await sandbox.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `archive ${key}` }));
    const file = path.join(sandbox.directory, bucket, ...key.split("/").slice(0, -1), `${key.split("/").pop()}._S3rver_object`);
    const date = new Date(NOW - daysAgo * DAY);
    await fs.utimes(file, date, date);
}

describe("release pin check (s3rver on loopback)", function () {
    this.timeout(30_000);
    let sandbox: S3Sandbox;

    before(async () => {
        sandbox = await startS3Sandbox();
        await sandbox.createBucket(BUCKET);
        await sandbox.createBucket("empty-releases-bucket");
        // Seven archives whose ages do not follow their names (ListObjectsV2 returns name order), plus what must never be listed.
        const ages: [string, number][] = [["1", 6], ["2", 2], ["3", 3], ["4", 7], ["5", 5], ["6", 1], ["7", 4]];
        for (const [digit, days] of ages) await publish(sandbox, `web/releases/${sha(digit)}.tgz`, days);
        await publish(sandbox, "web/payload/" + sha("a") + ".tgz", 0);
        await publish(sandbox, "web/releases/old/" + sha("b") + ".tgz", 0);
        await publish(sandbox, "web/releases/notes.txt", 0);
        await publish(sandbox, "other/releases/" + sha("c") + ".tgz", 0);
        const listed = await sandbox.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "web/releases/" }));
        assert.equal(listed.Contents?.find((o) => o.Key?.includes(sha("4")))?.LastModified?.getTime(), NOW - 7 * DAY, "the sandbox reports the dates set here");
    });

    after(async () => {
        await sandbox?.stop();
    });

    describe("findReleaseArchive", () => {
        it("resolves with the archive's size when the pinned archive is there", async () => {
            const key = `web/releases/${sha("3")}.tgz`;
            const found = await findReleaseArchive(sandbox.client, { bucket: BUCKET, key, sha256: sha("3"), setting: SETTING });
            assert.equal(found.key, key);
            assert.equal(found.size, `archive ${key}`.length);
            assert.equal(found.lastModified?.getTime(), NOW - 3 * DAY);
        });

        it("rejects a missing archive naming the setting, the sha, the key and the bucket, listing the 5 newest archives of that folder, and the fix", async () => {
            const key = `web/releases/${sha("9")}.tgz`;
            const error = await findReleaseArchive(sandbox.client, { bucket: BUCKET, key, sha256: sha("9"), setting: SETTING }).then(
                () => assert.fail("resolved"),
                (e) => e,
            );
            assert.ok(error instanceof ReleasePinError, String(error));
            const newest = ["6", "2", "3", "7", "5"].map((d) => `web/releases/${sha(d)}.tgz`);
            assert.deepEqual(error.kept.map((r: { key: string }) => r.key), newest);
            assert.ok(error.message.startsWith(`${SETTING} = ${sha("9")}: no release archive ${key} in bucket ${BUCKET}; releases kept there are (newest first): ${newest[0]} (2026-11-30T00:00:00.000Z), ${newest[1]}`), error.message);
            assert.ok(error.message.endsWith("; fix: pin one of those (its sha256 is the file name), or use release: current"), error.message);
            for (const never of [sha("1"), sha("4"), sha("a"), sha("b"), sha("c"), "notes.txt"]) assert.ok(!error.message.includes(never), `${never} listed`);
        });

        it("in a bucket that keeps no release, says so and points to release: current", async () => {
            const key = `web/releases/${sha("9")}.tgz`;
            await assert.rejects(
                findReleaseArchive(sandbox.client, { bucket: "empty-releases-bucket", key, sha256: sha("9"), setting: SETTING }),
                (e: ReleasePinError) =>
                    e instanceof ReleasePinError &&
                    e.message === `${SETTING} = ${sha("9")}: no release archive ${key} in bucket empty-releases-bucket; no release is kept there (nothing under web/releases/); fix: use release: current`,
            );
        });

        it("when the bucket does not exist, says so", async () => {
            await assert.rejects(
                findReleaseArchive(sandbox.client, { bucket: "no-such-bucket", key: `releases/${sha("1")}.tgz`, sha256: sha("1"), setting: SETTING }),
                /no release archive releases\/1{64}\.tgz: bucket no-such-bucket does not exist/,
            );
        });

        it("reports a 403 as unreadable (S3 hides a missing object from a caller without s3:ListBucket), never as missing", async () => {
            const denied = Object.assign(new Error("Forbidden"), { name: "403", $metadata: { httpStatusCode: 403 } });
            const calls: string[] = [];
            const client = {
                send: async (command: { constructor: { name: string } }) => {
                    calls.push(command.constructor.name);
                    throw denied;
                },
            } as unknown as ReleaseBucketClient;
            await assert.rejects(
                findReleaseArchive(client, { bucket: BUCKET, key: `web/releases/${sha("1")}.tgz`, sha256: sha("1"), setting: SETTING }),
                (e: ReleasePinError) => /cannot read release archive .* \(403 Forbidden/.test(e.message) && /s3:GetObject .* s3:ListBucket/.test(e.message),
            );
            assert.deepEqual(calls, ["HeadObjectCommand"]);
        });

        it("newestReleases reads every page (keys come in name order, not by date)", async () => {
            const pages = [
                { Contents: [{ Key: "releases/a.tgz", LastModified: new Date(NOW - 5 * DAY) }, { Key: "releases/b.tgz", LastModified: new Date(NOW - DAY) }], IsTruncated: true, NextContinuationToken: "t1" },
                { Contents: [{ Key: "releases/c.tgz", LastModified: new Date(NOW - 9 * DAY) }, { Key: "releases/d.tgz", LastModified: new Date(NOW) }], IsTruncated: false },
            ];
            const tokens: (string | undefined)[] = [];
            const client = {
                send: async (command: ListObjectsV2Command) => {
                    tokens.push(command.input.ContinuationToken);
                    return { ...pages.shift()!, $metadata: {} };
                },
            } as unknown as ReleaseBucketClient;
            const kept = await newestReleases(client, BUCKET, "releases/", 3);
            assert.deepEqual(kept.map((r) => r.key), ["releases/d.tgz", "releases/b.tgz", "releases/a.tgz"]);
            assert.deepEqual(tokens, [undefined, "t1"]);
        });
    });

    describe("ReleasePinCheck resource", () => {
        async function register(args: { key?: string; sha256?: string } = {}) {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:profile": "deploy" } });
            const digest = args.sha256 ?? sha("1");
            createReleasePinCheck("web", "blue", { bucket: BUCKET, key: args.key ?? `web/releases/${digest}.tgz`, sha256: digest, region: "eu-west-1" }, new Parent("web"));
            await harness.settled();
            return harness;
        }

        it("is registered as web-blue-release-pin under its parent with the bucket, key, sha, setting, region and the stack's AWS settings", async () => {
            const harness = await register();
            const check = harness.get(DYNAMIC, "web-blue-release-pin");
            const inputs = harness.inputsOf(check);
            assert.equal(harness.parentOf(check)?.type, "test:index:Parent");
            assert.deepEqual(
                { bucket: inputs.bucket, key: inputs.key, sha256: inputs.sha256, setting: inputs.setting, region: inputs.region, aws: inputs.aws },
                { bucket: BUCKET, key: `web/releases/${sha("1")}.tgz`, sha256: sha("1"), setting: SETTING, region: "eu-west-1", aws: { stackKeys: true, profile: "deploy" } },
            );
        });

        const bad: [string, { key?: string; sha256?: string }, string][] = [
            ["a sha256 of 63 characters", { sha256: "a".repeat(63) }, "deploy.blue.release"],
            ["a sha256 with a non-hex character", { sha256: "g".repeat(64) }, "deploy.blue.release"],
            ["an upper-case sha256 (archive keys are lower case)", { sha256: "A".repeat(64) }, "deploy.blue.release"],
            ["a key that is not that sha's archive", { key: `web/releases/${sha("2")}.tgz` }, "deploy.blue.release (archive key)"],
        ];
        for (const [label, args, setting] of bad) {
            it(`rejects ${label} before registering anything`, async () => {
                const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
                const parent = new Parent("web");
                const digest = args.sha256 ?? sha("1");
                assert.throws(
                    () => createReleasePinCheck("web", "blue", { bucket: BUCKET, key: args.key ?? `web/releases/${digest}.tgz`, sha256: digest, region: "eu-west-1" }, parent),
                    (e: ConfigError) => e instanceof ConfigError && e.setting === setting,
                );
                await harness.settled();
                assert.equal(harness.ofType(DYNAMIC).length, 0);
            });
        }

        describe("the serialized provider against s3rver", () => {
            let provider: any;
            let inputs: Record<string, any>;
            before(async () => {
                const harness = await Harness.start({ config: { "aws:region": SANDBOX_REGION } });
                createReleasePinCheck(
                    "web",
                    "green",
                    { bucket: BUCKET, key: `web/releases/${sha("2")}.tgz`, sha256: sha("2"), region: SANDBOX_REGION, aws: { stackKeys: true, endpoints: { s3: sandbox.endpoint } } },
                    new Parent("web"),
                );
                await harness.settled();
                const recorded = harness.inputsOf(harness.get(DYNAMIC, "web-green-release-pin"));
                provider = requireFromString(recorded.__provider).handler();
                // s3rver checks signatures against its own keys: given as the stack's keys, they prove configure's keys are used.
                const stackConfig: Record<string, string> = { "aws:accessKey": SANDBOX_CREDENTIALS.accessKeyId, "aws:secretKey": SANDBOX_CREDENTIALS.secretAccessKey };
                await provider.configure({ config: { get: (key: string) => stackConfig[key] } as unknown as pulumi.dynamic.Config });
                inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
            });

            it("create: the pinned archive is there → its key and size are the outputs", async () => {
                const result = await provider.create(inputs);
                assert.equal(result.outs.key, `web/releases/${sha("2")}.tgz`);
                assert.equal(result.outs.size, `archive web/releases/${sha("2")}.tgz`.length);
                assert.equal(result.id, `${BUCKET}/web/releases/${sha("2")}.tgz`);
                inputs = result.outs;
            });

            it("update to a sha that is not there fails with the listing", async () => {
                const news = { ...inputs, key: `web/releases/${sha("8")}.tgz`, sha256: sha("8") };
                await assert.rejects(
                    provider.update("id", inputs, news),
                    (e: Error) => e.message.startsWith(`webstack:web.deploy.green.release = ${sha("8")}: no release archive web/releases/${sha("8")}.tgz in bucket ${BUCKET}; releases kept there are (newest first): web/releases/${sha("6")}.tgz`),
                );
            });

            it("diff: another key or bucket is a change; region or client settings alone are not", async () => {
                const diff = async (change: Record<string, unknown>) => (await provider.diff("id", inputs, { ...inputs, ...change })).changes;
                assert.equal(await diff({}), false);
                assert.equal(await diff({ region: "eu-west-1", aws: { stackKeys: false, profile: "x" } }), false);
                assert.equal(await diff({ key: `web/releases/${sha("3")}.tgz`, sha256: sha("3") }), true);
                assert.equal(await diff({ bucket: "another-bucket" }), true);
                assert.deepEqual((await provider.diff("id", inputs, { ...inputs, bucket: "another-bucket" })).replaces, []);
            });

            it("delete makes no call and does not throw", async () => {
                await provider.delete("id", inputs);
            });
        });
    });
});
