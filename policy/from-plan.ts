import { PlanDocument } from "../stacks/plan/plan-document";
import { CheckedStage } from "./plan-view";

/** The checklist's view of an offline plan (`npm run plan -- <stage> --json`). */
export function stageFromPlan(plan: PlanDocument): CheckedStage {
    return {
        stage: plan.stage,
        production: plan.production === true,
        acknowledged: (plan.acknowledgements ?? []).map((entry) => entry.acknowledgement),
        resources: plan.resources,
    };
}
