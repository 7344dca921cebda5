import * as fs from "node:fs";
import * as path from "node:path";
import { invalid } from "../../../components/internal/errors";
import { PlanDocument } from "../plan-document";
import { toMermaid } from "./mermaid";
import { buildStageGraph } from "./stage-graph";
import { renderSvg } from "./svg";

/** The picture of a plan in the format `file`'s extension names: `.svg` (Graphviz) or `.md` (Mermaid). */
export async function renderDiagram(plan: PlanDocument, file: string): Promise<string> {
    checkDiagramFile(file);
    const graph = buildStageGraph(plan);
    return path.extname(file).toLowerCase() === ".svg" ? renderSvg(graph) : toMermaid(graph);
}

/** Checks `file` names a format before the (slow) plan runs. */
export function checkDiagramFile(file: string): void {
    const extension = path.extname(file).toLowerCase();
    if (extension !== ".svg" && extension !== ".md") {
        invalid("--diagram", file, "the picture's format follows the file's extension: .svg or .md", "name a file ending in .svg (Graphviz) or .md (a Mermaid flowchart)");
    }
}

/** Writes the picture of `plan` to `file` (creating its folder) and returns a line saying so. */
export async function writeDiagram(plan: PlanDocument, file: string): Promise<string> {
    const text = await renderDiagram(plan, file);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
    return `Wrote the ${plan.stage} picture to ${file}`;
}
