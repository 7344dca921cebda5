import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Harness, RecordedResource, valueOf } from "../../../components/testing";
import { WebTier } from "../../../components/web-tier";
import { Color, COLORS, trafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { packAppFolder } from "../../../components/web-tier/release/release-archive";
import { AppVersion, WORKED_RELEASE, WorkedReleaseStep } from "./worked-release";

const T = {
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    parameter: "aws:ssm/parameter:Parameter",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    waiter: "pulumi-nodejs:dynamic:Resource",
};

const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };
const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";

/** The app folder of each version: v1 is the example API, v2 the same with one more line. */
function appFolders(): Record<AppVersion, string> {
    const v2 = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-bg-v2-"));
    fs.cpSync("examples/api", v2, { recursive: true });
    fs.appendFileSync(path.join(v2, "app.js"), "\n// v2\n");
    return { v1: path.resolve("examples/api"), v2 };
}

interface PlannedStep {
    harness: Harness;
    web: WebTier;
}

/**
 * Plans one step the way its stage file says it: the app folder holds the
 * newest version the step runs, a color running it says `current`, and a
 * color running an older version pins that version's sha256.
 */
async function planStep(step: WorkedReleaseStep, folders: Record<AppVersion, string>, sha: Record<AppVersion, string>, extra: { idle?: Partial<Record<Color, "keep" | "zero">> } = {}): Promise<PlannedStep> {
    const harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "prod" });
    const newest: AppVersion = step.blue === "v2" || step.green === "v2" ? "v2" : "v1";
    const colorArgs = (color: Color) => {
        const version = step[color];
        if (version === undefined) return undefined;
        return { release: version === newest ? "current" : sha[version], ...(extra.idle?.[color] ? { idle: extra.idle[color] } : {}) };
    };
    const web = new WebTier("web", {
        mode: "autoscaling",
        app: { path: folders[newest] },
        network,
        domain: { domainName: "api.example.com", certificateArn: CERT_ARN, hostedZoneId: "Z123EXAMPLE" },
        deploy: { strategy: "blue-green", blue: colorArgs("blue"), green: colorArgs("green"), traffic: step.traffic, previewCidrs: ["203.0.113.0/24"] },
    });
    await harness.settled();
    return { harness, web };
}

