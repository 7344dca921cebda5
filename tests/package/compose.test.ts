import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ManagedDatabase, WebTier } from "../../components";
import { resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { Harness, valueOf } from "../../components/testing";

const APP = path.resolve(__dirname, "..", "..", "examples", "api");

/**
 * The README's composition example, run: awsx-style Output<string[]> subnet
 * ids feed ManagedDatabase, and its clientSecurityGroupIds feed WebTier,
 * without casts (tests/package/consumer.test.ts compiles the same example
 * against the installed package).
 */
describe("components compose: one component's outputs are another's args", () => {
    let harness: Harness;
    let db: ManagedDatabase;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        const vpc = {
            vpcId: pulumi.output("vpc-0a1b2c3d4e5f60718"),
            privateSubnetIds: pulumi.output(["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]),
            publicSubnetIds: pulumi.output(["subnet-0a1b2c3d4e5f60733", "subnet-0a1b2c3d4e5f60744"]),
        };
        for (const mode of ["rds", "ec2"] as const) {
            const name = `db-${mode}`;
            const database = new ManagedDatabase(name, { mode, vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds, allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"] });
            if (mode === "rds") db = database;
        }
        new WebTier("web", {
            app: { path: APP, environment: db.appEnvironment() },
            network: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds, securityGroupIds: db.clientSecurityGroupIds },
        });
        await harness.settled();
    });

    it("puts the RDS subnet group on the VPC's private subnets given as one Output", () => {
        const group = harness.ofType("aws:rds/subnetGroup:SubnetGroup").find((r) => r.name.startsWith("db-rds"));
        assert.ok(group);
        assert.deepEqual(harness.inputsOf(group).subnetIds, ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]);
    });

    it("places the ec2 database's volume in the first subnet's AZ", () => {
        const volume = harness.get("aws:ebs/volume:Volume", "db-ec2-data");
        assert.match(String(harness.inputsOf(volume).availabilityZone), /^eu-west-1[a-c]$/);
    });

    it("makes the web instance join the database's client groups as well as its own", async () => {
        const instance = harness.inputsOf(harness.ofType("aws:ec2/instance:Instance").find((r) => r.name === "web-instance")!);
        const clients = await valueOf(db.clientSecurityGroupIds);
        assert.equal(instance.vpcSecurityGroupIds.length, 1 + clients.length);
        assert.deepEqual(instance.vpcSecurityGroupIds.slice(1), clients);
    });

    it("still refuses a single private subnet, once the Output's length is known", async () => {
        const resolved = resolveManagedDatabaseArgs({ mode: "rds", vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: pulumi.output(["subnet-0a1b2c3d4e5f60711"]), allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"] });
        await assert.rejects(valueOf(pulumi.output(resolved.subnetIds)), (error: Error) => error.name === "ConfigError" && /subnetIds = \["subnet-0a1b2c3d4e5f60711"\].*two availability zones/.test(error.message));
    });
});
