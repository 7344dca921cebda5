import * as assert from "node:assert/strict";
import { ManagedDatabase } from "../../components/managed-database";
import { renderBootScript } from "../../components/managed-database/ec2/boot-script";
import { SNAPSHOT_TAG_KEY } from "../../components/managed-database/ec2/snapshots";
import { Harness, RecordedResource, valueOf } from "../../components/testing";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

describe("ManagedDatabase ec2 mode", () => {
    let harness: Harness;
    let prod: ManagedDatabase;
    let dev: ManagedDatabase;
    const get = (type: string, name: string) => harness.get(type, name);
    const inputs = (resource: RecordedResource) => harness.inputsOf(resource);
    const instance = (name: string) => get("aws:ec2/instance:Instance", `${name}-instance`);
    const volume = (name: string) => get("aws:ebs/volume:Volume", `${name}-data`);

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "staging" });
        prod = new ManagedDatabase("pdb", { mode: "ec2", ...network });
        dev = new ManagedDatabase("ddb", { mode: "ec2", engine: "mariadb", preset: "development", backupRetentionDays: 3, architecture: "x86_64", ...network });
        new ManagedDatabase("shop-db", { mode: "ec2", preset: "development", ...network });
        await harness.settled();
    });

    it("names its children after the component", () => {
        const names = harness.descendantsOf(get("webstack:index:ManagedDatabase", "pdb")).map((r) => `${r.type} ${r.name}`).sort();
        assert.deepEqual(names, [
            "aws:dlm/lifecyclePolicy:LifecyclePolicy pdb-snapshots",
            "aws:ebs/volume:Volume pdb-data",
            "aws:ec2/instance:Instance pdb-instance",
            "aws:ec2/securityGroup:SecurityGroup pdb-sg",
            "aws:ec2/volumeAttachment:VolumeAttachment pdb-data-attachment",
            "aws:iam/instanceProfile:InstanceProfile pdb-profile",
            "aws:iam/role:Role pdb-role",
            "aws:iam/role:Role pdb-snapshot-role",
            "aws:iam/rolePolicy:RolePolicy pdb-password-access",
            "aws:iam/rolePolicy:RolePolicy pdb-session-manager",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment pdb-snapshot-role-policy",
            "aws:secretsmanager/secret:Secret pdb-password",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule pdb-https-out",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule pdb-client-0",
        ]);
    });

    it("runs a private AL2023 arm64 instance with IMDSv2, no SSH key and Session Manager", () => {
        const settings = inputs(instance("pdb"));
        assert.equal(settings.subnetId, "subnet-aaaa");
        assert.equal(settings.associatePublicIpAddress, false);
        assert.equal(settings.keyName, undefined);
        assert.equal(settings.instanceType, "t4g.small");
        assert.equal(settings.metadataOptions.httpTokens, "required");
        // The same IMDSv2 settings as WebTier's instance.
        assert.deepEqual(settings.metadataOptions, { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
        assert.equal(settings.rootBlockDevice.encrypted, true);
        assert.equal(settings.userDataReplaceOnChange, true);
        assert.match(settings.ami, /^ami-/);
        assert.equal(inputs(instance("ddb")).instanceType, "t3.small");
        const ssm = JSON.parse(inputs(get("aws:iam/rolePolicy:RolePolicy", "pdb-session-manager")).policy);
        assert.ok(ssm.Statement.some((s: { Action: string[] }) => s.Action.includes("ssmmessages:OpenDataChannel")));
        assert.equal(inputs(get("aws:iam/role:Role", "pdb-role")).assumeRolePolicy.includes("ec2.amazonaws.com"), true);
    });

    it("may write only its own password secret, which Pulumi never fills", async () => {
        const secretArn = await valueOf(prod.passwordSecretArn);
        const policy = JSON.parse(inputs(get("aws:iam/rolePolicy:RolePolicy", "pdb-password-access")).policy);
        assert.deepEqual(policy.Statement, [
            {
                Sid: "DatabasePassword",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret"],
                Resource: secretArn,
            },
        ]);
        assert.equal(harness.ofType("aws:secretsmanager/secretVersion:SecretVersion").length, 0);
        const userData: string = inputs(instance("pdb")).userData;
        assert.ok(userData.includes(`SECRET_ARN='${secretArn}'`));
        // The user data is boot.sh with non-secret values only: the instance makes the password itself.
        const volumeId = inputs(get("aws:ec2/volumeAttachment:VolumeAttachment", "pdb-data-attachment")).volumeId;
        const expected = renderBootScript({ engine: "postgres", majorVersion: "16", databaseName: "app", username: "app", port: 5432, secretArn, volumeId, region: "eu-west-1" });
        assert.equal(userData, expected);
    });

    it("keeps data on a separate encrypted gp3 volume in the instance's AZ, attached by id", async () => {
        const settings = inputs(volume("pdb"));
        assert.equal(settings.encrypted, true);
        assert.equal(settings.type, "gp3");
        assert.equal(settings.size, 20);
        assert.equal(settings.tags[SNAPSHOT_TAG_KEY], "webstack/staging/pdb");
        const subnet = await (await import("@pulumi/aws")).ec2.getSubnet({ id: "subnet-aaaa" });
        assert.equal(settings.availabilityZone, subnet.availabilityZone);
        const attachment = inputs(get("aws:ec2/volumeAttachment:VolumeAttachment", "pdb-data-attachment"));
        assert.equal(attachment.deviceName, "/dev/sdf");
        // The harness gives a resource the physical id "<name>-<hex>".
        assert.match(attachment.volumeId, /^pdb-data-[0-9a-f]{8}$/);
        assert.ok(inputs(instance("pdb")).userData.includes(`VOLUME_ID='${attachment.volumeId}'`));
    });

    it("in production: the volume and secret are protected and survive deletion, with a final snapshot", () => {
        for (const resource of [volume("pdb"), get("aws:secretsmanager/secret:Secret", "pdb-password")]) {
            assert.equal(resource.options.protect, true, resource.name);
            assert.equal(resource.options.retainOnDelete, true, resource.name);
        }
        assert.equal(inputs(volume("pdb")).finalSnapshot, true);
        assert.equal(instance("pdb").options.protect, false, "the instance is disposable: the data is on the volume");
        assert.ok(instance("pdb").options.ignoreChanges.includes("ami"));
    });

    it("in development: still encrypted and private, but unprotected", () => {
        assert.equal(volume("ddb").options.protect, false);
        assert.equal(inputs(volume("ddb")).finalSnapshot, false);
        assert.equal(inputs(volume("ddb")).encrypted, true);
        assert.equal(inputs(instance("ddb")).associatePublicIpAddress, false);
    });

    it("snapshots the data volume daily, kept for backupRetentionDays", () => {
        for (const [name, days] of [["pdb", 14], ["ddb", 3]] as const) {
            const details = inputs(get("aws:dlm/lifecyclePolicy:LifecyclePolicy", `${name}-snapshots`)).policyDetails;
            assert.deepEqual(details.resourceTypes, ["VOLUME"]);
            assert.deepEqual(details.targetTags, { [SNAPSHOT_TAG_KEY]: inputs(volume(name)).tags[SNAPSHOT_TAG_KEY] });
            assert.deepEqual(details.schedules[0].createRule, { interval: 24, intervalUnit: "HOURS", times: "03:00" });
            assert.deepEqual(details.schedules[0].retainRule, { interval: days, intervalUnit: "DAYS" });
        }
        // Only letters, digits, spaces, "_" and "-" are allowed in a DLM description.
        assert.equal(inputs(get("aws:dlm/lifecyclePolicy:LifecyclePolicy", "shop-db-snapshots")).description, "Daily snapshots of database shop-db");
        const dlmRole = inputs(get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "pdb-snapshot-role-policy"));
        assert.equal(dlmRole.policyArn, "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole");
    });

    it("opens the engine port to the client groups and only HTTPS out", () => {
        const ingress = inputs(get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ddb-client-0"));
        assert.deepEqual([ingress.fromPort, ingress.toPort, ingress.referencedSecurityGroupId], [3306, 3306, "sg-0a1b2c3d"]);
        const egress = inputs(get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "pdb-https-out"));
        assert.deepEqual([egress.ipProtocol, egress.fromPort, egress.toPort], ["tcp", 443, 443]);
    });

    it("gives the same outputs as rds mode", async () => {
        assert.match(await valueOf(prod.host), /^10\.0\.\d+\.\d+$/);
        assert.equal(await valueOf(prod.port), 5432);
        assert.equal(await valueOf(dev.port), 3306);
        assert.equal(await valueOf(prod.mode), "ec2");
        const env = dev.appEnvironment();
        assert.equal(await valueOf(env.DB_PASSWORD_SECRET_ARN), await valueOf(dev.passwordSecretArn));
        assert.equal(await valueOf(env.DB_HOST), await valueOf(dev.host));
        assert.equal(await valueOf(env.DB_PORT), "3306");
    });
});
