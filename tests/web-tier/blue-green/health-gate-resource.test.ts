import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsClientSettings } from "../../../components/internal/aws-settings";
import { ConfigError } from "../../../components/internal/errors";
import { Harness } from "../../../components/testing";
import { createHealthGate, DEFAULT_GATE_TIMEOUT_MINUTES, HealthGateArgs } from "../../../components/web-tier/autoscaling/blue-green/health-gate/health-gate";
import { COLORS, Color, servingColors, trafficShares, TrafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { WORKED_RELEASE } from "./worked-release";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** A stand-in for the WebTier component: the gate's parent. */
class Parent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Parent", name, {}, opts);
    }
}

/** Both colors' launch templates and target groups, as the blue/green mode creates them, and the gate on them. */
function fleets(parent: Parent, shares: TrafficShares, extra: Partial<HealthGateArgs> = {}) {
    const colors: HealthGateArgs["colors"] = {};
    for (const color of COLORS) {
        const template = new aws.ec2.LaunchTemplate(`web-${color}-lt`, { imageId: "ami-0abc", instanceType: "t3.micro" }, { parent });
        const group = new aws.lb.TargetGroup(`web-${color}-tg`, { port: 80, protocol: "HTTP", vpcId: "vpc-0abc" }, { parent });
        colors[color] = { targetGroupArn: group.arn, launchTemplateVersion: template.latestVersion, expectedCount: 2, release: `releases/${color}.tgz` };
    }
    return createHealthGate("web", { shares, colors, region: "eu-west-1", ...extra }, parent);
}

