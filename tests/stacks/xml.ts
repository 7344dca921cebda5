/**
 * A small strict XML parser for tests: enough to prove an SVG is
 * well-formed (every element closed in order, attributes quoted, `&` only
 * in entities, one root) and to walk its elements. Throws on anything else.
 */
export interface XmlElement {
    name: string;
    attributes: Record<string, string>;
    children: (XmlElement | string)[];
}

const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

export function parseXml(text: string): XmlElement {
    let at = 0;
    const fail = (why: string): never => {
        throw new Error(`XML: ${why} at offset ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
    };
    const decode = (raw: string): string => {
        if (raw.replace(ENTITY, "").includes("&")) fail("a bare & (not an entity)");
        const named: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'" };
        return raw.replace(ENTITY, (e) => named[e] ?? String.fromCodePoint(parseInt(e.startsWith("&#x") ? e.slice(3, -1) : e.slice(2, -1), e.startsWith("&#x") ? 16 : 10)));
    };
    const skipMisc = () => {
        for (;;) {
            const rest = text.slice(at);
            const space = /^\s+/.exec(rest);
            if (space) at += space[0].length;
            else if (rest.startsWith("<?")) at = text.indexOf("?>", at) + 2 || fail("an unclosed <?");
            else if (rest.startsWith("<!--")) at = text.indexOf("-->", at) + 3 || fail("an unclosed comment");
            else if (rest.startsWith("<!DOCTYPE")) at = text.indexOf(">", at) + 1 || fail("an unclosed DOCTYPE");
            else return;
        }
    };
    const element = (): XmlElement => {
        const open = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(at)) ?? fail("expected an element");
        at += open[0].length;
        const node: XmlElement = { name: open[1], attributes: {}, children: [] };
        for (;;) {
            const attribute = /^\s+([A-Za-z_][\w:.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(at));
            if (!attribute) break;
            if (attribute[1] in node.attributes) fail(`a repeated attribute ${attribute[1]}`);
            node.attributes[attribute[1]] = decode(attribute[3] ?? attribute[4]);
            at += attribute[0].length;
        }
        const end = /^\s*(\/?)>/.exec(text.slice(at)) ?? fail(`a malformed tag <${node.name}`);
        at += end[0].length;
        if (end[1] === "/") return node;
        for (;;) {
            if (text.startsWith(`</${node.name}`, at)) {
                const close = /^<\/[\w:.-]+\s*>/.exec(text.slice(at)) ?? fail(`a malformed </${node.name}>`);
                at += close[0].length;
                return node;
            }
            if (text.startsWith("<!--", at)) at = text.indexOf("-->", at) + 3 || fail("an unclosed comment");
            else if (text.startsWith("</", at)) fail(`a closing tag that does not close <${node.name}>`);
            else if (text.startsWith("<", at)) node.children.push(element());
            else {
                const next = text.indexOf("<", at);
                if (next < 0) fail(`<${node.name}> is never closed`);
                node.children.push(decode(text.slice(at, next)));
                at = next;
            }
        }
    };
    skipMisc();
    const root = element();
    skipMisc();
    if (at !== text.length) fail("content after the root element");
    return root;
}

/** Every element below `root` (itself included), depth first. */
export function allElements(root: XmlElement): XmlElement[] {
    return [root, ...root.children.flatMap((child) => (typeof child === "string" ? [] : allElements(child)))];
}

/** The text inside an element, its descendants' included. */
export function textOf(element: XmlElement): string {
    return element.children.map((child) => (typeof child === "string" ? child : textOf(child))).join("");
}
