import * as assert from "node:assert/strict";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/**
 * Issue 10, production hardening: "The VPC's default security group managed
 * with no rules" (CIS 5.4 / Security Hub EC2.2). Every stage, both layouts.
 */
describe("network: the VPC's default security group is managed with no rules", () => {
    for (const stage of ["dev", "staging", "prod"]) {
        for (const layout of ["iaas", "paas"]) {
            it(`${stage} (${layout}): one DefaultSecurityGroup on the stage's VPC, empty ingress and egress, tagged`, async () => {
                const plan: PlanDocument = await planStage({ stage, overrides: [`webstack:layout=${layout}`] });
                const groups = plan.resources.filter((r) => r.type === DEFAULT_SG);
                assert.equal(groups.length, 1, "exactly one default security group is managed");
                const [group] = groups;
                assert.equal(group.name, `${stage}-vpc-default-sg`);
                const vpc = plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
                assert.ok(vpc?.outputs, "the VPC is planned");
                assert.equal(group.inputs.vpcId, vpc.outputs.id, "it is the stage VPC's group");
                assert.deepEqual(group.inputs.ingress, []);
                assert.deepEqual(group.inputs.egress, []);
                const tags = group.inputs.tags as Record<string, string>;
                assert.equal(tags.stage, stage);
                assert.equal(tags["managed-by"], "pulumi");
            });
        }
    }
});
