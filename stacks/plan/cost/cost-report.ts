/** The one call the plan CLI makes for `--cost`: the stage's cost as JSON and as text. */
import type { PlanDocument } from "../plan-document";
import { priceStage, StageCost } from "./price-stage";
import { renderCost } from "./render-cost";

export function costReport(plan: PlanDocument): { json: StageCost; text: string } {
    const cost = priceStage(plan);
    return { json: cost, text: renderCost(cost) };
}
