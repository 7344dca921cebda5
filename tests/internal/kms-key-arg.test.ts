import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/internal/errors";
import { ManagedDatabase } from "../../components/managed-database";
import { StaticSite } from "../../components/static-site";
import { FAKE_ACCOUNT_ID, Harness } from "../../components/testing";
import { WebTier } from "../../components/web-tier";
import { instanceRoleGrants, wildcardReads } from "../testing/instance-role-audit";
import { typicalSite } from "../static-site/static-site-fixtures";

/** `kmsKeyArn`, the one arg every data-holding component takes, same name and shape. */
const KEY_ARN = `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const webNetwork = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a"] };
const dbNetwork = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

describe("kmsKeyArn: components encrypt with the given key", () => {
    let harness: Harness;
    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));
    const sseOf = (name: string) => (inputs(SSE, name).rules as { applyServerSideEncryptionByDefault: unknown; bucketKeyEnabled: boolean }[])[0];

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "prod" });
        new StaticSite("site", { path: typicalSite(), kmsKeyArn: KEY_ARN });
        new StaticSite("plain-site", { path: typicalSite() });
        new WebTier("web", { app: { path: "examples/api", environment: { TOKEN: pulumi.secret("s3cret") }, secretsManagerArns: [pulumi.output("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")] }, network: webNetwork, kmsKeyArn: pulumi.output(KEY_ARN) });
        new WebTier("plainweb", { app: { path: "examples/api" }, network: webNetwork, kmsKeyArn: KEY_ARN });
        new ManagedDatabase("rdb", { mode: "rds", ...dbNetwork, kmsKeyArn: KEY_ARN });
        new ManagedDatabase("edb", { mode: "ec2", ...dbNetwork, kmsKeyArn: KEY_ARN });
        new ManagedDatabase("plaindb", { mode: "ec2", ...dbNetwork });
        await harness.settled();
    });

    it("StaticSite: the bucket is SSE-KMS under the key with a bucket key; without it, SSE-S3", () => {
        assert.deepEqual(sseOf("site-encryption"), { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true });
        assert.deepEqual(sseOf("plain-site-encryption"), { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true });
    });

    it("WebTier: release bucket, root volume and the SecureString settings use the key; a String parameter names none", () => {
        assert.deepEqual(sseOf("web-releases-encryption"), { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true });
        assert.equal(inputs("aws:ec2/instance:Instance", "web-instance").rootBlockDevice.kmsKeyId, KEY_ARN);
        const secure = inputs("aws:ssm/parameter:Parameter", "web-release-settings");
        assert.equal(secure.type, "SecureString");
        assert.equal(secure.keyId, KEY_ARN);
        const plain = inputs("aws:ssm/parameter:Parameter", "plainweb-release-settings");
        assert.equal(plain.type, "String");
        assert.equal(plain.keyId, undefined);
    });

    it("WebTier: the role decrypts with the key through SSM, S3 and (with secrets) Secrets Manager only, and reads nothing on *", () => {
        const byService = (component: string) =>
            instanceRoleGrants(harness, component)
                .statements.filter((s) => [s.Resource].flat().includes(KEY_ARN))
                .map((s) => {
                    assert.deepEqual([s.Action].flat(), ["kms:Decrypt"], s.Sid);
                    return ((s.Condition as { StringEquals: Record<string, string[]> }).StringEquals["kms:ViaService"] ?? []).join(",");
                })
                .sort();
        assert.deepEqual(byService("web"), ["s3.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"]);
        // No Secrets Manager secret to read: no decryption through Secrets Manager.
        assert.deepEqual(byService("plainweb"), ["s3.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"]);
        assert.deepEqual(wildcardReads(instanceRoleGrants(harness, "web").statements), []);
    });

    it("ManagedDatabase rds: storage, the managed password secret and Performance Insights use the key", () => {
        const db = inputs("aws:rds/instance:Instance", "rdb-instance");
        assert.equal(db.storageEncrypted, true);
        assert.equal(db.kmsKeyId, KEY_ARN);
        assert.equal(db.masterUserSecretKmsKeyId, KEY_ARN);
        assert.equal(db.performanceInsightsKmsKeyId, db.performanceInsightsEnabled ? KEY_ARN : undefined);
    });

    it("ManagedDatabase ec2: data and root volumes and the secret use the key; the role uses it via Secrets Manager only", () => {
        assert.equal(inputs("aws:ebs/volume:Volume", "edb-data").kmsKeyId, KEY_ARN);
        assert.equal(inputs("aws:ec2/instance:Instance", "edb-instance").rootBlockDevice.kmsKeyId, KEY_ARN);
        assert.equal(inputs("aws:secretsmanager/secret:Secret", "edb-password").kmsKeyId, KEY_ARN);
        const keyGrants = instanceRoleGrants(harness, "edb").statements.filter((s) => [s.Resource].flat().includes(KEY_ARN));
        assert.equal(keyGrants.length, 1);
        assert.deepEqual([keyGrants[0].Action].flat().sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert.deepEqual(keyGrants[0].Condition, { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
        assert.deepEqual(wildcardReads(instanceRoleGrants(harness, "edb").statements), []);
    });

    it("without a key: AWS managed keys and no KMS grant beyond the existing ones", () => {
        assert.equal(inputs("aws:ebs/volume:Volume", "plaindb-data").kmsKeyId, undefined);
        assert.equal(inputs("aws:ec2/instance:Instance", "plaindb-instance").rootBlockDevice.kmsKeyId, undefined);
        assert.equal(inputs("aws:secretsmanager/secret:Secret", "plaindb-password").kmsKeyId, undefined);
        assert.deepEqual(instanceRoleGrants(harness, "plaindb").statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("kms:"))), []);
    });
});

describe("kmsKeyArn: bad values are refused before any resource", () => {
    const cases: { title: string; make: (key: unknown) => void }[] = [
        { title: "StaticSite", make: (key) => new StaticSite("bad-site", { path: typicalSite(), kmsKeyArn: key as string }) },
        { title: "WebTier", make: (key) => new WebTier("bad-web", { app: { path: "examples/api" }, network: webNetwork, kmsKeyArn: key as string }) },
        { title: "ManagedDatabase", make: (key) => new ManagedDatabase("bad-db", { ...dbNetwork, kmsKeyArn: key as string }) },
    ];
    const values = [
        { value: `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:alias/shop-prod`, problem: /through its alias/ },
        { value: "1234abcd-12ab-34cd-56ef-1234567890ab", problem: /not a KMS key ARN/ },
        { value: 42, problem: /must be a KMS key ARN/ },
    ];
    for (const { title, make } of cases) {
        for (const { value, problem } of values) {
            it(`${title} refuses kmsKeyArn ${JSON.stringify(value)}, naming the setting, the value and the fix`, async () => {
                const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
                assert.throws(
                    () => make(value),
                    (error: unknown) => error instanceof ConfigError && error.setting === "kmsKeyArn" && error.value === value && problem.test(error.problem) && /key/.test(error.fix),
                );
                await harness.settled();
                assert.deepEqual(harness.resources, []);
            });
        }
    }

    it("StaticSite refuses kmsKeyArn with s3-website hosting: the endpoint's anonymous reads cannot decrypt", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        assert.throws(
            () => new StaticSite("web-site", { path: typicalSite(), hosting: "s3-website", kmsKeyArn: KEY_ARN }),
            (error: unknown) => error instanceof ConfigError && error.setting === "kmsKeyArn" && /anonymous/.test(error.problem) && /cloudfront/.test(error.fix),
        );
        await harness.settled();
        assert.deepEqual(harness.resources, []);
    });
});
