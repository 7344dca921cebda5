import { ChecklistRule } from "./rule";

/**
 * How a row's violations count in a stage, the same in `npm run plan --
 * --policy` and in the policy pack (`pulumi preview --policy-pack
 * policy/pack`): `mandatory` fails the stage, `advisory` is reported only.
 *
 * - An advisory row (DNSSEC, row 45) is advisory everywhere.
 * - In a production stage every other row is mandatory.
 * - Elsewhere a row is mandatory when the checklist says it holds there too
 *   (dev column `keep`, or `looser`: the row's check itself asks less
 *   outside production), and advisory when the dev column says `relax`.
 */
export function enforcementLevel(rule: Pick<ChecklistRule, "severity" | "dev">, production: boolean): "mandatory" | "advisory" {
    if (rule.severity === "advisory") return "advisory";
    if (production) return "mandatory";
    return rule.dev === "relax" ? "advisory" : "mandatory";
}
