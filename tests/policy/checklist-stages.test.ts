import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { applicableRules, checklist, evaluateChecklist, Finding } from "../../policy/checklist";
import { checklistTables, TABLES_BEGIN, TABLES_END } from "../../policy/checklist-table";
import { stageFromPlan } from "../../policy/from-plan";
import { waivers } from "../../policy/waivers";
import { PlanDocument, planStage, REPO_ROOT } from "../../stacks/plan/plan-document";

/**
 * The production checklist (../shared/reference/security-checklist.md §8)
 * over every stage × layout plan: a production stage must pass every row,
 * a dev or staging stage every row its "dev" column keeps, except where a
 * documented waiver (policy/waivers.ts, docs/production-checklist.md) says
 * why not.
 */
const VARIANTS: { stage: string; overrides: string[]; label: string }[] = [
    ...["dev", "staging", "prod"].flatMap((stage) =>
        ["iaas", "paas"].map((layout) => ({ stage, overrides: [`webstack:layout=${layout}`], label: `${stage} × ${layout}` })),
    ),
    // No stage file creates its hosted zone; this variant brings the zone rules (44, 45) into play.
    { stage: "prod", overrides: ["webstack:domain.createZone=true"], label: "prod × paas with a created hosted zone" },
];

function describeFindings(findings: Finding[]): string {
    return findings.map((finding) => `#${finding.rule} ${finding.resource} (${finding.type}): ${finding.message}`).join("\n");
}

describe("production checklist over every stage × layout plan", function () {
    this.timeout(300_000);
    const plans = new Map<string, PlanDocument>();
    before(async () => {
        for (const variant of VARIANTS) plans.set(variant.label, await planStage({ stage: variant.stage, overrides: variant.overrides }));
    });

    for (const variant of VARIANTS) {
        it(`${variant.label}: no violation outside the documented waivers`, () => {
            const plan = plans.get(variant.label)!;
            assert.equal(plan.production, variant.stage === "prod", "the plan says whether production rules apply");
            const violations = evaluateChecklist(stageFromPlan(plan)).filter((finding) => finding.status === "violation");
            assert.equal(violations.length, 0, `checklist violations:\n${describeFindings(violations)}`);
        });
    }

    it("holds all 49 rows of §8, each once", () => {
        assert.deepEqual(
            checklist.map((rule) => rule.number),
            Array.from({ length: 49 }, (_, index) => index + 1),
        );
    });

    it("evaluates every row over some plan, except the rows whose resources only a web-tier mode still to come creates", () => {
        const evaluated = new Set<number>();
        for (const plan of plans.values()) for (const rule of applicableRules(stageFromPlan(plan))) evaluated.add(rule.number);
        const unexercised = checklist.filter((rule) => !evaluated.has(rule.number) && !rule.pending).map((rule) => rule.number);
        assert.deepEqual(unexercised, [], "rows no plan exercises, though their resources should exist");
        const stillPending = checklist.filter((rule) => rule.pending && evaluated.has(rule.number)).map((rule) => `#${rule.number} (${rule.pending})`);
        assert.deepEqual(stillPending, [], "a plan now creates resources of these rows: remove their pending marker");
    });

    it("every waiver is needed by some plan and documented with its rules in docs/production-checklist.md", () => {
        const used = new Set<string>();
        for (const plan of plans.values()) for (const finding of evaluateChecklist(stageFromPlan(plan))) if (finding.waiver) used.add(finding.waiver);
        const docs = fs.readFileSync(path.join(REPO_ROOT, "docs", "production-checklist.md"), "utf8");
        for (const waiver of waivers) {
            assert.match(docs, new RegExp("`" + waiver.key + "`"), `docs/production-checklist.md lists waiver ${waiver.key}`);
            const row = docs.split("\n").find((line) => line.includes("`" + waiver.key + "`"))!;
            assert.match(row, new RegExp(`\\b${waiver.rules.join("\\b.*\\b")}\\b`), `the docs row of ${waiver.key} names rules ${waiver.rules.join(", ")}`);
        }
        const acknowledgementWaivers = waivers.filter((waiver) => waiver.key.startsWith("acknowledged-")).map((waiver) => waiver.key);
        const unused = waivers.map((waiver) => waiver.key).filter((key) => !used.has(key) && !acknowledgementWaivers.includes(key));
        assert.deepEqual(unused, [], "waivers no plan needs (remove them, or show the plan that needs them)");
    });

    it("docs/production-checklist.md shows the rows and waivers the code holds (regenerate: npm run -s checklist-tables)", () => {
        const docs = fs.readFileSync(path.join(REPO_ROOT, "docs", "production-checklist.md"), "utf8");
        const begin = docs.indexOf(TABLES_BEGIN);
        const end = docs.indexOf(TABLES_END);
        assert.ok(begin >= 0 && end > begin, "the generated section's markers are in place");
        assert.equal(docs.slice(begin + TABLES_BEGIN.length, end).trim(), checklistTables().trim());
    });
});
