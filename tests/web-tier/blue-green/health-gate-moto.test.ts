import * as assert from "node:assert/strict";
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as pulumi from "@pulumi/pulumi";
import { Harness } from "../../../components/testing";
import { createHealthGate } from "../../../components/web-tier/autoscaling/blue-green/health-gate/health-gate";
import { MotoSandbox, motoUnavailable, startMotoSandbox } from "../../static-site/moto-sandbox";

const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

class Parent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Parent", name, {}, opts);
    }
}

/**
 * The gate's serialized provider against moto's ELBv2, a second,
 * independent implementation of the API (moto answers `healthy` for a
 * registered IP target, and lists no target for an empty group): proves the
 * client reads real DescribeTargetHealth answers, not only the scripted fake's.
 */
describe("HealthGate provider against moto's ELBv2", function () {
    this.timeout(60_000);
    let moto: MotoSandbox;
    let elb: ElasticLoadBalancingV2Client;
    let provider: any;
    let inputs: Record<string, any>;
    const arns: Record<string, string> = {};

    before(async function () {
        const why = motoUnavailable();
        if (why) {
            // Locally a missing tool skips; in CI it must be there.
            if (process.env.CI === "true") throw new Error(`the health gate's moto test needs moto: ${why}`);
            this.skip();
        }
        moto = await startMotoSandbox();
        // A VPC for the target groups, through EC2's Query API (moto routes by the credential scope and checks no signature).
        const answer = await fetch(moto.endpoint, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", authorization: "AWS4-HMAC-SHA256 Credential=testing/20261201/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=0" },
            body: "Action=CreateVpc&CidrBlock=10.0.0.0/16&Version=2016-11-15",
        });
        const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(await answer.text())?.[1];
        assert.ok(vpcId, "moto created no VPC");
        elb = new ElasticLoadBalancingV2Client({ endpoint: moto.endpoint, region: "eu-west-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
        for (const name of ["web-green", "web-empty"]) {
            const created = await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 80, VpcId: vpcId, TargetType: "ip" }));
            arns[name] = created.TargetGroups![0].TargetGroupArn!;
        }
        await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arns["web-green"], Targets: [{ Id: "10.0.1.10", Port: 80 }, { Id: "10.0.2.10", Port: 80 }] }));

        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        createHealthGate(
            "web",
            {
                shares: { blue: 0, green: 100 },
                colors: { green: { targetGroupArn: arns["web-green"], launchTemplateVersion: 1, expectedCount: 2 } },
                region: "eu-west-1",
                pollIntervalMs: 5,
                aws: { stackKeys: true, endpoints: { elbv2: moto.endpoint } },
            },
            new Parent("web"),
        );
        await harness.settled();
        const recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "web-traffic-gate"));
        provider = requireFromString(recorded.__provider).handler();
        const stackConfig: Record<string, string> = { "aws:accessKey": "testing", "aws:secretKey": "testing" };
        await provider.configure({ config: { get: (key: string) => stackConfig[key] } as unknown as pulumi.dynamic.Config });
        inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
    });

    after(async () => {
        elb?.destroy();
        await moto?.stop();
    });

    it("create: both registered targets healthy → the gate opens with 2 healthy targets", async () => {
        const result = await provider.create(inputs);
        assert.deepEqual(result.outs.healthyTargets, { green: 2 });
    });

    it("update: 3 expected but 2 registered → fails at the timeout saying so", async () => {
        const news = { ...inputs, timeoutMinutes: 0.001, colors: { green: { ...inputs.colors.green, expectedCount: 3, launchTemplateVersion: "2" } } };
        await assert.rejects(provider.update("id", inputs, news), /green \(target group .*web-green.*\): 2 healthy, at least 3 expected/);
    });

    it("update to a target group without targets fails saying none is registered", async () => {
        const news = { ...inputs, timeoutMinutes: 0.001, colors: { green: { ...inputs.colors.green, targetGroupArn: arns["web-empty"] } } };
        await assert.rejects(provider.update("id", inputs, news), /green \(target group .*web-empty.*\): no targets registered/);
    });

    it("a deleted target group fails at once with moto's TargetGroupNotFound", async () => {
        const gone = arns["web-empty"].replace("web-empty", "web-gone");
        const news = { ...inputs, timeoutMinutes: 1, colors: { green: { ...inputs.colors.green, targetGroupArn: gone } } };
        await assert.rejects(provider.update("id", inputs, news), /could not read the target health.*TargetGroupNotFound/);
    });
});
