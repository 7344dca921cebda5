import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/** The files `npm pack` would put in the tarball (a dry run: nothing is built or written). */
function packedFiles(): Set<string> {
    const report = JSON.parse(
        execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    ) as { files: { path: string }[] }[];
    return new Set(report[0].files.map((file) => file.path));
}

/** The relative link targets of a Markdown page (no scheme, no pure #anchor), without their #anchor. */
function relativeLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1])
        .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#"))
        .map((target) => target.split("#")[0]);
}

describe("the packed package's documentation", () => {
    let files: Set<string>;

    before(function () {
        this.timeout(60_000);
        files = packedFiles();
    });

    it("ships the README, the LICENSE and every component page", () => {
        for (const file of ["README.md", "LICENSE", "package.json"]) assert.ok(files.has(file), file);
        const pages = fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md"));
        assert.ok(pages.length >= 4);
        for (const page of pages) assert.ok(files.has(`docs/${page}`), `docs/${page} is packed`);
    });

    it("has every relative link of every packed Markdown page point to a file in the tarball", () => {
        const broken: string[] = [];
        const pages = [...files].filter((file) => file.endsWith(".md"));
        for (const page of pages) {
            for (const link of relativeLinks(fs.readFileSync(path.join(root, page), "utf8"))) {
                const target = path.posix.normalize(path.posix.join(path.posix.dirname(page), link));
                if (!files.has(target)) broken.push(`${page} → ${link}`);
            }
        }
        assert.ok(pages.length >= 5);
        assert.deepEqual(broken, []);
    });

    it("gives every component page a cost section with a monthly figure", () => {
        for (const page of [...files].filter((file) => file.startsWith("docs/") && file.endsWith(".md"))) {
            const text = fs.readFileSync(path.join(root, page), "utf8");
            const section = /^## Cost\b.*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
            assert.ok(section, `${page} has a "## Cost" section`);
            assert.match(section[1], /\$\d/, `${page}'s cost section names a price`);
        }
    });
});
