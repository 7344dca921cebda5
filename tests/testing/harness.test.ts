import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Harness, resolveOutput, valueOf } from "../../components/testing";

class Box extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Box", name, {}, opts);
        const east = new aws.Provider(`${name}-east`, { region: "us-east-1" }, { parent: this });
        const bucket = new aws.s3.Bucket(`${name}-bucket`, {}, { parent: this, protect: true });
        new aws.acm.Certificate(`${name}-cert`, { domainName: "example.com", subjectAlternativeNames: ["*.example.com"], validationMethod: "DNS" }, { parent: this, provider: east });
        new aws.ssm.Parameter(`${name}-secret`, { type: "SecureString", value: pulumi.secret("hunter2") }, { parent: this });
        this.bucketName = bucket.bucket;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}

/** What `new awsx.ec2.Vpc(...)` registers: a remote component of type awsx:ec2:Vpc. */
class AwsxVpc extends pulumi.ComponentResource {
    declare readonly privateSubnetIds: pulumi.Output<string[]>;
    declare readonly natGateways: pulumi.Output<unknown[]>;
    constructor(name: string, args: Record<string, unknown>) {
        super("awsx:ec2:Vpc", name, { privateSubnetIds: undefined, natGateways: undefined, ...args }, {}, true);
    }
}

describe("testing harness", () => {
    let harness: Harness;
    let box: Box;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        box = new Box("box");
        await harness.settled();
    });

    it("records parents, components and resource options", () => {
        const bucket = harness.get("aws:s3/bucket:Bucket", "box-bucket");
        assert.equal(harness.componentOf(bucket)?.name, "box");
        assert.equal(harness.componentOf(bucket)?.type, "test:index:Box");
        assert.equal(bucket.options.protect, true);
        assert.deepEqual(harness.childrenOf(harness.get("test:index:Box", "box")).map((r) => r.name).sort(),
            ["box-bucket", "box-cert", "box-east", "box-secret"]);
    });

    it("tells the provider and its region, or the stack default", () => {
        assert.deepEqual(harness.providerOf(harness.get("aws:acm/certificate:Certificate", "box-cert")), { name: "box-east", region: "us-east-1" });
        assert.deepEqual(harness.providerOf(harness.get("aws:s3/bucket:Bucket", "box-bucket")), { name: "default", region: "eu-west-1" });
        assert.equal(harness.providerOf(harness.get("test:index:Box", "box")), null);
    });

    it("keeps secrets wrapped in raw inputs and unwraps them on request", () => {
        const param = harness.get("aws:ssm/parameter:Parameter", "box-secret");
        assert.notEqual(JSON.stringify(param.rawInputs).includes("hunter2"), false, "raw inputs still hold the wrapped value");
        assert.equal(harness.inputsOf(param).value, "hunter2");
    });

    it("resolves outputs with their secretness", async () => {
        assert.match(await valueOf(box.bucketName), /^box-bucket-[0-9a-f]{7}$/);
        const secret = await resolveOutput(pulumi.secret("x"));
        assert.equal(secret.secret, true);
    });

    it("answers look-ups and models awsx Vpc outputs from its inputs", async () => {
        const azs = await aws.getAvailabilityZones();
        assert.deepEqual(azs.names.slice(0, 2), ["eu-west-1a", "eu-west-1b"]);
        const zone = await aws.route53.getZone({ name: "example.com" });
        assert.equal(zone.name, "example.com");
        await assert.rejects(aws.route53.getZone({ name: "other.org" }));
        // awsx's Vpc is a remote component: registered by its type token, as
        // @pulumi/awsx does (the harness models it without importing awsx).
        const vpc = new AwsxVpc("net", { numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } });
        assert.equal((await valueOf(vpc.privateSubnetIds)).length, 2);
        assert.equal((await valueOf(vpc.natGateways)).length, 1);
    });
});