describe("HealthGate resource (harness)", () => {
    it("is registered under its parent as web-traffic-gate with the serving colors' target groups, versions as strings, the shares, the default timeout and the stack's AWS settings", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:profile": "deploy" } });
        fleets(new Parent("web"), { blue: 90, green: 10 });
        await harness.settled();
        const gate = harness.get(DYNAMIC, "web-traffic-gate");
        const inputs = harness.inputsOf(gate);
        const arn = (color: Color) => harness.get(TARGET_GROUP, `web-${color}-tg`).computed?.arn;
        assert.ok(arn("blue") && arn("blue") !== arn("green"));
        assert.deepEqual(inputs.colors, {
            blue: { targetGroupArn: arn("blue"), launchTemplateVersion: "1", expectedCount: 2, release: "releases/blue.tgz" },
            green: { targetGroupArn: arn("green"), launchTemplateVersion: "1", expectedCount: 2, release: "releases/green.tgz" },
        });
        assert.deepEqual(inputs.shares, { blue: 90, green: 10 });
        assert.equal(inputs.timeoutMinutes, DEFAULT_GATE_TIMEOUT_MINUTES);
        assert.equal(DEFAULT_GATE_TIMEOUT_MINUTES, 10);
        assert.equal(inputs.region, "eu-west-1");
        assert.deepEqual(inputs.aws, { stackKeys: true, profile: "deploy" });
        assert.equal(harness.parentOf(gate)?.type, "test:index:Parent");
    });

    for (const step of WORKED_RELEASE) {
        it(`worked release "${step.label}": gates exactly the colors that receive traffic, and depends on their target groups only`, async () => {
            const shares = trafficShares(step.traffic);
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            fleets(new Parent("web"), shares);
            await harness.settled();
            const gate = harness.get(DYNAMIC, "web-traffic-gate");
            const serving = servingColors(shares);
            assert.deepEqual(Object.keys(harness.inputsOf(gate).colors), serving);
            for (const color of COLORS) {
                const group = harness.get(TARGET_GROUP, `web-${color}-tg`);
                const template = harness.get(LAUNCH_TEMPLATE, `web-${color}-lt`);
                const expected = serving.includes(color);
                assert.equal(gate.options.dependsOn.includes(group.urn), expected, `${color} target group dependency`);
                assert.equal(gate.options.dependsOn.includes(template.urn), expected, `${color} launch template dependency`);
            }
        });
    }

    it("takes the profile of the parent's explicit aws provider and a given timeout and poll interval; never a stack key", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:accessKey": "AKIASTACKKEY", "aws:secretKey": "stack-secret-never-in-state" } });
        const provider = new aws.Provider("other-account", { region: "eu-west-1", profile: "other-account" });
        fleets(new Parent("web", { providers: [provider] }), { blue: 0, green: 100 }, { timeoutMinutes: 25, pollIntervalMs: 5_000 });
        await harness.settled();
        const inputs = harness.inputsOf(harness.get(DYNAMIC, "web-traffic-gate"));
        assert.deepEqual(inputs.aws, { stackKeys: false, profile: "other-account" });
        assert.equal(inputs.timeoutMinutes, 25);
        assert.equal(inputs.pollIntervalMs, 5_000);
        assert.ok(!JSON.stringify(inputs).includes("stack-secret-never-in-state"));
    });

    describe("bad input is rejected before anything is registered", () => {
        const cases: [string, Partial<HealthGateArgs>, string, RegExp][] = [
            ["timeoutMinutes 0", { timeoutMinutes: 0 }, "deploy.gateTimeoutMinutes", /1 to 720.*set deploy\.gateTimeoutMinutes to e\.g\. 10/],
            ["timeoutMinutes 721", { timeoutMinutes: 721 }, "deploy.gateTimeoutMinutes", /1 to 720/],
            ["timeoutMinutes 2.5", { timeoutMinutes: 2.5 }, "deploy.gateTimeoutMinutes", /whole number/],
            ["timeoutMinutes NaN", { timeoutMinutes: Number.NaN }, "deploy.gateTimeoutMinutes", /whole number/],
            ["shares that do not add up to 100", { shares: { blue: 50, green: 10 } }, "deploy.traffic", /add up to 60, not 100/],
            ["a negative share", { shares: { blue: -10, green: 110 } }, "deploy.traffic.blue", /whole percent from 0 to 100/],
            ["a serving color without a fleet", { shares: { blue: 90, green: 10 }, colors: { blue: { targetGroupArn: "arn:tg/blue", launchTemplateVersion: 1 } } }, "deploy.green", /green receives 10 % of the traffic but has no fleet.*deploy\.traffic\.green to 0/],
            ["a fractional expected count", { colors: { blue: { targetGroupArn: "arn:tg/blue", launchTemplateVersion: 1, expectedCount: 1.5 } } }, "deploy.blue.capacity", /whole number/],
            ["a zero poll interval", { pollIntervalMs: 0 }, "pollIntervalMs", /at least 1/],
        ];
        for (const [label, args, setting, message] of cases) {
            it(label, async () => {
                const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
                const parent = new Parent("web");
                await harness.settled();
                const count = harness.ofType(DYNAMIC).length;
                const full: HealthGateArgs = { shares: { blue: 100, green: 0 }, colors: { blue: { targetGroupArn: "arn:tg/blue", launchTemplateVersion: 1 } }, region: "eu-west-1", ...args };
                assert.throws(
                    () => createHealthGate("web", full, parent),
                    (e: ConfigError) => e instanceof ConfigError && e.setting === setting && message.test(e.message),
                );
                await harness.settled();
                assert.equal(harness.ofType(DYNAMIC).length, count);
            });
        }
        it("an idle color without a fleet is fine (only serving colors need one)", async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            createHealthGate("web", { shares: { blue: 100, green: 0 }, colors: { blue: { targetGroupArn: "arn:tg/blue", launchTemplateVersion: 3 } }, region: "eu-west-1" }, new Parent("web"));
            await harness.settled();
            assert.deepEqual(harness.inputsOf(harness.get(DYNAMIC, "web-traffic-gate")).colors, { blue: { targetGroupArn: "arn:tg/blue", launchTemplateVersion: "3" } });
        });
    });

    describe("the serialized provider", () => {
        let provider: any;
        let olds: Record<string, any>;
        before(async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            fleets(new Parent("web"), { blue: 90, green: 10 });
            await harness.settled();
            const recorded = harness.inputsOf(harness.get(DYNAMIC, "web-traffic-gate"));
            provider = requireFromString(recorded.__provider).handler();
            olds = { ...Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__"))), healthyTargets: { blue: 2, green: 2 } };
        });

        it("keeps its serialized code small (it is stored in the state)", async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            fleets(new Parent("web"), { blue: 100, green: 0 });
            await harness.settled();
            const text = harness.inputsOf(harness.get(DYNAMIC, "web-traffic-gate")).__provider as string;
            assert.ok(text.length < 10_000, `${text.length} bytes`);
        });

        const news = (change: (inputs: Record<string, any>) => void) => {
            const copy = JSON.parse(JSON.stringify(olds));
            delete copy.healthyTargets;
            change(copy);
            return copy;
        };

        it("diff: nothing to wait for again when only the timeout, poll interval, region, client settings or expected count change", async () => {
            assert.equal((await provider.diff("id", olds, news(() => undefined))).changes, false);
            const quiet = news((n) => {
                n.timeoutMinutes = 30;
                n.pollIntervalMs = 1_000;
                n.region = "us-east-1";
                n.aws = { stackKeys: false, profile: "other" };
                n.colors.green.expectedCount = 4;
            });
            assert.equal((await provider.diff("id", olds, quiet)).changes, false);
        });

        const triggers: [string, (n: Record<string, any>) => void][] = [
            ["the shares (10 % → 50 % to green, both still serving)", (n) => (n.shares = { blue: 50, green: 50 })],
            ["a serving color's launch template version", (n) => (n.colors.green.launchTemplateVersion = "2")],
            ["a serving color's release", (n) => (n.colors.blue.release = "releases/other.tgz")],
            ["a serving color's target group (replaced)", (n) => (n.colors.green.targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green-2/1")],
            [
                "the set of serving colors (rollback to blue only)",
                (n) => {
                    n.shares = { blue: 100, green: 0 };
                    delete n.colors.green;
                },
            ],
        ];
        for (const [label, change] of triggers) {
            it(`diff: ${label} is a change, never a replacement`, async () => {
                const result = await provider.diff("id", olds, news(change));
                assert.equal(result.changes, true);
                assert.deepEqual(result.replaces, []);
            });
        }

        it("delete makes no AWS call and does not throw", async () => {
            await provider.delete("id", olds);
        });
    });
});

describe("aws:endpoints for the health gate's ELBv2 client", () => {
    const reader = (values: Record<string, unknown>) => (key: string) => (values[key] === undefined ? undefined : JSON.stringify(values[key]));

    it("reads elbv2, and its alias elasticloadbalancingv2 when elbv2 is not set", () => {
        assert.deepEqual(awsClientSettings(reader({ endpoints: [{ elbv2: "http://127.0.0.1:4566" }] })).endpoints, { elbv2: "http://127.0.0.1:4566" });
        assert.deepEqual(awsClientSettings(reader({ endpoints: [{ elasticloadbalancingv2: "http://127.0.0.1:4567" }] })).endpoints, { elbv2: "http://127.0.0.1:4567" });
        assert.deepEqual(awsClientSettings(reader({ endpoints: [{ elasticloadbalancingv2: "http://alias", elbv2: "http://short" }] })).endpoints, { elbv2: "http://short" });
    });

    it("rejects a non-string elbv2 endpoint naming it", () => {
        assert.throws(() => awsClientSettings(reader({ endpoints: [{ elbv2: 42 }] })), (e: ConfigError) => e.setting === "aws:endpoints.elbv2");
    });
});
