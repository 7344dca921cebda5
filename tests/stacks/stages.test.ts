import * as assert from "node:assert/strict";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";

function vpcOf(plan: PlanDocument) {
    const vpcs = ofType(plan, "aws:ec2/vpc:Vpc");
    assert.equal(vpcs.length, 1, "exactly one VPC per stage");
    return vpcs[0];
}

function ofType(plan: PlanDocument, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
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

            it(`creates a VPC over ${want.azs} AZs with ${want.natGateways} NAT gateways and as many Elastic IPs`, () => {
                const vpc = vpcOf(plan);
                assert.equal(vpc.name, `${stage}-vpc`);
                assert.equal(vpc.inputs.cidrBlock, want.cidr);
                assert.equal(vpc.inputs.enableDnsHostnames, true);
                assert.equal(vpc.inputs.enableDnsSupport, true);
                const gateways = ofType(plan, "aws:ec2/natGateway:NatGateway");
                assert.equal(gateways.length, want.natGateways);
                assert.equal(ofType(plan, "aws:ec2/eip:Eip").filter((e) => e.name.startsWith(`${stage}-vpc-nat-`)).length, want.natGateways);
                assert.equal(plan.outputs.natGatewayCount, want.natGateways);
                const publicIds = plan.outputs.publicSubnetIds as string[];
                for (const gateway of gateways) assert.ok(publicIds.includes(String(gateway.inputs.subnetId)), `${gateway.name} sits in a public subnet`);
                assert.equal(ofType(plan, "aws:ec2/internetGateway:InternetGateway").length, 1);
            });

            it(`gives components ${want.privateKind} subnets, one per AZ, in distinct AZs and inside the VPC block`, () => {
                const subnets = ofType(plan, "aws:ec2/subnet:Subnet");
                const publicSubnets = subnets.filter((s) => s.name.startsWith(`${stage}-vpc-public-`));
                const privateSubnets = subnets.filter((s) => s.name.startsWith(`${stage}-vpc-${want.privateKind}-`));
                assert.equal(publicSubnets.length, want.azs);
                assert.equal(privateSubnets.length, want.azs);
                assert.equal(subnets.length, 2 * want.azs);
                assert.equal((plan.outputs.privateSubnetIds as string[]).length, want.azs);
                assert.equal((plan.outputs.publicSubnetIds as string[]).length, want.azs);
                const zones = privateSubnets.map((s) => s.inputs.availabilityZone);
                assert.deepEqual(zones, Array.from({ length: want.azs }, (_, i) => `${plan.region}${"abcdef"[i]}`));
                assert.deepEqual(publicSubnets.map((s) => s.inputs.availabilityZone), zones);
                const prefix = want.cidr.split(".").slice(0, 2).join(".");
                for (const subnet of subnets) {
                    assert.ok(String(subnet.inputs.cidrBlock).startsWith(`${prefix}.`), `${subnet.name} ${subnet.inputs.cidrBlock} lies in ${want.cidr}`);
                    assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
                }
                assert.equal(new Set(subnets.map((s) => s.inputs.cidrBlock)).size, subnets.length, "no two subnets share a block");
            });

            it(want.privateKind === "isolated" ? "gives isolated subnets no route out" : "routes each private subnet through a NAT gateway, the public ones through the internet gateway", () => {
                const routes = ofType(plan, "aws:ec2/route:Route");
                const toInternet = routes.filter((r) => r.inputs.gatewayId !== undefined);
                assert.deepEqual(toInternet.map((r) => [r.name, r.inputs.destinationCidrBlock]), [[`${stage}-vpc-public-internet`, "0.0.0.0/0"]]);
                const viaNat = routes.filter((r) => r.inputs.natGatewayId !== undefined);
                assert.equal(viaNat.length, want.privateKind === "isolated" ? 0 : want.azs);
                const gatewayIds = new Set(viaNat.map((r) => r.inputs.natGatewayId));
                assert.equal(gatewayIds.size, want.natGateways, "one-per-az: each AZ its own gateway; single: all through one");
                assert.equal(ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation").length, 2 * want.azs);
            });

            it(want.privateKind === "isolated" ? "gives isolated subnets the S3 gateway endpoint and the interface endpoints the database consumes" : "needs no VPC endpoints (NAT reaches AWS)", () => {
                const endpoints = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint");
                if (want.privateKind === "isolated") {
                    const gateway = endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway");
                    assert.deepEqual(gateway.map((e) => e.inputs.serviceName), [`com.amazonaws.${plan.region}.s3`]);
                    assert.equal((gateway[0].inputs.routeTableIds as string[]).length, want.azs, "on every isolated route table");
                    const interfaces = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
                    assert.deepEqual(interfaces.map((e) => e.inputs.serviceName), [`com.amazonaws.${plan.region}.secretsmanager`]);
                    assert.equal(interfaces[0].inputs.privateDnsEnabled, true);
                    assert.equal((interfaces[0].inputs.subnetIds as string[]).length, 1, "one subnet: interface endpoints are billed per subnet");
                } else {
                    assert.deepEqual(endpoints, []);
                }
            });

            it("tags the network with app, stage and the stage file's tags", () => {
                const tags = vpcOf(plan).inputs.tags as Record<string, string>;
                assert.equal(tags.stage, stage);
                assert.equal(tags.app, "webstack");
                assert.equal(tags["managed-by"], "pulumi");
                assert.equal(tags["cost-center"], stage);
                const network = plan.resources.filter((r) => r.name.startsWith(`${stage}-vpc-`) && r.inputs.tags !== undefined);
                for (const resource of network) {
                    const own = resource.inputs.tags as Record<string, string>;
                    assert.equal(own.stage, stage, `${resource.name} is tagged`);
                    assert.ok(own.Name.startsWith(`${stage}-vpc-`), `${resource.name} has a Name tag from the network's name`);
                }
                for (const subnet of ofType(plan, "aws:ec2/subnet:Subnet")) {
                    const { Name } = subnet.inputs.tags as Record<string, string>;
                    assert.ok(Name.endsWith(String(subnet.inputs.availabilityZone)), `${subnet.name}'s Name tag ${Name} names its AZ`);
                }
            });
        });
    }

    it("flips the layout with an override, without touching the file", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:layout=iaas", "webstack:network.nat=single"] });
        assert.equal(plan.layout, "iaas");
        assert.equal(ofType(plan, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(ofType(plan, "aws:ec2/subnet:Subnet").length, 6, "the rest of the network setting (3 AZs) is kept");
    });

    it("creates the Secrets Manager endpoint when something in the isolated subnets consumes it (dev paas: the database-users function; dev iaas: the EC2 database; none with NAT)", async () => {
        const services = (plan: PlanDocument) => ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName).split(".").pop());
        const paas = await planStage({ stage: "dev", overrides: ["webstack:layout=paas"] });
        assert.deepEqual(services(paas), ["s3", "secretsmanager"]);
        const paasWithNat = await planStage({ stage: "dev", overrides: ["webstack:layout=paas", "webstack:network.nat=single"] });
        assert.deepEqual(services(paasWithNat), []);
        assert.deepEqual(ofType(paasWithNat, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name === "dev-vpc-endpoints"), [], "no endpoint group without an interface endpoint");
        const iaas = await planStage({ stage: "dev", overrides: ["webstack:layout=iaas"] });
        assert.deepEqual(services(iaas), ["s3", "secretsmanager"]);
        const ec2OnPaas = await planStage({ stage: "dev", overrides: ["webstack:layout=paas", "webstack:database.mode=ec2"] });
        assert.deepEqual(services(ec2OnPaas), ["s3", "secretsmanager"], "the database mode decides, not the layout name");
    });

    it("adds Session Manager endpoints to a stage without NAT on request", async () => {
        const plan = await planStage({ stage: "dev", overrides: ["webstack:network.sessionManagerEndpoints=true"] });
        const services = plan.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName).split(".").pop());
        assert.deepEqual(services, ["s3", "secretsmanager", "ssm", "ssmmessages", "ec2messages"]);
    });
});
