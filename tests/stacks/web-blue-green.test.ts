import * as assert from "node:assert/strict";
import { onePlanned, planRejection } from "./plan-queries";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";
import { evaluateChecklist } from "../../policy/checklist";
import { stageFromPlan } from "../../policy/from-plan";

const T = {
    group: "aws:autoscaling/group:Group",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    dynamic: "pulumi-nodejs:dynamic:Resource",
};
const SHA = "3f9a".padEnd(64, "c");

/** The prod stage switched to blue/green by configuration only. */
describe("stage files: blue/green by configuration (prod)", function () {
    this.timeout(180_000);
    let plan: PlanDocument;
    before(async () => {
        plan = await planStage({
            stage: "prod",
            overrides: ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", `webstack:web.deploy.blue.release=${SHA}`, "webstack:web.deploy.green.release=current", "webstack:web.deploy.traffic.green=10"],
        });
    });

    it("plans both colors behind the one HTTPS listener, 90/10, and the stack output lists each color", () => {
        const https = onePlanned(plan, T.listener, "prod-web-https").inputs as Record<string, any>;
        const weights = https.defaultActions[0].forward.targetGroups.map((group: { weight: number }) => group.weight);
        assert.deepEqual(weights, [90, 10]);
        for (const color of ["blue", "green"]) {
            assert.equal(onePlanned(plan, T.group, `prod-web-${color}-fleet`).parent, "prod-web");
            assert.equal(onePlanned(plan, T.dynamic, `prod-web-${color}-rollout`).parent, "prod-web");
        }
        const colors = plan.outputs.webColors as Record<string, { release: string; traffic: number; minSize: number }>;
        assert.deepEqual([colors.blue.release, colors.blue.traffic, colors.green.traffic], [SHA, 90, 10]);
        assert.equal(colors.green.release.length, 64);
    });

    it("passes the production checklist like the rolling fleet", () => {
        const violations = evaluateChecklist(stageFromPlan(plan)).filter((finding) => finding.status === "violation");
        assert.deepEqual(violations.map((v) => `${v.rule} ${v.resource}: ${v.message}`), []);
    });

    it("a color parked at zero (idle: zero, no traffic) passes too: it runs no instance to spread over two", async () => {
        const parked = await planStage({
            stage: "prod",
            overrides: ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", `webstack:web.deploy.blue.release=${SHA}`, "webstack:web.deploy.blue.idle=zero", "webstack:web.deploy.green.release=current", "webstack:web.deploy.traffic.green=100"],
        });
        const blue = onePlanned(parked, T.group, "prod-web-blue-fleet").inputs as Record<string, unknown>;
        assert.deepEqual([blue.minSize, blue.maxSize], [0, 0]);
        const violations = evaluateChecklist(stageFromPlan(parked)).filter((finding) => finding.status === "violation");
        assert.deepEqual(violations.map((v) => `${v.rule} ${v.resource}: ${v.message}`), []);
    });

    const cases: Array<[string, string[], string]> = [
        ["a share with no release", ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", "webstack:web.deploy.traffic.green=10"], "webstack:web.deploy.green.release"],
        ["a short sha", ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", "webstack:web.deploy.blue.release=3f9a"], "webstack:web.deploy.blue.release"],
        ["blue-green in instance mode", ["webstack:web.mode=instance", "webstack:web.deploy.strategy=blue-green"], "webstack:web.deploy.strategy"],
        ["a share of 101", ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", "webstack:web.deploy.green.release=current", "webstack:web.deploy.traffic.green=101"], "webstack:web.deploy.traffic.green"],
    ];
    for (const [label, overrides, setting] of cases) {
        it(`refuses ${label} before any resource, naming ${setting}`, async () => {
            const error = await planRejection("prod", overrides);
            assert.equal(error.setting, setting);
        });
    }
});
