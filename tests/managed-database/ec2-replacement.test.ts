import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { ManagedDatabase } from "../../components/managed-database";
import { Harness, valueOf } from "../../components/testing";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

/**
 * Items 1 and 4 of issue 9: what happens when the database instance is
 * replaced (its user data changed), and what it waits for before it boots.
 */
describe("ManagedDatabase ec2 mode: replacement and boot order", () => {
    let harness: Harness;
    let endpoint: aws.ec2.VpcEndpoint;
    let unrelated: aws.s3.Bucket;
    const get = (type: string, name: string) => harness.get(type, name);
    const instance = (name: string) => get("aws:ec2/instance:Instance", `${name}-instance`);
    const attachment = (name: string) => get("aws:ec2/volumeAttachment:VolumeAttachment", `${name}-data-attachment`);

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "dev" });
        endpoint = new aws.ec2.VpcEndpoint("secretsmanager", { vpcId: network.vpcId, serviceName: "com.amazonaws.eu-west-1.secretsmanager", vpcEndpointType: "Interface" });
        unrelated = new aws.s3.Bucket("unrelated", {});
        new ManagedDatabase("db", { mode: "ec2", preset: "development", instanceDependsOn: [endpoint], ...network });
        // A component's own dependsOn, for comparison (see the last test).
        new ManagedDatabase("other", { mode: "ec2", preset: "development", ...network }, { dependsOn: [unrelated] });
        await harness.settled();
    });

    it("replaces the instance delete-first, so the new one can attach the data volume", () => {
        // A volume attaches to one instance at a time (EC2 AttachVolume:
        // VolumeInUse); create-before-delete would fail on every replacement.
        assert.equal(instance("db").options.deleteBeforeReplace, true);
        // The user data (engine, version, port, boot script) is what replaces it.
        assert.equal(harness.inputsOf(instance("db")).userDataReplaceOnChange, true);
    });

    it("detaches the volume cleanly: delete-first, instance stopped before detaching, never forced", () => {
        const settings = harness.inputsOf(attachment("db"));
        assert.equal(attachment("db").options.deleteBeforeReplace, true);
        assert.equal(settings.stopInstanceBeforeDetaching, true);
        assert.notEqual(settings.forceDetach, true, "a forced detach can lose data");
        assert.notEqual(settings.skipDestroy, true, "the volume must leave the old instance before it can join the new one");
    });

    it("the attachment follows the instance: it is re-created with the new instance id", () => {
        // The engine replaces a dependent whose input comes from a replaced
        // resource; the attachment takes the instance's id as an input, so it
        // is in the instance's dependencies.
        assert.ok(attachment("db").options.dependsOn.includes(instance("db").urn));
        assert.match(String(harness.inputsOf(attachment("db")).instanceId), /^db-instance-/);
    });

    it("boots only after it may read its secret and after the given endpoints exist", async () => {
        const dependsOn = instance("db").options.dependsOn;
        assert.ok(dependsOn.includes(get("aws:iam/rolePolicy:RolePolicy", "db-password-access").urn), "secret access policy");
        assert.ok(dependsOn.includes(get("aws:iam/rolePolicy:RolePolicy", "db-session-manager").urn), "Session Manager policy");
        assert.ok(dependsOn.includes(await valueOf(endpoint.urn)), "the Secrets Manager endpoint");
    });

    it("a component's own dependsOn would not have reached the instance (why instanceDependsOn exists)", async () => {
        const bucketUrn = await valueOf(unrelated.urn);
        assert.equal(instance("other").options.dependsOn.includes(bucketUrn), false);
        assert.ok(get("webstack:index:ManagedDatabase", "other").options.dependsOn.includes(bucketUrn));
    });

    it("rejects instanceDependsOn entries that are not resources", () => {
        assert.throws(
            () => new ManagedDatabase("bad", { mode: "ec2", ...network, instanceDependsOn: ["vpce-123" as never] }),
            (error: { setting?: string }) => error.setting === "instanceDependsOn",
        );
    });
});
