import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { awsClientSettings, AwsClientSettings, durationSeconds } from "../../components/internal/aws-settings";
import { ConfigError } from "../../components/internal/errors";
import { StaticSite } from "../../components/static-site";
import { cloudFrontClientConfig, credentialsFor, s3ClientConfig } from "../../components/static-site/sync";
import { Harness } from "../../components/testing";
import { typicalSite } from "./static-site-fixtures";

const SYNC = "pulumi-nodejs:dynamic:Resource";

/** A reader over raw `aws:` config text, as Pulumi hands it to the program. */
const reader = (values: Record<string, unknown>) => (key: string) => {
    const value = values[key];
    return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
};

/** Sets env vars for one test and restores them after. */
function withEnv(vars: Record<string, string | undefined>): () => void {
    const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
    for (const [key, value] of Object.entries(vars)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    return () => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
    };
}

describe("Site sync AWS settings: stack config → SDK client config", () => {
    it("reads profile, shared files, role chain, endpoints and path style; no key ever", () => {
        const settings = awsClientSettings(
            reader({
                profile: "deploy",
                sharedCredentialsFiles: ["/tmp/creds"],
                sharedConfigFiles: ["/tmp/config"],
                assumeRoles: [
                    { roleArn: "arn:aws:iam::111111111111:role/ci", sessionName: "ci", externalId: "ext-1", duration: "1h30m" },
                    { roleArn: "arn:aws:iam::222222222222:role/site", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
                ],
                endpoints: [{ s3: "http://127.0.0.1:4566" }, { cloudfront: "http://127.0.0.1:4567", ec2: "http://x" }],
                s3UsePathStyle: true,
                stsRegion: "eu-west-1",
                accessKey: "AKIASHOULDNOTAPPEAR",
                secretKey: "secret-should-not-appear",
            }),
        );
        assert.deepEqual(settings, {
            stackKeys: true,
            profile: "deploy",
            stsRegion: "eu-west-1",
            sharedCredentialsFiles: ["/tmp/creds"],
            sharedConfigFiles: ["/tmp/config"],
            assumeRoles: [
                { roleArn: "arn:aws:iam::111111111111:role/ci", sessionName: "ci", externalId: "ext-1", durationSeconds: 5400 },
                { roleArn: "arn:aws:iam::222222222222:role/site", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
            ],
            endpoints: { s3: "http://127.0.0.1:4566", cloudfront: "http://127.0.0.1:4567" },
            s3UsePathStyle: true,
        });
    });

    it("is empty (the SDK's default chain) when the stack sets nothing", () => {
        assert.deepEqual(awsClientSettings(reader({})), { stackKeys: true });
    });

    it("names the aws: key, the value and the fix for settings the SDK cannot use", () => {
        assert.throws(() => awsClientSettings(reader({ assumeRoles: [{ sessionName: "x" }] })), (e: ConfigError) => e.setting === "aws:assumeRoles[0].roleArn" && /roleArn: "arn:aws:iam::/.test(e.fix));
        assert.throws(() => awsClientSettings(reader({ endpoints: { s3: "http://x" } })), (e: ConfigError) => e.setting === "aws:endpoints" && /list of maps/.test(e.message));
        assert.throws(() => awsClientSettings(reader({ sharedCredentialsFiles: "/tmp/creds" })), (e: ConfigError) => e.setting === "aws:sharedCredentialsFiles");
        assert.throws(() => durationSeconds("aws:assumeRoles[0].duration", "90 minutes"), (e: ConfigError) => /"1h"/.test(e.fix));
        assert.throws(() => durationSeconds("aws:assumeRoles[0].duration", "5m"), (e: ConfigError) => /15 minutes to 12 hours/.test(e.problem));
        assert.equal(durationSeconds("d", "15m"), 900);
        assert.equal(durationSeconds("d", "3600s"), 3600);
    });

    it("points S3 at the stack's endpoint (path-style unless aws:s3UsePathStyle says otherwise) and CloudFront at us-east-1", () => {
        const settings: AwsClientSettings = { stackKeys: true, endpoints: { s3: "http://127.0.0.1:9000", cloudfront: "http://127.0.0.1:9001" } };
        const s3 = s3ClientConfig(settings, "eu-west-1");
        assert.deepEqual([s3.region, s3.endpoint, s3.forcePathStyle], ["eu-west-1", "http://127.0.0.1:9000", true]);
        assert.equal(s3ClientConfig({ ...settings, s3UsePathStyle: false }, "eu-west-1").forcePathStyle, false);
        assert.equal(s3ClientConfig({ stackKeys: true }, "eu-west-1").forcePathStyle, false);
        const cloudFront = cloudFrontClientConfig(settings);
        assert.deepEqual([cloudFront.region, cloudFront.endpoint], ["us-east-1", "http://127.0.0.1:9001"]);
    });

    describe("credentials", () => {
        let restore: () => void;
        let directory: string;
        afterEach(() => restore?.());
        before(() => {
            directory = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-creds-"));
            fs.writeFileSync(path.join(directory, "credentials"), "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n[deploy]\naws_access_key_id = AKIADEPLOY\naws_secret_access_key = deploy-secret\n");
        });
        after(() => fs.rmSync(directory, { recursive: true, force: true }));

        it("takes the named profile from the stack's shared credentials file, not the environment's keys", async () => {
            restore = withEnv({ AWS_ACCESS_KEY_ID: "AKIAWRONGENV", AWS_SECRET_ACCESS_KEY: "wrong", AWS_PROFILE: undefined });
            const provider = credentialsFor({ stackKeys: true, profile: "deploy", sharedCredentialsFiles: [path.join(directory, "credentials")] }, "eu-west-1");
            assert.ok(provider);
            const identity = await provider();
            assert.deepEqual([identity.accessKeyId, identity.secretAccessKey], ["AKIADEPLOY", "deploy-secret"]);
        });

        it("uses the stack's static keys (read at run time) before any profile, unless an explicit provider owns the identity", async () => {
            const keys = { accessKeyId: "AKIASTACK", secretAccessKey: "stack-secret", sessionToken: "tok" };
            const settings: AwsClientSettings = { stackKeys: true, profile: "deploy", sharedCredentialsFiles: [path.join(directory, "credentials")] };
            assert.equal((await credentialsFor(settings, "eu-west-1", keys)!()).accessKeyId, "AKIASTACK");
            assert.equal((await credentialsFor({ ...settings, stackKeys: false }, "eu-west-1", keys)!()).accessKeyId, "AKIADEPLOY");
        });

        it("leaves the SDK's default chain alone when the stack names no identity", () => {
            assert.equal(credentialsFor({ stackKeys: true }, "eu-west-1"), undefined);
        });
    });
});

describe("Site sync AWS settings in the sync resource's inputs (harness)", () => {
    const secrets = { accessKey: "AKIAHARNESSKEY0001", secretKey: "harness-secret-value-0001", token: "harness-session-token-0001" };

    it("carries the stack's profile, roles, region and endpoints, and no credential value", async () => {
        const harness = await Harness.start({
            config: {
                "aws:region": "eu-west-1",
                "aws:profile": "deploy",
                "aws:assumeRoles": JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/site", externalId: "ext-1" }]),
                "aws:endpoints": JSON.stringify([{ s3: "https://s3.internal.example" }]),
                "aws:accessKey": secrets.accessKey,
                "aws:secretKey": secrets.secretKey,
                "aws:token": secrets.token,
            },
            secretKeys: ["aws:accessKey", "aws:secretKey", "aws:token"],
        });
        new StaticSite("site", { path: typicalSite() });
        await harness.settled();
        const inputs = harness.inputsOf(harness.get(SYNC, "site-sync"));
        assert.deepEqual(inputs.aws, {
            stackKeys: true,
            profile: "deploy",
            assumeRoles: [{ roleArn: "arn:aws:iam::222222222222:role/site", externalId: "ext-1" }],
            endpoints: { s3: "https://s3.internal.example" },
        });
        assert.equal(inputs.region, "eu-west-1");
        const recorded = JSON.stringify(inputs);
        for (const value of Object.values(secrets)) assert.ok(!recorded.includes(value), `${value} leaked into the sync resource's inputs`);
    });

    it("takes the profile of an explicit provider passed to StaticSite, and not the stack's keys", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:profile": "stack-profile", "aws:accessKey": secrets.accessKey, "aws:secretKey": secrets.secretKey } });
        const provider = new aws.Provider("other-account", { region: "eu-central-1", profile: "other-account" });
        new StaticSite("site", { path: typicalSite() }, { provider });
        await harness.settled();
        const inputs = harness.inputsOf(harness.get(SYNC, "site-sync"));
        assert.deepEqual(inputs.aws, { stackKeys: false, profile: "other-account" });
        assert.ok(!JSON.stringify(inputs).includes(secrets.secretKey));
    });
});
