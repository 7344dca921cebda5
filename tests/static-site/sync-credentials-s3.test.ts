import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { StaticSite } from "../../components/static-site";
import { Harness } from "../../components/testing";
import { S3Sandbox, SANDBOX_CREDENTIALS, startS3Sandbox } from "./s3-sandbox";
import { typicalSite } from "./static-site-fixtures";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

/**
 * The sync of a StaticSite deployed with a stack that names its identity
 * (`aws:profile` in `aws:sharedCredentialsFiles`) while the environment holds
 * OTHER keys — the case of an operator whose shell is logged into another
 * account. s3rver checks request signatures, so only the profile's keys work.
 */
describe("Site sync credentials against a loopback S3 (real run)", function () {
    this.timeout(60_000);
    let sandbox: S3Sandbox;
    let directory: string;
    let recorded: Record<string, any>;
    const savedEnv = { ...process.env };

    const freshProvider = () => requireFromString(recorded.__provider).handler();
    const inputsWith = (aws: Record<string, unknown>) => ({ ...Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__"))), aws });
    const keysIn = async (bucket: string) => ((await sandbox.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();

    before(async () => {
        sandbox = await startS3Sandbox();
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-profile-"));
        const credentials = path.join(directory, "credentials");
        fs.writeFileSync(credentials, `[site-deployer]\naws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}\n`);
        // The default chain would pick these: wrong keys for the sandbox.
        Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIAWRONGACCOUNT", AWS_SECRET_ACCESS_KEY: "wrong-secret" });
        delete process.env.AWS_PROFILE;
        const harness = await Harness.start({
            config: {
                "aws:region": "us-east-1",
                "aws:profile": "site-deployer",
                "aws:sharedCredentialsFiles": JSON.stringify([credentials]),
                "aws:endpoints": JSON.stringify([{ s3: sandbox.endpoint }]),
                "aws:s3UsePathStyle": "true",
            },
        });
        new StaticSite("site", { path: typicalSite(), hosting: "s3-website" });
        await harness.settled();
        recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "site-sync"));
    });

    after(async () => {
        process.env = savedEnv;
        await sandbox?.stop();
        fs.rmSync(directory, { recursive: true, force: true });
    });

    it("publishes with the stack's profile although the environment's keys are wrong", async () => {
        await sandbox.createBucket(recorded.bucket);
        const result = await freshProvider().create(inputsWith(recorded.aws));
        assert.equal(result.outs.uploadedCount, 4);
        assert.ok((await keysIn(recorded.bucket)).includes("index.html"));
    });

    it("fails with the environment's keys alone (the control: they are really wrong)", async () => {
        await sandbox.createBucket("control-bucket");
        const { profile: _profile, sharedCredentialsFiles: _files, ...withoutProfile } = recorded.aws;
        await assert.rejects(freshProvider().create({ ...inputsWith(withoutProfile), bucket: "control-bucket" }), /Access Key Id you provided does not exist/);
        assert.deepEqual(await keysIn("control-bucket"), []);
    });

    it("uses the stack's aws:accessKey/aws:secretKey handed to configure at run time (never in the inputs)", async () => {
        await sandbox.createBucket("keys-bucket");
        const { profile: _profile, sharedCredentialsFiles: _files, ...withoutProfile } = recorded.aws;
        const provider = freshProvider();
        const config: Record<string, string> = { "aws:accessKey": SANDBOX_CREDENTIALS.accessKeyId, "aws:secretKey": SANDBOX_CREDENTIALS.secretAccessKey };
        await provider.configure({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
        const result = await provider.create({ ...inputsWith(withoutProfile), bucket: "keys-bucket" });
        assert.equal(result.outs.uploadedCount, 4);
        // What the state would keep: the inputs and outputs, without the keys.
        assert.ok(!JSON.stringify(result.outs).includes(SANDBOX_CREDENTIALS.secretAccessKey), "a key reached the outputs");
    });
});
