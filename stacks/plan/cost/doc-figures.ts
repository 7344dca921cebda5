/**
 * The cost figures the docs quote, kept equal to what `--cost` computes.
 *
 * A figure in README.md or docs/*.md is marked
 *
 *     <!-- cost:<stage> [<selector>] [key=value ...] -->$12.34<!-- /cost -->
 *
 * and stands for the sum of the lines of `npm run plan -- <stage> --cost
 * [--config key=value ...]` that the selector picks: every line (no
 * selector), a component's (`WebTier`, `ManagedDatabase`, `StaticSite`,
 * `DnsAndTls`, `stage`), a resource's (`prod-site-waf`), or one part of a
 * resource's (`dev-web-instance/ipv4`; parts: see CostLine.part).
 *
 * `npx ts-node --transpile-only stacks/plan/cost/doc-figures.ts --write`
 * rewrites every marked figure with the computed one;
 * tests/stacks/cost-doc-figures.test.ts fails while one differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { planStage, REPO_ROOT } from "../plan-document";
import { cents, priceStage, StageCost, StageCostLine } from "./price-stage";
import { formatUsd } from "./render-cost";

/** One marked figure of a doc. */
export interface DocFigure {
    file: string;
    /** The marker's text after "cost:", e.g. "dev WebTier". */
    spec: string;
    stage: string;
    selector?: string;
    overrides: string[];
    /** The figure the doc quotes, e.g. "$18.84". */
    quoted: string;
}

const MARKER = /<!-- cost:([^>]*?) -->([\s\S]*?)<!-- \/cost -->/g;

/** The marked figures of one Markdown text. */
export function findDocFigures(markdown: string, file: string): DocFigure[] {
    return [...markdown.matchAll(MARKER)].map((match) => ({ file, quoted: match[2], ...parseSpec(match[1]) }));
}

export function parseSpec(spec: string): { spec: string; stage: string; selector?: string; overrides: string[] } {
    const [stage, ...rest] = spec.trim().split(/\s+/);
    const overrides = rest.filter((token) => token.includes("="));
    const selectors = rest.filter((token) => !token.includes("="));
    if (!stage || selectors.length > 1) throw new Error(`cost marker "${spec}": expected <stage> [<selector>] [key=value ...]`);
    return { spec: spec.trim(), stage, selector: selectors[0], overrides };
}

/** The lines a selector picks; an error when it picks none (a typo must not quote $0). */
export function selectLines(cost: StageCost, selector: string | undefined): StageCostLine[] {
    if (selector === undefined) return cost.lines;
    const [name, part] = selector.split("/");
    const lines = cost.lines.filter((line) => (line.component === name || line.resource === name) && (part === undefined || line.part === part));
    const knownName = cost.components.includes(name) || cost.lines.some((line) => line.resource === name);
    if (lines.length === 0 && !knownName) throw new Error(`cost selector "${selector}" names no component or priced resource of stage ${cost.stage}`);
    return lines;
}

/** Computes the figure of a marker, as `--cost` prints it. */
export function figureOf(cost: StageCost, selector: string | undefined): string {
    return formatUsd(cents(selectLines(cost, selector).reduce((sum, line) => sum + line.monthlyUsd, 0)));
}

/** Plans and prices each distinct stage + overrides once. */
export function stageCoster(): (stage: string, overrides: string[]) => Promise<StageCost> {
    const costs = new Map<string, Promise<StageCost>>();
    return (stage, overrides) => {
        const key = [stage, ...overrides].join(" ");
        if (!costs.has(key)) costs.set(key, planStage({ stage, overrides }).then(priceStage));
        return costs.get(key)!;
    };
}

/** The pages whose figures may be marked: README.md and docs/*.md. */
export function docFiles(root = REPO_ROOT): string[] {
    const dir = path.join(root, "docs");
    return [path.join(root, "README.md"), ...fs.readdirSync(dir).filter((name) => name.endsWith(".md")).sort().map((name) => path.join(dir, name))];
}

/** Rewrites every marked figure with the computed one; returns the figures it changed. */
async function writeFigures(): Promise<string[]> {
    const cost = stageCoster();
    const changed: string[] = [];
    for (const file of docFiles()) {
        const text = fs.readFileSync(file, "utf8");
        let out = "";
        let last = 0;
        for (const match of text.matchAll(MARKER)) {
            const spec = parseSpec(match[1]);
            const figure = figureOf(await cost(spec.stage, spec.overrides), spec.selector);
            if (figure !== match[2]) changed.push(`${path.relative(REPO_ROOT, file)}: ${spec.spec}: ${match[2]} -> ${figure}`);
            out += text.slice(last, match.index) + `<!-- cost:${match[1]} -->${figure}<!-- /cost -->`;
            last = match.index + match[0].length;
        }
        fs.writeFileSync(file, out + text.slice(last));
    }
    return changed;
}

if (require.main === module && process.argv.includes("--write")) {
    writeFigures().then(
        (changed) => {
            console.log(changed.length ? changed.join("\n") : "every cost figure is current");
            process.exit(0);
        },
        (error) => {
            console.error(error);
            process.exit(1);
        },
    );
}
