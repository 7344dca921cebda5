import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { WebTier } from "../../components/web-tier";
import { resolveWebTierArgs, WebTierArgs } from "../../components/web-tier/args";
import { Harness } from "../../components/testing";

/** The release bucket: a TLS-only policy always; versioning and access logs when asked for. */
const T = {
    bucket: "aws:s3/bucket:Bucket",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
};
const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a"] };

describe("WebTier release bucket hardening", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "prod" });
        new WebTier("plain", { app: { path: "examples/api" }, network });
        new WebTier("kept", { app: { path: "examples/api" }, network, versioning: true, accessLogs: { bucket: "prod-logs-1234567", prefix: "web/" } });
        await harness.settled();
    });

    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));

    it("refuses every request without TLS on the bucket and its objects", () => {
        const arn = harness.get(T.bucket, "plain-releases").computed?.arn;
        const policy = JSON.parse(inputs(T.policy, "plain-releases-policy").policy);
        assert.deepEqual(policy.Statement, [
            { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ]);
    });

    it("writes the archives only after the policy exists", () => {
        const archive = harness.get(T.object, "plain-release-archive");
        assert.ok(archive.options.dependsOn.includes(harness.get(T.policy, "plain-releases-policy").urn));
    });

    it("has no versioning or logging unless asked", () => {
        assert.equal(harness.ofType(T.versioning).filter((r) => r.name.startsWith("plain-")).length, 0);
        assert.equal(harness.ofType(T.logging).filter((r) => r.name.startsWith("plain-")).length, 0);
    });

    it("versions the bucket (old versions expire after 30 days) and logs its access when asked", () => {
        assert.deepEqual(inputs(T.versioning, "kept-releases-versioning").versioningConfiguration, { status: "Enabled" });
        assert.deepEqual(inputs(T.lifecycle, "kept-releases-lifecycle").rules[0].noncurrentVersionExpiration, { noncurrentDays: 30 });
        const logging = inputs(T.logging, "kept-releases-access-logs");
        assert.deepEqual([logging.targetBucket, logging.targetPrefix], ["prod-logs-1234567", "web/kept-releases/"]);
    });

    const bad: [string, WebTierArgs, string][] = [
        ["versioning of a bucket it does not create", { app: { path: "examples/api" }, network, releaseBucketName: "company-releases", versioning: true }, "versioning"],
        ["access logs of a bucket it does not create", { app: { path: "examples/api" }, network, releaseBucketName: "company-releases", accessLogs: { bucket: "logs-bucket" } }, "accessLogs"],
        ["access logs without a bucket", { app: { path: "examples/api" }, network, accessLogs: { bucket: "" } }, "accessLogs.bucket"],
    ];
    for (const [what, args, setting] of bad) {
        it(`refuses ${what}, naming ${setting} and the fix`, () => {
            assert.throws(() => resolveWebTierArgs(args), (error: unknown) => error instanceof ConfigError && error.setting === setting && error.fix.length > 0);
        });
    }
});
