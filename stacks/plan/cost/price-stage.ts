/**
 * `priceStage(plan)`: the monthly cost of a planned stage, resource by
 * resource, from the price table in ./prices.ts.
 */
import type { PlanDocument, PlannedResource } from "../plan-document";
import { HOURS_PER_MONTH, NOT_COUNTED } from "./prices";
import { CostLine, indexPlan, priceResource, Unpriced } from "./price-resource";

/** One billed thing, with the webstack component it belongs to. */
export interface StageCostLine extends CostLine {
    /** The top-level webstack component (WebTier, ManagedDatabase, StaticSite, DnsAndTls), or "stage" for the stage's own resources (network, key, log bucket). */
    component: string;
}

/** What `npm run plan -- <stage> --cost` reports (and `--json` includes as `cost`). */
export interface StageCost {
    stage: string;
    region: string;
    hoursPerMonth: number;
    lines: StageCostLine[];
    /** The stage's top-level webstack components, and "stage": each may have no line (a component that costs nothing fixed). */
    components: string[];
    /** The sum of the lines, rounded to cents. */
    totalUsd: number;
    /** Resources (or parts) that cost money but have no price in the table: the total leaves them out. */
    unpriced: Unpriced[];
    /** Types neither priced nor known to be free, each once: the total leaves them out. */
    notPriced: string[];
    notCounted: string;
}

/** Rounds to cents, the way the report prints. */
export const cents = (usd: number): number => Math.round(usd * 100) / 100;

export function priceStage(plan: PlanDocument): StageCost {
    const index = indexPlan(plan);
    const componentOf = componentFinder(plan);
    const lines: StageCostLine[] = [];
    const unpriced: Unpriced[] = [];
    const notPriced = new Set<string>();
    for (const resource of plan.resources) {
        const price = priceResource(resource, index);
        if (!price) {
            notPriced.add(resource.type);
            continue;
        }
        const component = componentOf(resource);
        lines.push(...price.lines.map((item) => ({ ...item, monthlyUsd: cents(item.monthlyUsd), component })));
        unpriced.push(...price.unpriced);
    }
    return {
        stage: plan.stage,
        region: plan.region,
        hoursPerMonth: HOURS_PER_MONTH,
        lines,
        components: [...new Set([...plan.resources.filter((resource) => resource.provider === null).map(componentOf), "stage"])].sort(),
        totalUsd: cents(lines.reduce((sum, item) => sum + item.monthlyUsd, 0)),
        unpriced,
        notPriced: [...notPriced].sort(),
        notCounted: NOT_COUNTED,
    };
}

/** The top-level webstack component of each resource, by walking its parents. */
function componentFinder(plan: PlanDocument): (resource: PlannedResource) => string {
    // Logical names are unique per type; a parent is a component (no provider) or a custom resource.
    const byName = new Map<string, PlannedResource>();
    for (const resource of plan.resources) if (!byName.has(resource.name) || resource.provider === null) byName.set(resource.name, resource);
    const prefix = "webstack:index:";
    return (resource) => {
        let found = "stage";
        const seen = new Set<string>();
        for (let current: PlannedResource | undefined = resource; current && !seen.has(current.name); current = current.parent ? byName.get(current.parent) : undefined) {
            seen.add(current.name);
            if (current.type.startsWith(prefix)) found = current.type.slice(prefix.length);
        }
        return found;
    };
}
