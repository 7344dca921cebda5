import * as assert from "node:assert/strict";
import { ManagedDatabase } from "../../components/managed-database";
import { Harness } from "../../components/testing";
import { grantedPairs, instanceRoleGrants, wildcardReads } from "../testing/instance-role-audit";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

describe("ManagedDatabase (ec2) instance role: least privilege", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "staging" });
        new ManagedDatabase("pdb", { mode: "ec2", ...network });
        await harness.settled();
    });

    it("attaches no managed policy (AmazonSSMManagedInstanceCore reads every parameter) and has no read action on *", () => {
        const grants = instanceRoleGrants(harness, "pdb");
        assert.deepEqual(grants.managedPolicies, []);
        assert.deepEqual(wildcardReads(grants.statements), []);
    });

    it("reads no SSM parameter or document, and keeps Session Manager", () => {
        const pairs = grantedPairs(instanceRoleGrants(harness, "pdb").statements);
        assert.deepEqual(pairs.filter((p) => /^ssm:(Get|List|Describe)/.test(p)), []);
        for (const action of ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:OpenDataChannel"]) {
            assert.ok(pairs.includes(`${action} *`), action);
        }
    });
});
