import { applicableRules, checklist, evaluateChecklist, Finding } from "../../policy/checklist";
import { stageFromPlan } from "../../policy/from-plan";
import { PlanDocument } from "./plan-document";

/** The checklist's verdict on one plan, for `npm run plan -- <stage> --policy`. */
export interface ChecklistReport {
    /** Rows evaluated (those whose resources the stage creates). */
    evaluated: number[];
    findings: Finding[];
    /** Findings of mandatory rows no waiver covers: any one fails the stage (exit 1). */
    violations: number;
}

export function checklistReport(plan: PlanDocument): ChecklistReport {
    const stage = stageFromPlan(plan);
    const findings = evaluateChecklist(stage);
    const evaluated = applicableRules(stage).map((rule) => rule.number);
    return { evaluated, findings, violations: findings.filter((finding) => finding.status === "violation").length };
}

/**
 * One line per finding (row, resource, what is wrong), then for violations
 * and advisories what the row expects instead: the change to make.
 */
export function renderChecklist(plan: PlanDocument, report: ChecklistReport): string {
    const lines = [
        `Production checklist (../shared/reference/security-checklist.md §8; docs/production-checklist.md), ${plan.production ? "production: every row mandatory" : "non-production: rows marked relax are advisory"}:`,
        `  ${report.evaluated.length} rows evaluated: ${report.evaluated.join(", ")}`,
    ];
    const order = { violation: 0, advisory: 1, waived: 2 };
    for (const finding of [...report.findings].sort((a, b) => order[a.status] - order[b.status] || a.rule - b.rule)) {
        const waiver = finding.waiver ? ` (waiver ${finding.waiver})` : "";
        lines.push(`  ${finding.status.toUpperCase().padEnd(9)} #${finding.rule} ${finding.resource}: ${finding.message}${waiver}`);
        if (finding.status !== "waived") lines.push(`            change: ${expected(finding.rule)}`);
    }
    lines.push(report.violations === 0 ? "  no violations" : `  ${report.violations} violation(s): fix them or document a waiver`);
    return lines.join("\n");
}

/** What row `number` expects, with the public rule ids it mirrors. */
function expected(number: number): string {
    const rule = checklist.find((candidate) => candidate.number === number);
    return rule ? `${rule.title} (${rule.mirrors})` : `see row ${number} of docs/production-checklist.md`;
}
