import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { checklist, evaluateChecklist } from "../checklist";
import { enforcementLevel } from "../enforcement";
import { StackSettings, stageFromStack, urnOf } from "../from-stack";
import { ChecklistRule } from "../rule";
import { Waiver, waivers } from "../waivers";

/** The policy of row `number`: `checklist-07`. */
export function policyName(rule: Pick<ChecklistRule, "number">): string {
    return `checklist-${String(rule.number).padStart(2, "0")}`;
}

/** The advisory policy that lists what documented waivers let through. */
export const WAIVERS_POLICY = "checklist-waivers";

/**
 * One stack policy per checklist row, plus one that lists waived findings.
 * A row's enforcement level is enforcement.ts's for the stack (so the
 * engine fails `pulumi preview`/`up` exactly where `npm run plan --
 * --policy` exits 1); its check is the row's own, over stageFromStack's
 * view. Stack policies, not resource policies: most rows read several
 * resources (a bucket and its public access block, a zone and its query
 * log), which only `validateStack` sees together.
 */
export function checklistPolicies(settings: StackSettings, rules: ChecklistRule[] = checklist, exceptions: Waiver[] = waivers): StackValidationPolicy[] {
    const rows = rules.map(
        (rule): StackValidationPolicy => ({
            name: policyName(rule),
            description: `#${rule.number} ${rule.title} (mirrors ${rule.mirrors})`,
            enforcementLevel: enforcementLevel(rule, settings.production),
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const finding of evaluateChecklist(stageFromStack(args.resources, settings), [rule], exceptions)) {
                    // A waived finding is listed by the waivers policy, advisory, never failed.
                    if (finding.status === "waived") continue;
                    report(`${finding.resource} (${finding.type}): ${finding.message}`, urnOf(args.resources, finding.resource, finding.type));
                }
            },
        }),
    );
    const waived: StackValidationPolicy = {
        name: WAIVERS_POLICY,
        description: "Findings a documented waiver lets through (policy/waivers.ts, docs/production-checklist.md)",
        enforcementLevel: "advisory",
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            for (const finding of evaluateChecklist(stageFromStack(args.resources, settings), rules, exceptions)) {
                if (finding.status !== "waived") continue;
                report(`#${finding.rule} ${finding.resource} (${finding.type}): ${finding.message} (waiver ${finding.waiver})`, urnOf(args.resources, finding.resource, finding.type));
            }
        },
    };
    return [...rows, waived];
}
