import { CheckedStage, PlanView } from "./plan-view";
import { ChecklistRule, Violation } from "./rule";
import { cloudFrontRules } from "./rules/cloudfront";
import { dnsAndTlsRules } from "./rules/dns-and-tls";
import { ec2Rules } from "./rules/ec2";
import { beanstalkRules } from "./rules/beanstalk";
import { loadBalancingRules } from "./rules/load-balancing";
import { rdsRules } from "./rules/rds";
import { s3Rules } from "./rules/s3";
import { enforcementLevel } from "./enforcement";
import { Waiver, waivers } from "./waivers";

/** All 49 rows of security-checklist.md §8, in order. */
export const checklist: ChecklistRule[] = [...s3Rules, ...cloudFrontRules, ...ec2Rules, ...rdsRules, ...dnsAndTlsRules, ...loadBalancingRules, ...beanstalkRules].sort((a, b) => a.number - b.number);

/**
 * A violation as judged for its stage: a `violation` fails the stage, an
 * `advisory` is reported only, a `waived` one names its documented waiver.
 */
export interface Finding extends Violation {
    status: "violation" | "advisory" | "waived";
    waiver?: string;
}

/**
 * Evaluates the checklist over one stage. Each row's findings count as its
 * enforcement level in the stage says (enforcement.ts): outside production,
 * rows whose dev column says "relax" are reported as advisories, and
 * "looser" rows ask less.
 */
export function evaluateChecklist(stage: CheckedStage, rules: ChecklistRule[] = checklist, exceptions: Waiver[] = waivers): Finding[] {
    const view = new PlanView(stage);
    const findings: Finding[] = [];
    for (const rule of rules) {
        const level = enforcementLevel(rule, stage.production);
        for (const found of rule.check(view)) {
            const waiver = exceptions.find((candidate) => candidate.rules.includes(found.rule) && candidate.covers(found, view));
            if (waiver) findings.push({ ...found, status: "waived", waiver: waiver.key });
            else findings.push({ ...found, status: level === "advisory" ? "advisory" : "violation" });
        }
    }
    return findings;
}

/** The rows a stage's resources bring into play (those with a resource of their types). */
export function applicableRules(stage: CheckedStage, rules: ChecklistRule[] = checklist): ChecklistRule[] {
    const types = new Set(stage.resources.map((resource) => resource.type));
    return rules.filter((rule) => rule.types.some((type) => types.has(type)));
}
