import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { Harness, valueOf } from "../../components/testing";

/**
 * The harness names resources as the AWS provider does (pulumi-aws
 * `setAutonaming`: every `name` input, plus per-type overrides), so inputs
 * that refer to another resource's name keep a value.
 */
describe("harness auto-naming", () => {
    let harness: Harness;
    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
    });

    it("gives an unset `name` the auto-name <logical name>-<7 hex> as an output", async () => {
        const group = new aws.rds.SubnetGroup("db-subnets", { subnetIds: ["subnet-1", "subnet-2"] });
        const role = new aws.iam.Role("app-role", { assumeRolePolicy: "{}" });
        const sg = new aws.ec2.SecurityGroup("web-sg", { vpcId: "vpc-1" });
        assert.match(await valueOf(group.name), /^db-subnets-[0-9a-f]{7}$/);
        assert.match(await valueOf(role.name), /^app-role-[0-9a-f]{7}$/);
        assert.match(await valueOf(sg.name), /^web-sg-[0-9a-f]{7}$/);
        assert.equal(await valueOf(role.arn), `arn:aws:iam::123456789012:role/${await valueOf(role.name)}`);
    });

    it("keeps a name the program set, and derives one from namePrefix", async () => {
        const named = new aws.rds.SubnetGroup("named", { name: "my-subnets", subnetIds: ["subnet-1"] });
        const prefixed = new aws.ec2.SecurityGroup("prefixed", { vpcId: "vpc-1", namePrefix: "web-" });
        assert.equal(await valueOf(named.name), "my-subnets");
        assert.match(await valueOf(prefixed.name), /^web-[0-9a-f]{26}$/);
    });

    it("auto-names the type's own property, lowercase where AWS requires it", async () => {
        const bucket = new aws.s3.Bucket("Site-Bucket", {});
        const db = new aws.rds.Instance("Main-DB", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20 });
        assert.match(await valueOf(bucket.bucket), /^site-bucket-[0-9a-f]{7}$/);
        assert.equal(await valueOf(bucket.id), await valueOf(bucket.bucket), "an S3 bucket's id is its name");
        assert.match(await valueOf(db.identifier), /^main-db-[0-9a-f]{7}$/);
    });

    it("passes an auto-name on to the inputs that refer to it", async () => {
        const group = new aws.rds.SubnetGroup("ref-subnets", { subnetIds: ["subnet-1"] });
        new aws.rds.Instance("ref-db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, dbSubnetGroupName: group.name });
        await harness.settled();
        const instance = harness.get("aws:rds/instance:Instance", "ref-db");
        assert.match(String(harness.inputsOf(instance).dbSubnetGroupName), /^ref-subnets-[0-9a-f]{7}$/);
        assert.equal(harness.inputsOf(instance).dbSubnetGroupName, await valueOf(group.name));
    });

    it("names nothing on types without a name input, and records what it made up", async () => {
        const endpoint = new aws.ec2.VpcEndpoint("ep", { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.s3" });
        await harness.settled();
        const recorded = harness.get("aws:ec2/vpcEndpoint:VpcEndpoint", "ep");
        assert.equal("name" in (recorded.computed ?? {}), false);
        assert.match(await valueOf(endpoint.id), /^vpce-[0-9a-f]{17}$/);
        assert.deepEqual(Object.keys(harness.get("aws:rds/subnetGroup:SubnetGroup", "db-subnets").computed ?? {}).sort(), ["arn", "name"]);
    });
});

describe("harness fake values are consistent", () => {
    before(async () => {
        await Harness.start({ config: { "aws:region": "eu-west-1" } });
    });

    it("gives a distribution the id its ARN ends with", async () => {
        const distribution = new aws.cloudfront.Distribution("cdn", {
            enabled: true,
            origins: [{ domainName: "example.com", originId: "o" }],
            defaultCacheBehavior: { targetOriginId: "o", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        });
        const [id, arn] = [await valueOf(distribution.id), await valueOf(distribution.arn)];
        assert.match(id, /^E[0-9A-F]{13}$/);
        assert.equal(arn.split("/").pop(), id);
    });

    it("keeps a subnet's AZ, answers its look-up with it, and puts instances' private IPs inside its CIDR", async () => {
        const vpc = new aws.ec2.Vpc("net", { cidrBlock: "10.42.0.0/16" });
        const subnet = new aws.ec2.Subnet("net-b", { vpcId: vpc.id, cidrBlock: "10.42.128.0/20", availabilityZone: "eu-west-1b" });
        const instance = new aws.ec2.Instance("vm", { ami: "ami-1", instanceType: "t4g.micro", subnetId: subnet.id });
        assert.equal(await valueOf(subnet.availabilityZone), "eu-west-1b");
        const lookedUp = await aws.ec2.getSubnet({ id: await valueOf(subnet.id) });
        assert.equal(lookedUp.availabilityZone, "eu-west-1b");
        assert.equal(lookedUp.cidrBlock, "10.42.128.0/20");
        const ip = (await valueOf(instance.privateIp)).split(".").map(Number);
        assert.equal(ip[0], 10);
        assert.equal(ip[1], 42);
        assert.ok(ip[2] >= 128 && ip[2] < 144, `${ip.join(".")} lies in 10.42.128.0/20`);
        assert.equal(await valueOf(instance.availabilityZone), "eu-west-1b");
    });
});
