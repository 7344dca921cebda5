import * as assert from "node:assert/strict";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { evaluateChecklist, Finding } from "../../policy/checklist";
import { stageFromPlan } from "../../policy/from-plan";
import { StackSettings } from "../../policy/from-stack";
import { checklistPolicies, WAIVERS_POLICY } from "../../policy/pack/policies";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

/**
 * The pack's policies (policy/pack/policies.ts) run the checklist rows over
 * what the engine hands a stack policy, through the one adapter
 * (policy/from-stack.ts). These tests feed them a plan dressed as the
 * engine's StackValidationArgs (state = inputs + computed outputs, parents
 * and providers as objects, props behind @pulumi/policy's unknown-checking
 * proxy as server.js wraps them) and expect the plan's own verdict.
 */
const PROJECT = "webstack";

// The proxy's sentinel for a string the engine does not know yet (node_modules/@pulumi/policy/proxy.js).
const UNKNOWN_STRING = (require("@pulumi/policy/proxy") as { unknownStringValue: string }).unknownStringValue;

function urn(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

/** The plan's resources as `StackValidationArgs.resources`. */
function policyResources(plan: PlanDocument, edit: (name: string, props: Record<string, unknown>) => void = () => undefined): PolicyResource[] {
    const byName = new Map<string, PolicyResource>();
    const resources = plan.resources.map((planned) => {
        const props = { ...structuredClone(planned.inputs), ...structuredClone(planned.outputs ?? {}) };
        edit(planned.name, props);
        const resource = {
            type: planned.type,
            name: planned.name,
            urn: urn(plan.stage, planned.type, planned.name),
            props: unknownCheckingProxy(props),
            opts: { protect: planned.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
            provider: planned.provider ? { type: "pulumi:providers:aws", name: planned.provider.name, urn: urn(plan.stage, "pulumi:providers:aws", planned.provider.name), props: { region: planned.provider.region } } : undefined,
            dependencies: [],
            propertyDependencies: {},
        } as unknown as PolicyResource;
        byName.set(planned.name, resource);
        return resource;
    });
    plan.resources.forEach((planned, index) => {
        if (planned.parent) resources[index].parent = byName.get(planned.parent);
    });
    return resources;
}

interface Reported {
    policy: string;
    message: string;
    urn?: string;
}

/** Runs every policy as the server would, collecting reports and the policies that threw UnknownValueError. */
function runPolicies(policies: StackValidationPolicy[], resources: PolicyResource[]): { reported: Reported[]; unknown: string[] } {
    const reported: Reported[] = [];
    const unknown: string[] = [];
    const args = { resources, stackTags: new Map(), getConfig: () => ({}), notApplicable: () => { throw new Error("not applicable"); } } as unknown as StackValidationArgs;
    for (const policy of policies) {
        try {
            void policy.validateStack(args, (message: string, urn?: string) => reported.push({ policy: policy.name, message, urn }));
        } catch (error) {
            if (error instanceof UnknownValueError) unknown.push(policy.name);
            else throw error;
        }
    }
    return { reported, unknown };
}

function settingsOf(plan: PlanDocument): StackSettings {
    return { stack: plan.stage, production: plan.production === true, acknowledged: (plan.acknowledgements ?? []).map((entry) => entry.acknowledgement), region: plan.region };
}

/** What the plan's own evaluation says, in the pack's terms: policy name and message, per status. */
function expectedReports(plan: PlanDocument): { failing: Reported[]; advisory: Reported[]; waived: Reported[] } {
    const findings = evaluateChecklist(stageFromPlan(plan));
    const as = (finding: Finding): Reported => ({
        policy: `checklist-${String(finding.rule).padStart(2, "0")}`,
        message: `${finding.resource} (${finding.type}): ${finding.message}`,
        urn: urn(plan.stage, finding.type, finding.resource),
    });
    return {
        failing: findings.filter((finding) => finding.status === "violation").map(as),
        advisory: findings.filter((finding) => finding.status === "advisory").map(as),
        waived: findings.filter((finding) => finding.status === "waived").map((finding) => ({ policy: WAIVERS_POLICY, message: `#${finding.rule} ${finding.resource} (${finding.type}): ${finding.message} (waiver ${finding.waiver})`, urn: urn(plan.stage, finding.type, finding.resource) })),
    };
}

/** The pack's reports split by the enforcement level of the policy that made them. */
function packReports(plan: PlanDocument, resources = policyResources(plan)) {
    const policies = checklistPolicies(settingsOf(plan));
    const level = new Map(policies.map((policy) => [policy.name, policy.enforcementLevel]));
    const { reported, unknown } = runPolicies(policies, resources);
    return {
        failing: reported.filter((report) => level.get(report.policy) === "mandatory" && report.policy !== WAIVERS_POLICY),
        advisory: reported.filter((report) => level.get(report.policy) === "advisory" && report.policy !== WAIVERS_POLICY),
        waived: reported.filter((report) => report.policy === WAIVERS_POLICY),
        unknown,
    };
}

const sorted = (reports: Reported[]) => [...reports].sort((a, b) => `${a.policy}${a.message}`.localeCompare(`${b.policy}${b.message}`));

/** The plans of each WebTier mode in production, as the issue asks ("over the plans of each WebTier mode"). */
const WEB_TIER_MODES: { label: string; overrides: string[]; waivers: string[] }[] = [
    { label: "instance", overrides: ["webstack:web.mode=instance"], waivers: ["log-bucket", "web-tier-instance-mode"] },
    { label: "autoscaling, rolling", overrides: ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=rolling"], waivers: ["log-bucket"] },
    { label: "autoscaling, blue-green", overrides: ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green"], waivers: ["log-bucket"] },
];

describe("the policy pack's policies over plans dressed as the engine's stack", function () {
    this.timeout(300_000);
    const plans = new Map<string, PlanDocument>();
    before(async () => {
        plans.set("dev", await planStage({ stage: "dev" }));
        plans.set("prod", await planStage({ stage: "prod" }));
        plans.set("prod with IAM auth off", await planStage({ stage: "prod", overrides: ["webstack:database.iamAuthentication=false"] }));
        for (const mode of WEB_TIER_MODES) plans.set(`prod, ${mode.label}`, await planStage({ stage: "prod", overrides: mode.overrides }));
    });

    for (const label of ["dev", "prod", "prod with IAM auth off"]) {
        it(`${label}: the pack reports exactly what the plan's checklist reports, at the same level, on the resources' URNs`, () => {
            const plan = plans.get(label)!;
            const expected = expectedReports(plan);
            const actual = packReports(plan);
            assert.deepEqual(actual.unknown, [], "every value is known after an update");
            assert.deepEqual(sorted(actual.failing), sorted(expected.failing), "mandatory");
            assert.deepEqual(sorted(actual.advisory), sorted(expected.advisory), "advisory");
            assert.deepEqual(sorted(actual.waived), sorted(expected.waived), "waived");
            if (label === "prod with IAM auth off") assert.deepEqual(actual.failing.map((report) => report.policy), ["checklist-38"], "the unsafe override fails one row");
            if (label === "dev") assert.ok(actual.advisory.length > 0 && actual.waived.length > 0, "dev has advisories and waived findings to compare");
        });
    }

    for (const mode of WEB_TIER_MODES) {
        it(`prod, WebTier ${mode.label}: no mandatory finding; only the documented waivers ${mode.waivers.join(", ")}`, () => {
            const plan = plans.get(`prod, ${mode.label}`)!;
            const findings = evaluateChecklist(stageFromPlan(plan));
            assert.deepEqual(findings.filter((finding) => finding.status !== "waived"), [], "the plan's checklist");
            assert.deepEqual([...new Set(findings.map((finding) => finding.waiver))].sort(), mode.waivers);
            const pack = packReports(plan);
            assert.deepEqual([...pack.failing, ...pack.advisory], [], "the pack's policies");
            assert.equal(pack.waived.length, findings.length);
        });
    }

    it("the three plans are the three modes: no load balancer for instance, one fleet for rolling, colored fleets and preview rules for blue-green", () => {
        const named = (label: string, type: string) => plans.get(`prod, ${label}`)!.resources.filter((resource) => resource.type === type).map((resource) => resource.name);
        assert.deepEqual(named("instance", "aws:lb/loadBalancer:LoadBalancer"), []);
        assert.deepEqual(named("autoscaling, rolling", "aws:autoscaling/group:Group"), ["prod-web-fleet"]);
        assert.deepEqual(named("autoscaling, rolling", "aws:lb/listenerRule:ListenerRule"), []);
        assert.ok(named("autoscaling, blue-green", "aws:autoscaling/group:Group").every((name) => /-(blue|green)-fleet$/.test(name)));
        assert.ok(named("autoscaling, blue-green", "aws:lb/listenerRule:ListenerRule").length > 0);
    });

    it("the pack fails a broken row in production: a public database is a mandatory checklist-33 report on its URN", () => {
        const plan = plans.get("prod")!;
        const database = plan.resources.find((resource) => resource.type === "aws:rds/instance:Instance")!;
        const resources = policyResources(plan, (name, props) => {
            if (name === database.name) props.publiclyAccessible = true;
        });
        const { failing } = packReports(plan, resources);
        assert.deepEqual(failing.map((report) => [report.policy, report.urn]), [["checklist-33", urn("prod", database.type, database.name)]]);
    });

    it("during preview a value still unknown stops only the rows that read it (the server reports those as can't-run advisories)", () => {
        const plan = plans.get("prod")!;
        const database = plan.resources.find((resource) => resource.type === "aws:rds/instance:Instance")!;
        const resources = policyResources(plan, (name, props) => {
            if (name === database.name) props.kmsKeyId = UNKNOWN_STRING;
        });
        const { reported, unknown } = runPolicies(checklistPolicies(settingsOf(plan)), resources);
        assert.deepEqual(unknown, ["checklist-34", WAIVERS_POLICY], "row 34 reads the key; the waivers list evaluates every row");
        assert.deepEqual(reported.filter((report) => report.policy !== WAIVERS_POLICY), [], "no other row reports a guess");
    });
});
