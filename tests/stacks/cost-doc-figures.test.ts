/**
 * Every cost figure the docs quote equals what `npm run plan -- <stage>
 * --cost` computes: each marked figure of docs/*.md is recomputed from the
 * stage's plan and compared (README.md too, once it marks its figures).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../stacks/plan/plan-document";
import { docFiles, figureOf, findDocFigures, parseSpec, selectLines, stageCoster } from "../../stacks/plan/cost/doc-figures";
import { cents } from "../../stacks/plan/cost/price-stage";
import { GLOBAL_PRICES, HOURS_PER_MONTH } from "../../stacks/plan/cost/prices";
import { formatUsd } from "../../stacks/plan/cost/render-cost";

describe("the docs' cost figures", function () {
    this.timeout(300_000);
    const figures = docFiles().flatMap((file) => findDocFigures(fs.readFileSync(file, "utf8"), path.relative(REPO_ROOT, file)));
    const cost = stageCoster();

    it("are marked in every component doc and in the checklist's cost section", () => {
        const files = new Set(figures.map((figure) => figure.file));
        for (const doc of ["web-tier", "managed-database", "static-site", "dns-and-tls", "production-checklist"]) assert.ok(files.has(`docs/${doc}.md`), `docs/${doc}.md quotes no marked figure`);
    });

    it("each equal the figure --cost computes for its stage, selector and settings", async () => {
        const wrong: string[] = [];
        for (const figure of figures) {
            const computed = figureOf(await cost(figure.stage, figure.overrides), figure.selector);
            if (computed !== figure.quoted) wrong.push(`${figure.file}: <!-- cost:${figure.spec} --> quotes ${figure.quoted}, --cost computes ${computed}`);
        }
        assert.deepEqual(wrong, [], "run: npx ts-node --transpile-only stacks/plan/cost/doc-figures.ts --write");
    });

    it("would be caught when one drifts, and a selector that names nothing is an error, not $0.00", async () => {
        const dev = await cost("dev", []);
        const [figure] = findDocFigures("about <!-- cost:dev WebTier -->$1.00<!-- /cost --> a month", "x.md");
        assert.equal(figure.quoted, "$1.00");
        assert.notEqual(figureOf(dev, figure.selector), figure.quoted);
        // A part selector picks one line: dev's web instance's public address, a figure from the table.
        assert.equal(figureOf(dev, "dev-web-instance/ipv4"), formatUsd(cents(GLOBAL_PRICES.publicIpv4Hour * HOURS_PER_MONTH)));
        // No selector: the stage total.
        assert.equal(figureOf(dev, undefined), formatUsd(dev.totalUsd));
        assert.throws(() => selectLines(dev, "WebTeir"), /names no component or priced resource/);
        assert.deepEqual(parseSpec("prod DnsAndTls webstack:domain.createZone=true"), { spec: "prod DnsAndTls webstack:domain.createZone=true", stage: "prod", selector: "DnsAndTls", overrides: ["webstack:domain.createZone=true"] });
    });
});
