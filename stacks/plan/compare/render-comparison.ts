import { OneSidedResource, StageComparison } from "./compare-plans";

/**
 * The comparison as a person reads it: layout and modes first (the
 * differences that change how the stage behaves), then the resources only
 * one stage has (by component), then sizes, counts and protection; other
 * differing inputs are counted, not listed.
 */
export function renderComparison(c: StageComparison): string {
    const { a, b } = c;
    const lines = [`Compare ${a.stage} with ${b.stage}`];
    lines.push(`Layout: ${a.layout} vs ${b.layout}${a.layout === b.layout ? " (same)" : "   DIFFERS"}`);
    lines.push("Component modes:");
    const width = Math.max(...c.modes.map((m) => `${m.component} (${m.type})`.length));
    for (const mode of c.modes) {
        const name = `${mode.component} (${mode.type})`.padEnd(width);
        lines.push(`  ${name}  ${mode.a ?? "absent"} vs ${mode.b ?? "absent"}${mode.a === mode.b ? "" : "   DIFFERS"}`);
    }
    for (const warning of c.warnings) lines.push(`WARNING ${warning}`);
    lines.push(...oneSided(`Only in ${a.stage}`, c.onlyInA), ...oneSided(`Only in ${b.stage}`, c.onlyInB));
    lines.push(`Sizes, counts and protection that differ (${c.differences.length}):`);
    for (const resource of [...new Set(c.differences.map((d) => d.resource))]) {
        const changes = c.differences.filter((d) => d.resource === resource).map((d) => `${d.setting} ${show(d.a)} → ${show(d.b)}`);
        lines.push(...wrap(`  ${resource}: `, changes));
    }
    const other = c.otherDifferences;
    if (other.inputs > 0) {
        lines.push(`  and ${plural(other.inputs, "other input")} (names, policies, settings) in ${plural(other.resources.length, "resource")}:`);
        lines.push(...wrap("    ", other.resources));
    }
    return lines.join("\n");
}

/** One line per component: how many resources only this stage has, and their names. */
function oneSided(title: string, resources: OneSidedResource[]): string[] {
    const lines = [`${title} (${plural(resources.length, "resource")}):`];
    const components = [...new Set(resources.map((r) => r.component))];
    for (const component of components) {
        const names = resources.filter((r) => r.component === component).map((r) => r.name);
        // Several resources can share a name (a subnet, its route table and association): name them once, counted.
        const counted = [...new Set(names)].map((name) => {
            const count = names.filter((n) => n === name).length;
            return count > 1 ? `${name} ×${count}` : name;
        });
        lines.push(...wrap(`  ${component} (${names.length}): `, counted));
    }
    return lines;
}

/** `head` then the items, comma-separated, wrapped under the first item at 120 characters. */
function wrap(head: string, items: string[], width = 120): string[] {
    const lines: string[] = [];
    let line = head;
    items.forEach((item, index) => {
        const text = index < items.length - 1 ? `${item}, ` : item;
        if (line.length + text.length > width && line.trim().length > 0 && line !== head) {
            lines.push(line.trimEnd());
            line = " ".repeat(head.length);
        }
        line += text;
    });
    lines.push(line.trimEnd());
    return lines;
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function show(value: unknown): string {
    return value === undefined ? "unset" : typeof value === "string" ? value : JSON.stringify(value);
}
