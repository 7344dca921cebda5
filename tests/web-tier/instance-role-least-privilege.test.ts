import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/internal/errors";
import { FAKE_ACCOUNT_ID, Harness } from "../../components/testing";
import { WebTier } from "../../components/web-tier";
import { grantedPairs, instanceRoleGrants, wildcardReads } from "../testing/instance-role-audit";

const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a"] };
const DB_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${FAKE_ACCOUNT_ID}:secret:rds!db-1234-AbCdEf`;

describe("WebTier instance role: least privilege", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "dev" });
        new WebTier("web", {
            app: { path: "examples/api", secrets: { API_KEY: "/shop/dev/api-key" }, secretsManagerArns: [pulumi.output(DB_SECRET_ARN)] },
            network,
        });
        new WebTier("plain", { app: { path: "examples/api", environment: { TOKEN: pulumi.secret("s3cret") } }, network });
        await harness.settled();
    });

    for (const component of ["web", "plain"]) {
        it(`${component}: attaches no managed policy (AmazonSSMManagedInstanceCore reads every parameter) and has no read action on *`, () => {
            const grants = instanceRoleGrants(harness, component);
            assert.deepEqual(grants.managedPolicies, []);
            assert.deepEqual(wildcardReads(grants.statements), []);
        });
    }

    it("reads exactly its own parameters, and decrypts only with the SSM default key through SSM", () => {
        const pairs = grantedPairs(instanceRoleGrants(harness, "web").statements);
        const parameterReads = pairs.filter((p) => p.startsWith("ssm:GetParameter")).map((p) => p.split(" ")[1]);
        assert.deepEqual([...new Set(parameterReads)].sort(), [
            `arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:parameter/shop/dev/api-key`,
            `arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:parameter/shop/dev/web/release`,
        ]);
        const decrypt = instanceRoleGrants(harness, "web").statements.filter((s) => [s.Action].flat().includes("kms:Decrypt"));
        assert.equal(decrypt.length, 1);
        // The harness answers alias/aws/ssm with a key ARN; the grant must be that key, not "*".
        const [keyArn] = [decrypt[0].Resource].flat();
        assert.match(keyArn, new RegExp(`^arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
        assert.equal([decrypt[0].Resource].flat().length, 1);
        assert.deepEqual(decrypt[0].Condition, { StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com"] } });
    });

    it("keeps Session Manager and the deploy association working: the agent's calls, its own deploy document only", () => {
        const pairs = grantedPairs(instanceRoleGrants(harness, "web").statements);
        for (const action of ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages"]) {
            assert.ok(pairs.includes(`${action} *`), action);
        }
        const documentReads = pairs.filter((p) => p.startsWith("ssm:GetDocument ")).map((p) => p.split(" ")[1]);
        assert.deepEqual(documentReads, [`arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:document/web-deploy-*`]);
        assert.ok(pairs.includes(`ssm:ListInstanceAssociations arn:aws:ec2:eu-west-1:${FAKE_ACCOUNT_ID}:instance/*`));
        assert.ok(pairs.includes(`ssm:UpdateInstanceAssociationStatus arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:association/*`));
    });
});

describe("WebTier app.secretsKeyArns: the customer managed keys of its secrets", () => {
    let harness: Harness;
    const KEY = `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "dev" });
        new WebTier("cmk", { app: { path: "examples/api", secrets: { API_KEY: "/shop/dev/api-key" }, secretsKeyArns: [KEY] }, network });
        await harness.settled();
    });

    it("may decrypt with exactly those keys and alias/aws/ssm's, through SSM only", () => {
        const decrypt = instanceRoleGrants(harness, "cmk").statements.filter((s) => [s.Action].flat().includes("kms:Decrypt"));
        assert.equal(decrypt.length, 1);
        const resources = [decrypt[0].Resource].flat();
        assert.equal(resources.length, 2);
        assert.equal(resources[1], KEY);
        assert.match(resources[0], new RegExp(`^arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/`));
        assert.deepEqual(decrypt[0].Condition, { StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com"] } });
    });

    for (const [label, value, why] of [
        ["an alias ARN", `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:alias/app`, /alias/],
        ["a bare key id", "1234abcd-12ab-34cd-56ef-1234567890ab", /key ARN/],
        ["a wildcard", "*", /key ARN/],
        ["a key ARN with a wildcard", `arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/*`, /key ARN/],
    ] as const) {
        it(`refuses ${label}, naming app.secretsKeyArns[0], before registering any resource`, async () => {
            const before = harness.resources.length;
            assert.throws(
                () => new WebTier(`bad-key-${label.length}`, { app: { path: "examples/api", secretsKeyArns: [value] }, network }),
                (error: unknown) => error instanceof ConfigError && error.setting === "app.secretsKeyArns[0]" && why.test(error.message) && error.message.includes("Fix:"),
            );
            await harness.settled();
            assert.equal(harness.resources.length, before);
        });
    }
});
