import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Harness } from "../../../components/testing";
import { createHealthGate } from "../../../components/web-tier/autoscaling/blue-green/health-gate/health-gate";
import { FakeElbv2Api } from "./fake-elbv2-api";
import { BLUE_TG, GREEN_TG } from "./health-gate-fakes";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

class Parent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Parent", name, {}, opts);
    }
}

/**
 * The gate's provider exactly as Pulumi runs it (its serialized text, loaded
 * from a string), its methods called with plain inputs, against a loopback
 * ELBv2 Query API: proves the SDK client's wiring (region, the `elbv2`
 * endpoint, the stack's keys from `configure`) and the create/update paths.
 * Timeouts are fractions of a minute and polls a few milliseconds.
 */
describe("HealthGate provider (serialized, against a loopback ELBv2 API)", function () {
    this.timeout(30_000);
    const api = new FakeElbv2Api();
    let provider: any;
    let inputs: Record<string, any>;
    const savedEnv = { ...process.env };

    before(async () => {
        const endpoint = await api.start();
        // The environment's keys must lose to the stack's keys handed to configure.
        Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIAENVIRONMENT", AWS_SECRET_ACCESS_KEY: "env-secret" });
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        createHealthGate(
            "web",
            {
                shares: { blue: 90, green: 10 },
                colors: {
                    blue: { targetGroupArn: BLUE_TG, launchTemplateVersion: 1, expectedCount: 2 },
                    green: { targetGroupArn: GREEN_TG, launchTemplateVersion: 1 },
                },
                region: "eu-west-1",
                timeoutMinutes: 1,
                pollIntervalMs: 5,
                aws: { stackKeys: true, endpoints: { elbv2: endpoint } },
            },
            new Parent("web"),
        );
        await harness.settled();
        const recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "web-traffic-gate"));
        provider = requireFromString(recorded.__provider).handler();
        const stackConfig: Record<string, string> = { "aws:accessKey": "AKIASTACKKEY", "aws:secretKey": "stack-secret" };
        await provider.configure({ config: { get: (key: string) => stackConfig[key] } as unknown as pulumi.dynamic.Config });
        inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
    });

    after(async () => {
        process.env = savedEnv;
        await api.stop();
    });

    beforeEach(() => {
        api.requests.length = 0;
    });

    it("create: both serving colors healthy → opens at once; signed with the stack's keys for eu-west-1 elasticloadbalancing", async () => {
        api.answers = {
            [BLUE_TG]: [[{ id: "i-b1", state: "healthy" }, { id: "i-b2", state: "healthy" }]],
            [GREEN_TG]: [[{ id: "i-g1", state: "healthy" }, { id: "i-old", state: "draining", reason: "Target.DeregistrationInProgress" }]],
        };
        const result = await provider.create(inputs);
        assert.deepEqual(result.outs.healthyTargets, { blue: 2, green: 1 });
        assert.equal(result.id, "blue+green/traffic-gate");
        assert.deepEqual(result.outs.shares, { blue: 90, green: 10 });
        assert.equal(api.callsFor(BLUE_TG).length, 1);
        assert.equal(api.callsFor(GREEN_TG).length, 1);
        assert.match(api.requests[0].authorization, /Credential=AKIASTACKKEY\/\d{8}\/eu-west-1\/elasticloadbalancing\/aws4_request/);
        assert.equal(api.requests[0].params.Version, "2015-12-01");
        inputs = result.outs;
    });

    it("update to 100 % green: waits through initial and a throttled call until green is healthy; blue is not asked", async () => {
        api.answers = {
            [GREEN_TG]: [
                [{ id: "i-g1", state: "initial", reason: "Elb.RegistrationInProgress" }],
                { errorCode: "Throttling" },
                { errorCode: "Throttling" },
                { errorCode: "Throttling" },
                [{ id: "i-g1", state: "healthy" }, { id: "i-g2", state: "initial", reason: "Elb.InitialHealthChecking" }],
                [{ id: "i-g1", state: "healthy" }, { id: "i-g2", state: "healthy" }],
            ],
        };
        const news = { ...inputs, shares: { blue: 0, green: 100 }, colors: { green: inputs.colors.green } };
        const result = await provider.update("id", inputs, news);
        assert.deepEqual(result.outs.healthyTargets, { green: 2 });
        // 1 look, 3 throttled attempts of one call (the SDK's own retries), then 2 looks.
        assert.equal(api.callsFor(GREEN_TG).length, 6);
        assert.equal(api.callsFor(BLUE_TG).length, 0);
        inputs = result.outs;
    });

    it("update whose target stays unhealthy fails at the timeout naming it, its reason and description, and that the weights were left", async () => {
        api.answers = { [GREEN_TG]: [[{ id: "i-g3", state: "unhealthy", reason: "Target.ResponseCodeMismatch", description: "Health checks failed with these codes: [502]" }]] };
        const news = { ...inputs, timeoutMinutes: 0.002, colors: { green: { ...inputs.colors.green, launchTemplateVersion: "2" } } };
        await assert.rejects(provider.update("id", inputs, news), (e: Error) => {
            assert.equal(e.name, "HealthGateError");
            assert.ok(e.message.includes(`green (target group ${GREEN_TG}): 0 healthy; 1 target(s) not healthy: i-g3:80 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502])`), e.message);
            assert.match(e.message, /listener weights were left as they were/);
            assert.match(e.message, /--region eu-west-1/);
            return true;
        });
        assert.ok(api.callsFor(GREEN_TG).length >= 2);
    });

    it("update with no target registered in green fails saying so", async () => {
        api.answers = { [GREEN_TG]: [[]] };
        const news = { ...inputs, timeoutMinutes: 0.001, colors: { green: { ...inputs.colors.green, release: "releases/abc.tgz" } } };
        await assert.rejects(provider.update("id", inputs, news), /green \(target group .*\): no targets registered/);
    });

    it("a target group the load balancer does not know fails at once (not a transient error)", async () => {
        api.answers = {};
        const news = { ...inputs, timeoutMinutes: 1, colors: { green: { ...inputs.colors.green, targetGroupArn: `${GREEN_TG}-gone` } } };
        const began = Date.now();
        await assert.rejects(provider.update("id", inputs, news), /could not read the target health.*TargetGroupNotFound.*elasticloadbalancing:DescribeTargetHealth/);
        assert.equal(api.requests.length, 1);
        assert.ok(Date.now() - began < 10_000);
    });
});
