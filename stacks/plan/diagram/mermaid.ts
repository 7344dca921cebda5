import { EDGE_STYLE } from "./dot";
import { DiagramNode, StageGraph } from "./stage-graph";

/** The same stage graph as a Mermaid flowchart inside a Markdown file (GitHub renders it). */
export function toMermaid(graph: StageGraph): string {
    const lines = ["flowchart TB"];
    for (const node of graph.nodes.filter((n) => n.group === null)) lines.push(`  ${nodeText(node)}`);
    for (const group of graph.groups) {
        lines.push(`  subgraph ${group.id}["${escape(group.label)}"]`);
        for (const node of graph.nodes.filter((n) => n.group === group.id)) lines.push(`    ${nodeText(node)}`);
        lines.push("  end");
    }
    graph.edges.forEach((edge) => {
        const arrow = edge.link === "request" ? "==>" : "-.->";
        lines.push(`  ${edge.from} ${arrow}|"${escape(edge.label)}"| ${edge.to}`);
    });
    // Colour the links like the SVG (linkStyle takes the links' order).
    graph.edges.forEach((edge, index) => lines.push(`  linkStyle ${index} stroke:${EDGE_STYLE[edge.link].color}`));
    for (const node of graph.nodes) lines.push(`  style ${node.id} fill:${node.kind.color}`);
    return ["```mermaid", `---`, `title: ${graph.title}`, `---`, ...lines, "```", ""].join("\n");
}

function nodeText(node: DiagramNode): string {
    const label = `"${escape(node.label.join("<br/>"))}"`;
    switch (node.kind.shape) {
        case "cylinder":
            return `${node.id}[(${label})]`;
        case "hexagon":
            return `${node.id}{{${label}}}`;
        case "octagon":
            return `${node.id}{{${label}}}`;
        default:
            return `${node.id}[${label}]`;
    }
}

/** Mermaid labels are quoted; a quote inside is written as an entity. */
function escape(text: string): string {
    return text.replace(/"/g, "#quot;");
}
