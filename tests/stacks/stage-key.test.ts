import * as assert from "node:assert/strict";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";
import { stageKeyAliasName, stageKeyPolicy } from "../../stacks/stage-key";

const KEY = "aws:kms/key:Key";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

function ofType(plan: PlanDocument, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

function named(plan: PlanDocument, type: string, name: string): PlannedResource {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name} is in the plan`);
    return found;
}

interface PolicyStatement {
    Sid?: string;
    Effect: string;
    Principal?: { AWS?: string; Service?: string };
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

const statementsOf = (policy: unknown): PolicyStatement[] => (JSON.parse(String(policy)) as { Statement: PolicyStatement[] }).Statement;
const list = (value: string | string[]) => [value].flat();

/**
 * Every place a stage stores data, with the key that encrypts it (undefined:
 * an AWS managed key). The instance root volumes and RDS count as stores;
 * SecureString parameters and secrets too.
 */
function encryptionKeys(plan: PlanDocument): Record<string, unknown> {
    const keys: Record<string, unknown> = {};
    for (const sse of ofType(plan, SSE)) {
        const [rule] = sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string }; bucketKeyEnabled: boolean }[];
        assert.equal(rule.bucketKeyEnabled, true, `${sse.name}: bucket key`);
        const byDefault = rule.applyServerSideEncryptionByDefault;
        keys[`bucket ${sse.name} (${byDefault.sseAlgorithm})`] = byDefault.kmsMasterKeyId;
    }
    for (const volume of ofType(plan, "aws:ebs/volume:Volume")) keys[`volume ${volume.name}`] = volume.inputs.kmsKeyId;
    for (const instance of ofType(plan, "aws:ec2/instance:Instance")) keys[`root volume of ${instance.name}`] = (instance.inputs.rootBlockDevice as { kmsKeyId?: string }).kmsKeyId;
    for (const template of ofType(plan, "aws:ec2/launchTemplate:LaunchTemplate")) {
        for (const mapping of template.inputs.blockDeviceMappings as { deviceName: string; ebs: { kmsKeyId?: string } }[]) keys[`volume ${mapping.deviceName} of ${template.name}`] = mapping.ebs.kmsKeyId;
    }
    for (const db of ofType(plan, "aws:rds/instance:Instance")) {
        keys[`rds ${db.name} storage`] = db.inputs.kmsKeyId;
        keys[`rds ${db.name} master secret`] = db.inputs.masterUserSecretKmsKeyId;
        if (db.inputs.performanceInsightsEnabled) keys[`rds ${db.name} performance insights`] = db.inputs.performanceInsightsKmsKeyId;
    }
    for (const secret of ofType(plan, "aws:secretsmanager/secret:Secret")) keys[`secret ${secret.name}`] = secret.inputs.kmsKeyId;
    for (const parameter of ofType(plan, "aws:ssm/parameter:Parameter").filter((p) => p.inputs.type === "SecureString")) keys[`SecureString ${parameter.name}`] = parameter.inputs.keyId;
    return keys;
}

describe("the production stage key", () => {
    for (const layout of ["paas", "iaas"]) {
        describe(`prod, layout ${layout}`, () => {
            let plan: PlanDocument;
            let keyArn: string;
            before(async () => {
                plan = await planStage({ stage: "prod", overrides: [`webstack:layout=${layout}`] });
                keyArn = String(named(plan, KEY, "prod-key").outputs?.arn);
            });

            it("creates one key with rotation on, a 30-day deletion window, protected, described by app and stage, and its alias", () => {
                const keys = ofType(plan, KEY);
                assert.equal(keys.length, 1);
                const [key] = keys;
                assert.equal(key.inputs.enableKeyRotation, true);
                assert.equal(key.inputs.deletionWindowInDays, 30);
                assert.equal(key.protect, true);
                assert.match(String(key.inputs.description), /^webstack prod: /);
                const alias = named(plan, "aws:kms/alias:Alias", "prod-key-alias");
                assert.equal(alias.inputs.name, "alias/webstack-prod");
                assert.equal(alias.inputs.targetKeyId, key.outputs?.keyId);
                assert.equal(plan.outputs.stageKeyArn, keyArn);
            });

            it("encrypts every bucket, EBS volume, RDS store, secret and SecureString with the stage key", () => {
                const keys = encryptionKeys(plan);
                const stores = Object.keys(keys);
                // The stage has data of each kind its layout creates.
                assert.ok(stores.some((s) => s.startsWith("bucket prod-site")), stores.join(", "));
                assert.ok(stores.some((s) => s.startsWith("bucket prod-web-releases")), stores.join(", "));
                // Beanstalk (paas) launches its instances from a template of its own: their root volumes follow the
                // account's EBS encryption default (docs/web-tier.md, "The beanstalk mode"); the fleet's use the key.
                if (layout === "iaas") assert.ok(stores.includes("volume /dev/xvda of prod-web-launch-template"), stores.join(", "));
                assert.ok(stores.some((s) => s.startsWith(layout === "paas" ? "rds prod-db-instance storage" : "volume prod-db-data")), stores.join(", "));
                // The log buckets are the exception: S3 delivers server access logs, and
                // an ALB its access logs, only to an SSE-S3 bucket (waiver log-bucket,
                // docs/production-checklist.md).
                const logBuckets = ["prod-logs-encryption", "prod-web-alb-logs-encryption"];
                for (const name of logBuckets) {
                    const store = `bucket ${name} (AES256)`;
                    assert.equal(keys[store], undefined, `${name}: the log bucket stays on SSE-S3`);
                    delete keys[store];
                }
                for (const [store, key] of Object.entries(keys)) assert.equal(key, keyArn, store);
                for (const sse of ofType(plan, SSE).filter((candidate) => !logBuckets.includes(candidate.name))) {
                    const [rule] = sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
                    assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms", sse.name);
                }
            });

            it("lets the account administer the key and CloudFront decrypt only for the stage's distribution", () => {
                const policy = named(plan, "aws:kms/keyPolicy:KeyPolicy", "prod-key-policy");
                assert.equal(policy.inputs.keyId, named(plan, KEY, "prod-key").outputs?.keyId);
                const statements = statementsOf(policy.inputs.policy);
                const root = statements.find((s) => s.Principal?.AWS !== undefined);
                assert.equal(root?.Principal?.AWS, "arn:aws:iam::123456789012:root");
                const services = statements.filter((s) => s.Principal?.Service !== undefined);
                assert.equal(services.length, 1, "only CloudFront is named as a service");
                const [cloudFront] = services;
                assert.equal(cloudFront.Principal?.Service, "cloudfront.amazonaws.com");
                assert.deepEqual(list(cloudFront.Action), ["kms:Decrypt"]);
                const distribution = named(plan, "aws:cloudfront/distribution:Distribution", "prod-site-cdn");
                assert.deepEqual(cloudFront.Condition, { StringEquals: { "AWS:SourceArn": [distribution.outputs?.arn] } });
            });

            it("lets each instance role use the key only through a named service (kms:ViaService), never on *", () => {
                const grants = ofType(plan, "aws:iam/rolePolicy:RolePolicy").flatMap((p) => statementsOf(p.inputs.policy).map((s) => ({ role: p.name, ...s })));
                const keyGrants = grants.filter((s) => list(s.Resource).includes(keyArn));
                assert.ok(keyGrants.length > 0, "some role may use the key");
                for (const grant of keyGrants) {
                    assert.ok(list(grant.Action).every((a) => ["kms:Decrypt", "kms:GenerateDataKey"].includes(a)), `${grant.role} ${grant.Sid}: ${String(grant.Action)}`);
                    const via = list(grant.Condition?.StringEquals?.["kms:ViaService"] ?? []);
                    assert.equal(via.length, 1, `${grant.role} ${grant.Sid}: one service`);
                    assert.match(via[0], /^(s3|ssm|secretsmanager)\.eu-west-1\.amazonaws\.com$/, `${grant.role} ${grant.Sid}`);
                }
                const webServices = keyGrants.filter((g) => g.role === "prod-web-access").map((g) => list(g.Condition?.StringEquals?.["kms:ViaService"] ?? [])[0].split(".")[0]);
                assert.deepEqual(webServices.sort(), ["s3", "secretsmanager", "ssm"]);
                assert.deepEqual(
                    grants.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")) && list(s.Resource).includes("*")).map((s) => `${s.role} ${s.Sid}`),
                    [],
                );
            });
        });
    }

    for (const stage of ["dev", "staging"]) {
        it(`${stage}: no key, no key policy, and AWS managed keys everywhere`, async () => {
            const plan = await planStage({ stage });
            assert.deepEqual(ofType(plan, KEY), []);
            assert.deepEqual(ofType(plan, "aws:kms/alias:Alias"), []);
            assert.deepEqual(ofType(plan, "aws:kms/keyPolicy:KeyPolicy"), []);
            const keys = encryptionKeys(plan);
            assert.ok(Object.keys(keys).length > 0);
            for (const [store, key] of Object.entries(keys)) assert.equal(key, undefined, store);
            for (const sse of ofType(plan, SSE)) {
                const [rule] = sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
                assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", sse.name);
            }
            assert.equal(plan.outputs.stageKeyArn, undefined);
        });
    }

    it("a production stage on an acknowledged S3 website keeps the site bucket on SSE-S3 and names no distribution", async () => {
        const plan = await planStage({ stage: "prod", overrides: ['webstack:site={"path":"examples/site","hosting":"s3-website"}', "webstack:acknowledge.s3WebsiteHosting=previews over HTTP"] });
        const site = named(plan, SSE, "prod-site-encryption");
        const [rule] = site.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string } }[];
        assert.deepEqual(rule.applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
        const policy = named(plan, "aws:kms/keyPolicy:KeyPolicy", "prod-key-policy");
        assert.deepEqual(statementsOf(policy.inputs.policy).map((s) => s.Sid), ["AccountAdministersKey"]);
    });
});

describe("stage key helpers", () => {
    it("names the alias alias/<app>-<stage> with only the characters KMS allows, never under alias/aws/", () => {
        assert.equal(stageKeyAliasName("webstack", "prod"), "alias/webstack-prod");
        assert.equal(stageKeyAliasName("my.app", "prod"), "alias/my-app-prod");
        assert.equal(stageKeyAliasName("aws/x", "prod"), "alias/aws-x-prod");
    });

    it("names no CloudFront statement when the stage serves no distribution", () => {
        const policy = stageKeyPolicy({ partition: "aws-cn", accountId: "210987654321", distributionArns: [] }) as { Statement: PolicyStatement[] };
        assert.deepEqual(policy.Statement.map((s) => s.Principal), [{ AWS: "arn:aws-cn:iam::210987654321:root" }]);
    });
});
