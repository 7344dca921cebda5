/**
 * The pricing of each type by `priceStage`, over small hand-made plans: each
 * expected figure is computed from the price table (never a hard-coded
 * total), and each test has the variant that must change the figure.
 */
import * as assert from "node:assert/strict";
import type { PlanDocument, PlannedResource } from "../../stacks/plan/plan-document";
import { GLOBAL_PRICES, HOURS_PER_MONTH, REGION_PRICES, ALB_BASELINE_LCU, AMI_DEFAULT_ROOT_GB } from "../../stacks/plan/cost/prices";
import { cents, priceStage } from "../../stacks/plan/cost/price-stage";

const EU = REGION_PRICES["eu-west-1"];
const US = REGION_PRICES["us-east-1"];
const month = (hourly: number, count = 1) => cents(hourly * HOURS_PER_MONTH * count);
const IPV4 = month(GLOBAL_PRICES.publicIpv4Hour);

function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        type,
        name,
        parent: null,
        provider: { name: "default", region: "eu-west-1" },
        protect: false,
        deleteBeforeReplace: false,
        retainOnDelete: false,
        inputs,
        ...extra,
    };
}

function plan(...resources: PlannedResource[]): PlanDocument {
    return { stage: "test", layout: "iaas", region: "eu-west-1", resources, outputs: {} };
}

/** The lines of one resource, as { part: monthlyUsd }. */
function parts(document: PlanDocument, name: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const line of priceStage(document).lines.filter((item) => item.resource === name)) out[line.part] = cents((out[line.part] ?? 0) + line.monthlyUsd);
    return out;
}

