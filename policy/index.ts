export { applicableRules, checklist, evaluateChecklist, Finding } from "./checklist";
export { CheckedResource, CheckedStage, PlanView } from "./plan-view";
export { ChecklistRule, Violation } from "./rule";
export { Waiver, waivers } from "./waivers";
