import { DiagramEdge, DiagramNode, StageGraph } from "./stage-graph";

/** How each kind of link is drawn, in both renderers' terms. */
const EDGE_STYLE: Record<DiagramEdge["link"], { style: string; color: string; penwidth: number }> = {
    request: { style: "solid", color: "#1c7ed6", penwidth: 2 },
    tls: { style: "dashed", color: "#e67700", penwidth: 1 },
    dns: { style: "dotted", color: "#0c8599", penwidth: 1 },
    protects: { style: "dashed", color: "#c92a2a", penwidth: 1 },
};

/** The stage graph in the Graphviz DOT language: one cluster per group, requests flowing top to bottom. */
export function toDot(graph: StageGraph): string {
    const lines = [
        "digraph stage {",
        `  graph [label=${quote(graph.title)}, labelloc=t, fontname="Helvetica", fontsize=16, rankdir=TB, compound=true, nodesep=0.3, ranksep=0.8];`,
        `  node [fontname="Helvetica", fontsize=10, style=filled];`,
        `  edge [fontname="Helvetica", fontsize=9];`,
    ];
    for (const node of graph.nodes.filter((n) => n.group === null)) lines.push(`  ${nodeLine(node)}`);
    for (const group of graph.groups) {
        lines.push(`  subgraph cluster_${group.id} {`, `    label=${quote(group.label)}; style="rounded"; color="#868e96";`);
        for (const node of graph.nodes.filter((n) => n.group === group.id)) lines.push(`    ${nodeLine(node)}`);
        lines.push("  }");
    }
    for (const edge of graph.edges) {
        const style = EDGE_STYLE[edge.link];
        lines.push(`  ${edge.from} -> ${edge.to} [label=${quote(edge.label)}, style=${style.style}, color=${quote(style.color)}, penwidth=${style.penwidth}];`);
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

export { EDGE_STYLE };

function nodeLine(node: DiagramNode): string {
    return `${node.id} [label=${quote(node.label.join("\n"))}, shape=${node.kind.shape}, fillcolor=${quote(node.kind.color)}];`;
}

/** A DOT string literal: quotes and backslashes escaped, line breaks as \n. */
function quote(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
