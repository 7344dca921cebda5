/**
 * The text of `npm run plan -- <stage> --cost`: the lines grouped by
 * component, the total, what is not priced and what is not counted.
 */
import type { StageCost } from "./price-stage";

/** "$1,234.50": dollars with cents, the figure the docs quote. */
export function formatUsd(usd: number): string {
    return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function renderCost(cost: StageCost): string {
    const out = [`Monthly cost of stage ${cost.stage} (${cost.region}, on-demand list prices, ${cost.hoursPerMonth} hours a month):`];
    const components = [...new Set([...cost.components, ...cost.lines.map((line) => line.component)])].sort((a, b) => (a === "stage" ? 1 : b === "stage" ? -1 : a.localeCompare(b)));
    const width = Math.max(0, ...cost.lines.map((line) => line.resource.length));
    const whatWidth = Math.max(0, ...cost.lines.map((line) => line.what.length));
    for (const component of components) {
        const lines = cost.lines.filter((line) => line.component === component);
        const subtotal = lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
        const usageOnly = lines.length === 0 ? " (nothing fixed: usage only)" : "";
        out.push(`  ${component === "stage" ? "stage (network, key)" : component}: ${formatUsd(subtotal)}${usageOnly}`);
        for (const line of lines) out.push(`    ${line.resource.padEnd(width)}  ${line.what.padEnd(whatWidth)}  ${formatUsd(line.monthlyUsd).padStart(9)}`);
    }
    out.push(`Total: ${formatUsd(cost.totalUsd)}/month`);
    for (const item of cost.unpriced) out.push(`Not priced: ${item.resource} (${item.type}): ${item.why}`);
    if (cost.notPriced.length > 0) out.push(`Not priced (no price and not known to be free): ${cost.notPriced.join(", ")}`);
    out.push(cost.notCounted);
    out.push("Prices and their sources: stacks/plan/cost/prices.ts.");
    return out.join("\n");
}