describe("WebTier blue/green: the worked release, step by step, under the harness", () => {
    const folders = appFolders();
    const sha = { v1: packAppFolder(folders.v1).sha256, v2: packAppFolder(folders.v2).sha256 };
    const plans: PlannedStep[] = [];

    before(async function () {
        this.timeout(120_000);
        for (const step of WORKED_RELEASE) plans.push(await planStep(step, folders, sha));
    });
    after(() => fs.rmSync(folders.v2, { recursive: true, force: true }));

    const inputs = (plan: PlannedStep, type: string, name: string) => plan.harness.inputsOf(plan.harness.get(type, name));
    const find = (plan: PlannedStep, type: string, name: string): RecordedResource | undefined => plan.harness.ofType(type).find((r) => r.name === name);
    const targetGroupArn = (plan: PlannedStep, color: Color) => plan.harness.get(T.targetGroup, `web-${color}-tg`).computed!.arn;
    /** The sha256 a color's hosts deploy: its launch template names its settings parameter, which names the archive. */
    const releaseOf = (plan: PlannedStep, color: Color): string | undefined => {
        const template = find(plan, T.template, `web-${color}-launch-template`);
        if (!template) return undefined;
        const script = Buffer.from(String(plan.harness.inputsOf(template).userData), "base64").toString("utf8");
        const parameterName = /\/shop\/prod\/web\/(blue|green)\/release/.exec(script)?.[0];
        assert.ok(parameterName, `${color}'s user data names no color settings parameter`);
        const parameter = plan.harness.ofType(T.parameter).find((p) => plan.harness.inputsOf(p).name === parameterName);
        assert.ok(parameter, `no parameter ${parameterName}`);
        const settings = JSON.parse(String(plan.harness.inputsOf(parameter).value));
        assert.equal(settings.releaseKey, `releases/${settings.releaseSha256}.tgz`);
        return settings.releaseSha256;
    };

    WORKED_RELEASE.forEach((step, index) => {
        describe(`step ${index + 1}: ${step.label}`, () => {
            const shares = trafficShares(step.traffic);

            it(`the HTTPS listener forwards ${shares.blue} % to blue and ${shares.green} % to green`, () => {
                const listener = inputs(plans[index], T.listener, "web-https");
                assert.equal(listener.defaultActions.length, 1);
                const groups = listener.defaultActions[0].forward.targetGroups.map((g: { arn: string; weight: number }) => [g.arn, g.weight]);
                assert.deepEqual(groups, COLORS.map((color) => [targetGroupArn(plans[index], color), shares[color]]));
                assert.equal(listener.defaultActions[0].forward.stickiness.enabled, false);
            });

            it("each color's launch template carries the release the step gives it, and a color with no release has no fleet", () => {
                for (const color of COLORS) {
                    const version = step[color];
                    assert.equal(releaseOf(plans[index], color), version === undefined ? undefined : sha[version], `${color}'s release`);
                    assert.equal(find(plans[index], T.group, `web-${color}-fleet`) !== undefined, version !== undefined, `${color}'s group`);
                }
            });

            it("each color with a release keeps its instances (idle: keep is the default), behind its own target group", () => {
                for (const color of COLORS) {
                    const group = find(plans[index], T.group, `web-${color}-fleet`);
                    if (!group) continue;
                    const planned = plans[index].harness.inputsOf(group);
                    assert.deepEqual([planned.minSize, planned.maxSize, planned.desiredCapacity], [2, 4, 2], `${color}'s sizes`);
                    assert.deepEqual(planned.targetGroupArns, [targetGroupArn(plans[index], color)]);
                }
            });

            it("the listener waits for the health gate, which waits for the rollout and checks the target group of every color that will receive traffic, and only those", () => {
                const plan = plans[index];
                const listener = plan.harness.get(T.listener, "web-https");
                const gate = plan.harness.get(T.waiter, "web-traffic-gate");
                assert.ok(listener.options.dependsOn.includes(gate.urn), "the weights move only after the gate");
                const gated = plan.harness.inputsOf(gate).colors as Record<string, { targetGroupArn: string; expectedCount: number; release: string }>;
                assert.deepEqual(Object.keys(gated).sort(), COLORS.filter((color) => shares[color] > 0).sort());
                for (const color of COLORS) {
                    const waiter = find(plan, T.waiter, `web-${color}-rollout`);
                    const waits = waiter !== undefined && gate.options.dependsOn.includes(waiter.urn);
                    assert.equal(waits, shares[color] > 0, `the gate ${shares[color] > 0 ? "must" : "must not"} wait for ${color}'s rollout`);
                    if (shares[color] === 0) continue;
                    assert.equal(gated[color].targetGroupArn, targetGroupArn(plan, color));
                    assert.equal(gated[color].expectedCount, 2);
                    assert.equal(gated[color].release, sha[step[color] as AppVersion]);
                }
            });

            it("the preview listener answers from the color running the new release, and from either color by header", () => {
                const plan = plans[index];
                const candidate: Color = step.green === "v2" ? "green" : "blue";
                const preview = inputs(plan, T.listener, "web-preview");
                assert.deepEqual([preview.port, preview.protocol, preview.certificateArn], [8443, "HTTPS", CERT_ARN]);
                assert.equal(preview.defaultActions[0].targetGroupArn, targetGroupArn(plan, candidate));
                for (const color of COLORS) {
                    const rule = inputs(plan, T.rule, `web-preview-${color}`);
                    assert.deepEqual(rule.conditions[0].httpHeader, { httpHeaderName: "X-Webstack-Color", values: [color] });
                    assert.equal(rule.actions[0].targetGroupArn, targetGroupArn(plan, color));
                }
                const previewIngress = plan.harness.ofType(T.ingress).map((r) => plan.harness.inputsOf(r)).filter((r) => r.fromPort === 8443);
                assert.deepEqual(previewIngress.map((r) => r.cidrIpv4), ["203.0.113.0/24"]);
            });
        });
    });

    it("pinning blue to the sha it ran as `current` leaves blue's settings unchanged (no refresh of the serving fleet)", () => {
        const settingsOf = (plan: PlannedStep) => {
            const parameter = plan.harness.ofType(T.parameter).find((p) => plan.harness.inputsOf(p).name === "/shop/prod/web/blue/release");
            assert.ok(parameter);
            return plan.harness.inputsOf(parameter).value;
        };
        assert.equal(settingsOf(plans[1]), settingsOf(plans[0]));
    });

    it("a pinned color's settings wait for the check that its archive is in the bucket; a current color's for the upload", () => {
        const plan = plans[1];
        const pin = plan.harness.get(T.waiter, "web-blue-release-pin");
        assert.equal(plan.harness.inputsOf(pin).key, `releases/${sha.v1}.tgz`);
        const settings = (color: Color) => plan.harness.ofType(T.parameter).find((p) => plan.harness.inputsOf(p).name === `/shop/prod/web/${color}/release`)!;
        assert.ok(settings("blue").options.dependsOn.includes(pin.urn));
        assert.equal(find(plan, T.waiter, "web-green-release-pin"), undefined, "green runs current: nothing to check");
        assert.ok(settings("green").options.dependsOn.includes(plan.harness.get("aws:s3/bucketObjectv2:BucketObjectv2", "web-release-archive").urn));
        assert.equal(plan.harness.get("aws:s3/bucketObjectv2:BucketObjectv2", "web-release-archive").options.retainOnDelete, true, "old archives stay for later pins");
    });

    it("the rollback is the canary's config with the traffic set back: same releases, same fleets", () => {
        const [, staged, , , rolledBack] = plans;
        for (const color of COLORS) {
            assert.equal(releaseOf(rolledBack, color), releaseOf(staged, color));
            assert.deepEqual(inputs(rolledBack, T.group, `web-${color}-fleet`).minSize, inputs(staged, T.group, `web-${color}-fleet`).minSize);
        }
    });

    it("blue's resources are the rolling fleet's, renamed: switching from rolling keeps the fleet that serves", () => {
        const plan = plans[0];
        const aliases = (type: string, name: string) => plan.harness.get(type, name).options.aliasNames;
        assert.deepEqual(aliases(T.targetGroup, "web-blue-tg"), ["web-tg"]);
        assert.deepEqual(aliases(T.group, "web-blue-fleet"), ["web-fleet"]);
        assert.deepEqual(aliases(T.template, "web-blue-launch-template"), ["web-launch-template"]);
        assert.deepEqual(aliases(T.waiter, "web-blue-rollout"), ["web-rollout"]);
        assert.deepEqual(plan.harness.get(T.targetGroup, "web-green-tg").options.aliasNames, []);
    });

    describe("idle: zero", () => {
        let plan: PlannedStep;
        before(async function () {
            this.timeout(60_000);
            plan = await planStep(WORKED_RELEASE[3], folders, sha, { idle: { blue: "zero" } });
        });

        it("scales the color without traffic to zero, with no schedule, once the listener has moved its traffic away", () => {
            const blue = plan.harness.get(T.group, "web-blue-fleet");
            const sizes = plan.harness.inputsOf(blue);
            assert.deepEqual([sizes.minSize, sizes.maxSize, sizes.desiredCapacity], [0, 0, 0]);
            assert.ok(blue.options.dependsOn.includes(plan.harness.get(T.listener, "web-https").urn), "blue shrinks after the listener update");
            const green = plan.harness.get(T.group, "web-green-fleet");
            assert.ok(!green.options.dependsOn.includes(plan.harness.get(T.listener, "web-https").urn), "the serving color never waits for the listener");
        });

        it("says so in the web tier's blueGreen output", async () => {
            const summary = await valueOf(plan.web.blueGreen!);
            assert.deepEqual(
                COLORS.map((color) => [summary[color].release, summary[color].traffic, summary[color].minSize]),
                [
                    [sha.v1, 0, 0],
                    [sha.v2, 100, 2],
                ],
            );
        });
    });
});
