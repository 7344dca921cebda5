import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../../components/internal/errors";
import { Harness } from "../../../components/testing";
import { createRolloutWaiter, DEFAULT_ROLLOUT_TIMEOUT_MINUTES } from "../../../components/web-tier/autoscaling/rollout/rollout-waiter";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

/** A stand-in for the WebTier component: the waiter's parent. */
class Parent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Parent", name, {}, opts);
    }
}

/** A launch template and a group, as the autoscaling mode creates them, and the waiter on them. */
function fleet(parent: Parent, args: { timeoutMinutes?: number } = {}) {
    const template = new aws.ec2.LaunchTemplate("web-lt", { imageId: "ami-0abc", instanceType: "t3.micro" }, { parent });
    const group = new aws.autoscaling.Group(
        "web-asg",
        { minSize: 2, maxSize: 4, vpcZoneIdentifiers: ["subnet-a", "subnet-b"], launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` } },
        { parent },
    );
    return createRolloutWaiter("web", { autoScalingGroupName: group.name, launchTemplateVersion: template.latestVersion, region: "eu-west-1", ...args }, parent);
}

describe("RolloutWaiter resource (harness)", () => {
    it("is registered under its parent with the group's name, the template's version as a string, the timeout, the region and the stack's AWS settings", async () => {
        const before = Date.now();
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:profile": "deploy" } });
        fleet(new Parent("web"));
        await harness.settled();
        const waiter = harness.get(DYNAMIC, "web-rollout");
        const inputs = harness.inputsOf(waiter);
        const group = harness.get("aws:autoscaling/group:Group", "web-asg");
        assert.match(inputs.autoScalingGroupName, /^web-asg/);
        assert.equal(inputs.autoScalingGroupName, harness.inputsOf(group).name ?? group.computed?.name);
        assert.equal(inputs.launchTemplateVersion, "1");
        assert.equal(inputs.timeoutMinutes, DEFAULT_ROLLOUT_TIMEOUT_MINUTES);
        assert.equal(inputs.region, "eu-west-1");
        assert.deepEqual(inputs.aws, { stackKeys: true, profile: "deploy" });
        assert.ok(inputs.deployStartedAt >= before && inputs.deployStartedAt <= Date.now());
        assert.equal(harness.parentOf(waiter)?.type, "test:index:Parent");
        // The waiter must run after the group's update: it depends on the group (through its name).
        assert.ok(waiter.options.dependsOn.includes(group.urn), `the waiter does not depend on the group: ${waiter.options.dependsOn}`);
        assert.ok(waiter.options.dependsOn.includes(harness.get("aws:ec2/launchTemplate:LaunchTemplate", "web-lt").urn));
    });

    it("takes the profile of the parent's explicit aws provider, not the stack's keys", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1", "aws:accessKey": "AKIASTACKKEY", "aws:secretKey": "stack-secret-never-in-state" } });
        const provider = new aws.Provider("other-account", { region: "eu-west-1", profile: "other-account" });
        fleet(new Parent("web", { providers: [provider] }), { timeoutMinutes: 45 });
        await harness.settled();
        const inputs = harness.inputsOf(harness.get(DYNAMIC, "web-rollout"));
        assert.deepEqual(inputs.aws, { stackKeys: false, profile: "other-account" });
        assert.equal(inputs.timeoutMinutes, 45);
        assert.ok(!JSON.stringify(inputs).includes("stack-secret-never-in-state"));
    });

    for (const bad of [0, 721, 2.5, Number.NaN]) {
        it(`rejects timeoutMinutes = ${bad} before registering anything`, async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            const parent = new Parent("web");
            await harness.settled();
            const count = harness.ofType(DYNAMIC).length;
            assert.throws(
                () => createRolloutWaiter("web", { autoScalingGroupName: "g", launchTemplateVersion: 1, region: "eu-west-1", timeoutMinutes: bad }, parent),
                (e: ConfigError) => e instanceof ConfigError && e.setting === "rollout.timeoutMinutes" && /1 to 720/.test(e.message),
            );
            await harness.settled();
            assert.equal(harness.ofType(DYNAMIC).length, count);
        });
    }

    describe("the serialized provider", () => {
        let provider: any;
        let inputs: Record<string, any>;
        before(async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            fleet(new Parent("web"));
            await harness.settled();
            const recorded = harness.inputsOf(harness.get(DYNAMIC, "web-rollout"));
            provider = requireFromString(recorded.__provider).handler();
            inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
        });

        it("keeps its serialized code small (it is stored in the state)", async () => {
            const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
            fleet(new Parent("web"));
            await harness.settled();
            const text = harness.inputsOf(harness.get(DYNAMIC, "web-rollout")).__provider as string;
            assert.ok(text.length < 10_000, `${text.length} bytes`);
        });

        it("diff: only a new launch template version is a change, never a replacement", async () => {
            const olds = { ...inputs, instanceRefreshId: "r-1", outcome: "succeeded" };
            assert.equal((await provider.diff("id", olds, { ...inputs })).changes, false);
            assert.equal((await provider.diff("id", olds, { ...inputs, deployStartedAt: inputs.deployStartedAt + 60_000, timeoutMinutes: 90, region: "us-east-1" })).changes, false);
            const changed = await provider.diff("id", olds, { ...inputs, launchTemplateVersion: "2" });
            assert.equal(changed.changes, true);
            assert.deepEqual(changed.replaces, []);
        });

        it("delete makes no AWS call and does not throw", async () => {
            await provider.delete("id", inputs);
        });
    });
});
