import * as assert from "node:assert/strict";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

function vpcOf(plan: PlanDocument) {
    const vpcs = plan.resources.filter((r) => r.type === "awsx:ec2:Vpc");
    assert.equal(vpcs.length, 1, "exactly one VPC per stage");
    return vpcs[0];
}

/**
 * Each real stage file, run through the program under the harness: the
 * network each stage must get. Components add their own stage tests.
 */
describe("stage files", () => {
    const expected = {
        dev: { layout: "iaas", strategy: "None", azs: 2, natGateways: 0, cidr: "10.10.0.0/16", privateKind: "isolated" },
        staging: { layout: "paas", strategy: "Single", azs: 2, natGateways: 1, cidr: "10.20.0.0/16", privateKind: "private" },
        prod: { layout: "paas", strategy: "OnePerAz", azs: 3, natGateways: 3, cidr: "10.30.0.0/16", privateKind: "private" },
    } as const;

    for (const [stage, want] of Object.entries(expected)) {
        describe(stage, () => {
            let plan: PlanDocument;
            before(async () => {
                plan = await planStage({ stage });
            });

            it(`uses the ${want.layout} layout`, () => {
                assert.equal(plan.stage, stage);
                assert.equal(plan.layout, want.layout);
                assert.equal(plan.outputs.layout, want.layout);
            });

            it(`creates a VPC over ${want.azs} AZs with NAT strategy ${want.strategy}`, () => {
                const vpc = vpcOf(plan);
                assert.equal(vpc.name, `${stage}-vpc`);
                assert.equal(vpc.inputs.cidrBlock, want.cidr);
                assert.equal(vpc.inputs.numberOfAvailabilityZones, want.azs);
                assert.deepEqual(vpc.inputs.natGateways, { strategy: want.strategy });
                assert.equal(plan.outputs.natGatewayCount, want.natGateways);
            });

            it(`gives components ${want.privateKind} subnets, one per AZ`, () => {
                const specs = vpcOf(plan).inputs.subnetSpecs as { type: string }[];
                assert.deepEqual(specs.map((s) => s.type), ["Public", want.privateKind === "isolated" ? "Isolated" : "Private"]);
                assert.equal((plan.outputs.privateSubnetIds as string[]).length, want.azs);
                assert.equal((plan.outputs.publicSubnetIds as string[]).length, want.azs);
            });

            it(want.privateKind === "isolated" ? "gives isolated subnets S3 and Secrets Manager endpoints" : "needs no VPC endpoints (NAT reaches AWS)", () => {
                const endpoints = plan.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
                const gatewaySpecs = (vpcOf(plan).inputs.vpcEndpointSpecs ?? []) as { serviceName: string; vpcEndpointType: string }[];
                if (want.privateKind === "isolated") {
                    assert.deepEqual(gatewaySpecs.map((s) => [s.serviceName, s.vpcEndpointType]), [[`com.amazonaws.${plan.region}.s3`, "Gateway"]]);
                    assert.deepEqual(endpoints.map((e) => e.inputs.serviceName), [`com.amazonaws.${plan.region}.secretsmanager`]);
                    assert.equal(endpoints[0].inputs.privateDnsEnabled, true);
                    assert.equal((endpoints[0].inputs.subnetIds as string[]).length, 1, "one subnet: interface endpoints are billed per subnet");
                } else {
                    assert.deepEqual(gatewaySpecs, []);
                    assert.deepEqual(endpoints, []);
                }
            });

            it("tags the network with app, stage and the stage file's tags", () => {
                const tags = vpcOf(plan).inputs.tags as Record<string, string>;
                assert.equal(tags.stage, stage);
                assert.equal(tags.app, "webstack");
                assert.equal(tags["managed-by"], "pulumi");
                assert.equal(tags["cost-center"], stage);
            });
        });
    }

    it("flips the layout with an override, without touching the file", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:layout=iaas", "webstack:network.nat=single"] });
        assert.equal(plan.layout, "iaas");
        assert.deepEqual(vpcOf(plan).inputs.natGateways, { strategy: "Single" });
        assert.equal(vpcOf(plan).inputs.numberOfAvailabilityZones, 3, "the rest of the network setting is kept");
    });

    it("adds Session Manager endpoints to a stage without NAT on request", async () => {
        const plan = await planStage({ stage: "dev", overrides: ["webstack:network.sessionManagerEndpoints=true"] });
        const services = plan.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName).split(".").pop());
        assert.deepEqual(services, ["secretsmanager", "ssm", "ssmmessages", "ec2messages"]);
    });
});
