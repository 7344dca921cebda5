import { CheckedResource, PlanView } from "./plan-view";

/** One resource that breaks one rule. */
export interface Violation {
    /** The §8 row of ../shared/reference/security-checklist.md. */
    rule: number;
    resource: string;
    type: string;
    message: string;
}

/**
 * One row of the production checklist (security-checklist.md §8), as code.
 * `dev` says what a non-production stage may do: `keep` (the same check),
 * `relax` (reported as an advisory outside production, never failed) or
 * `looser` (the check itself asks less outside production, e.g. AES256
 * instead of a KMS key). enforcement.ts turns this into the row's
 * enforcement level in a stage.
 */
export interface ChecklistRule {
    number: number;
    /** The public rule ids it mirrors (checkov, Security Hub, cdk-nag, trivy), primary first. */
    mirrors: string;
    title: string;
    dev: "keep" | "relax" | "looser";
    /** Advisory rules are reported, never failed (the checklist marks DNSSEC so). */
    severity: "mandatory" | "advisory";
    /** The resource types the rule reads. */
    types: string[];
    /** The violations in one stage. */
    check: (view: PlanView) => Violation[];
    /**
     * For rows whose resources no web-tier mode creates yet (load
     * balancers, Auto Scaling, Beanstalk): the issue that brings them. The
     * checklist test fails once a plan creates such a resource while the
     * row still says pending, so the marker goes when the mode lands.
     */
    pending?: string;
}

/** A violation of `rule` by `resource`. */
export function violation(rule: number, resource: CheckedResource, message: string): Violation {
    return { rule, resource: resource.name, type: resource.type, message };
}
