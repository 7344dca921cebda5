import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";

/** The one resource of this type and name in the plan (fails listing the names of that type otherwise). */
export function onePlanned(plan: PlanDocument, type: string, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `${type} ${name} in ${plan.stage}: ${plan.resources.filter((r) => r.type === type).map((r) => r.name).join(", ")}`);
    return found[0];
}

/** The ConfigError planning `stage` with `overrides` fails with. */
export async function planRejection(stage: string, overrides: string[]): Promise<ConfigError> {
    try {
        await planStage({ stage, overrides });
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${stage} with ${overrides.join(" ")} to be rejected`);
}