describe("priceStage: the monthly cost of each type", () => {
    describe("EC2 instances", () => {
        const instance = (inputs: Record<string, unknown>) => resource("aws:ec2/instance:Instance", "web", { instanceType: "t4g.small", rootBlockDevice: { volumeSize: 20, volumeType: "gp3" }, ...inputs });

        it("bill the instance type's hours, the root volume and a public address", () => {
            assert.deepEqual(parts(plan(instance({ associatePublicIpAddress: true })), "web"), {
                instance: month(EU.ec2InstanceHour["t4g.small"]),
                volume: cents(20 * EU.ebsGbMonth.gp3),
                ipv4: IPV4,
            });
        });

        it("have no address line without a public address, and follow the subnet's mapPublicIpOnLaunch when unset", () => {
            assert.equal(parts(plan(instance({ associatePublicIpAddress: false })), "web").ipv4, undefined);
            const subnet = (mapPublicIpOnLaunch: boolean) => resource("aws:ec2/subnet:Subnet", "public", { mapPublicIpOnLaunch }, { outputs: { id: "subnet-1" } });
            assert.equal(parts(plan(subnet(true), instance({ subnetId: "subnet-1" })), "web").ipv4, IPV4);
            assert.equal(parts(plan(subnet(false), instance({ subnetId: "subnet-1" })), "web").ipv4, undefined);
        });

        it("price a bigger type higher, the AMI's root size when unset, and in the resource's own region", () => {
            const medium = parts(plan(instance({ instanceType: "t4g.medium", rootBlockDevice: {} })), "web");
            assert.equal(medium.instance, month(EU.ec2InstanceHour["t4g.medium"]));
            assert.equal(medium.volume, cents(AMI_DEFAULT_ROOT_GB * EU.ebsGbMonth.gp3));
            assert.equal(parts(plan(instance({ region: "us-east-1" })), "web").instance, month(US.ec2InstanceHour["t4g.small"]));
            assert.notEqual(month(US.ec2InstanceHour["t4g.small"]), month(EU.ec2InstanceHour["t4g.small"]));
        });

        it("are reported as not priced, outside the total, for a type or region the table lacks", () => {
            const cost = priceStage(plan(instance({ instanceType: "x2iedn.32xlarge" }), resource("aws:ec2/instance:Instance", "far", { instanceType: "t4g.small" }, { provider: { name: "default", region: "ap-south-2" } })));
            assert.deepEqual(
                cost.unpriced.map((item) => [item.resource, item.why]),
                [
                    ["web", "instance type x2iedn.32xlarge is not in the price table"],
                    ["far", "region ap-south-2 is not in the price table"],
                ],
            );
            assert.equal(cost.totalUsd, cents(20 * EU.ebsGbMonth.gp3));
        });
    });

    it("prices EBS volumes by size and type (gp2, CreateVolume's default, when unset)", () => {
        assert.deepEqual(parts(plan(resource("aws:ebs/volume:Volume", "data", { size: 50, type: "gp3" })), "data"), { volume: cents(50 * EU.ebsGbMonth.gp3) });
        assert.deepEqual(parts(plan(resource("aws:ebs/volume:Volume", "data", { size: 50 })), "data"), { volume: cents(50 * EU.ebsGbMonth.gp2) });
    });

    it("prices a NAT gateway's hours and its Elastic IP as a public address", () => {
        const document = plan(resource("aws:ec2/natGateway:NatGateway", "nat", { connectivityType: "public" }), resource("aws:ec2/eip:Eip", "nat-ip", { domain: "vpc" }));
        assert.deepEqual(parts(document, "nat"), { hours: month(EU.natGatewayHour) });
        assert.deepEqual(parts(document, "nat-ip"), { ipv4: IPV4 });
    });

    describe("load balancers", () => {
        const alb = (inputs: Record<string, unknown>) => resource("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: ["a", "b", "c"], ...inputs });
        it("price an internet-facing ALB's hours, the LCU baseline and a public address per AZ", () => {
            assert.deepEqual(parts(plan(alb({ internal: false })), "alb"), {
                hours: month(EU.albHour),
                lcu: month(EU.albLcuHour, ALB_BASELINE_LCU),
                ipv4: cents(IPV4 * 3),
            });
        });
        it("give an internal ALB no public addresses, and leave a network load balancer unpriced", () => {
            assert.equal(parts(plan(alb({ internal: true })), "alb").ipv4, undefined);
            assert.match(priceStage(plan(alb({ loadBalancerType: "network" }))).unpriced[0].why, /network load balancers/);
        });
    });

    describe("RDS instances", () => {
        const rds = (inputs: Record<string, unknown>) =>
            resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.small", allocatedStorage: 20, storageType: "gp3", multiAz: false, manageMasterUserPassword: true, ...inputs });
        it("price the class, the storage and the RDS-managed master secret", () => {
            assert.deepEqual(parts(plan(rds({})), "db"), {
                instance: month(EU.rdsInstanceHour.postgres["db.t4g.small"]),
                storage: cents(20 * EU.rdsStorageGbMonth.gp3),
                secret: GLOBAL_PRICES.secretMonth,
            });
        });
        it("double instance and storage with Multi-AZ, and drop the secret line without a managed password", () => {
            assert.deepEqual(parts(plan(rds({ multiAz: true, manageMasterUserPassword: false })), "db"), {
                instance: month(EU.rdsInstanceHour.postgres["db.t4g.small"], 2),
                storage: cents(2 * 20 * EU.rdsStorageGbMonth.gp3),
            });
        });
        it("leave an engine or class the table lacks unpriced", () => {
            assert.match(priceStage(plan(rds({ engine: "sqlserver-ee" }))).unpriced[0].why, /RDS sqlserver-ee db\.t4g\.small/);
            // Unset with iops, the storage is io1, which the table lacks.
            assert.match(priceStage(plan(rds({ storageType: undefined, iops: 3000 }))).unpriced[0].why, /RDS storage type io1/);
        });
    });

    it("prices a KMS key, a secret and a hosted zone per month", () => {
        const document = plan(resource("aws:kms/key:Key", "key", {}), resource("aws:secretsmanager/secret:Secret", "secret", {}), resource("aws:route53/zone:Zone", "zone", { name: "example.com" }));
        assert.deepEqual(
            priceStage(document).lines.map((line) => [line.resource, line.monthlyUsd]),
            [
                ["key", GLOBAL_PRICES.kmsKeyMonth],
                ["secret", GLOBAL_PRICES.secretMonth],
                ["zone", GLOBAL_PRICES.hostedZoneMonth],
            ],
        );
    });

    it("prices a WAF web ACL and each of its rules", () => {
        const rule = (name: string) => ({ name, statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } } });
        assert.deepEqual(parts(plan(resource("aws:wafv2/webAcl:WebAcl", "waf", { rules: [rule("a")] })), "waf"), { acl: GLOBAL_PRICES.wafWebAclMonth, rules: GLOBAL_PRICES.wafRuleMonth });
        assert.equal(parts(plan(resource("aws:wafv2/webAcl:WebAcl", "waf", { rules: [rule("a"), rule("b"), rule("c")] })), "waf").rules, 3 * GLOBAL_PRICES.wafRuleMonth);
    });

    describe("Auto Scaling groups", () => {
        const template = (publicIp: string) =>
            resource(
                "aws:ec2/launchTemplate:LaunchTemplate",
                "lt",
                { instanceType: "t4g.small", blockDeviceMappings: [{ ebs: { volumeSize: 20, volumeType: "gp3" } }], networkInterfaces: [{ associatePublicIpAddress: publicIp }] },
                { outputs: { id: "lt-1" } },
            );
        const group = (inputs: Record<string, unknown>) => resource("aws:autoscaling/group:Group", "fleet", { launchTemplate: { id: "lt-1" }, minSize: 2, maxSize: 6, ...inputs });
        it("price their launch template's instances × desired capacity", () => {
            assert.deepEqual(parts(plan(template("false"), group({ desiredCapacity: 3 })), "fleet"), {
                instance: month(EU.ec2InstanceHour["t4g.small"], 3),
                volume: cents(3 * 20 * EU.ebsGbMonth.gp3),
            });
        });
        it("count minSize without a desired capacity, and a public address per instance when the template asks", () => {
            assert.deepEqual(parts(plan(template("true"), group({})), "fleet"), {
                instance: month(EU.ec2InstanceHour["t4g.small"], 2),
                volume: cents(2 * 20 * EU.ebsGbMonth.gp3),
                ipv4: cents(2 * IPV4),
            });
        });
        it("leave a group whose template is not in the plan unpriced", () => {
            assert.match(priceStage(plan(group({ launchTemplate: { id: "lt-elsewhere" } }))).unpriced[0].why, /launch template/);
        });
    });

    it("prices an interface endpoint per AZ, and a gateway endpoint at nothing", () => {
        const endpoint = (inputs: Record<string, unknown>) => resource("aws:ec2/vpcEndpoint:VpcEndpoint", "ep", { serviceName: "com.amazonaws.eu-west-1.secretsmanager", ...inputs });
        assert.deepEqual(parts(plan(endpoint({ vpcEndpointType: "Interface", subnetIds: ["a"] })), "ep"), { hours: month(EU.interfaceEndpointAzHour) });
        assert.deepEqual(parts(plan(endpoint({ vpcEndpointType: "Interface", subnetIds: ["a", "b"] })), "ep"), { hours: month(EU.interfaceEndpointAzHour, 2) });
        assert.deepEqual(parts(plan(endpoint({ vpcEndpointType: "Gateway" })), "ep"), {});
    });

    describe("Elastic Beanstalk environments", () => {
        const setting = (namespace: string, name: string, value: string) => ({ namespace, name, value });
        const environment = (...settings: ReturnType<typeof setting>[]) => resource("aws:elasticbeanstalk/environment:Environment", "env", { settings });
        const loadBalanced = [
            setting("aws:autoscaling:launchconfiguration", "InstanceType", "t4g.small"),
            setting("aws:autoscaling:launchconfiguration", "RootVolumeSize", "20"),
            setting("aws:autoscaling:launchconfiguration", "RootVolumeType", "gp3"),
            setting("aws:autoscaling:asg", "MinSize", "2"),
            setting("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced"),
            setting("aws:elasticbeanstalk:environment", "LoadBalancerType", "application"),
            setting("aws:ec2:vpc", "ELBSubnets", "subnet-a,subnet-b"),
        ];
        it("price MinSize instances of the InstanceType setting and the environment's ALB", () => {
            assert.deepEqual(parts(plan(environment(...loadBalanced)), "env"), {
                instance: month(EU.ec2InstanceHour["t4g.small"], 2),
                volume: cents(2 * 20 * EU.ebsGbMonth.gp3),
                hours: month(EU.albHour),
                lcu: month(EU.albLcuHour, ALB_BASELINE_LCU),
                ipv4: cents(2 * IPV4),
            });
        });
        it("price a single-instance environment's one instance and Elastic IP, with no load balancer", () => {
            const single = loadBalanced.map((item) => (item.name === "EnvironmentType" ? setting(item.namespace, item.name, "SingleInstance") : item));
            assert.deepEqual(parts(plan(environment(...single)), "env"), {
                instance: month(EU.ec2InstanceHour["t4g.small"]),
                volume: cents(20 * EU.ebsGbMonth.gp3),
                ipv4: IPV4,
            });
        });
        it("leave an environment without an InstanceType setting unpriced", () => {
            assert.match(priceStage(plan(environment(setting("aws:autoscaling:asg", "MinSize", "2")))).unpriced[0].why, /InstanceType/);
        });
    });

    it("names each type it neither prices nor knows to be free once, and counts free types at nothing", () => {
        const cost = priceStage(
            plan(
                resource("aws:elasticache/cluster:Cluster", "cache-1", {}),
                resource("aws:elasticache/cluster:Cluster", "cache-2", {}),
                resource("aws:s3/bucket:Bucket", "bucket", {}),
                resource("aws:cloudfront/distribution:Distribution", "cdn", {}),
            ),
        );
        assert.deepEqual(cost.notPriced, ["aws:elasticache/cluster:Cluster"]);
        assert.deepEqual(cost.lines, []);
        assert.equal(cost.totalUsd, 0);
    });

    it("puts each line under its top-level webstack component, the stage's own resources under 'stage'", () => {
        const component = resource("webstack:index:WebTier", "web", {}, { provider: null });
        const child = resource("aws:ec2/eip:Eip", "web-ip", {}, { parent: "web" });
        const cost = priceStage(plan(component, child, resource("aws:ec2/eip:Eip", "nat-ip", {})));
        assert.deepEqual(
            cost.lines.map((line) => [line.resource, line.component]),
            [
                ["web-ip", "WebTier"],
                ["nat-ip", "stage"],
            ],
        );
        assert.equal(cost.totalUsd, cents(2 * IPV4));
    });
});
