import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The README's "With plain `pulumi.runtime.setMocks`" section. */
function setMocksSection(): string {
    const start = readme.indexOf("### With plain `pulumi.runtime.setMocks`");
    assert.ok(start >= 0, "the README has the section");
    const end = readme.indexOf("\n## ", start);
    return readme.slice(start, end < 0 ? undefined : end);
}

/**
 * The provider functions components/ call (`aws.getRegionOutput`,
 * `aws.ssm.getParameterOutput`, ...), as the invoke tokens mocks receive:
 * `aws:index/getRegion:getRegion`, `aws:ssm/getParameter:getParameter`.
 */
function lookUpTokens(): Set<string> {
    const tokens = new Set<string>();
    const visit = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== "testing") visit(full);
            } else if (entry.name.endsWith(".ts")) {
                for (const match of fs.readFileSync(full, "utf8").matchAll(/\baws\.(?:([a-z0-9]+)\.)?(get[A-Z][A-Za-z0-9]*?)(?:Output)?\(/g)) {
                    tokens.add(`aws:${match[1] ?? "index"}/${match[2]}:${match[2]}`);
                }
            }
        }
    };
    visit(path.join(root, "components"));
    return tokens;
}

describe("README: testing with plain pulumi.runtime.setMocks", () => {
    it("lists every look-up the components make, with what to answer", () => {
        const section = setMocksSection();
        const tokens = lookUpTokens();
        assert.ok(tokens.has("aws:route53/getZone:getZone") && tokens.has("aws:index/getRegion:getRegion"), [...tokens].join(", "));
        const missing = [...tokens].filter((token) => !section.includes(`| \`${token}\` |`));
        assert.deepEqual(missing, [], "tokens the README's table does not list");
    });

    it("runs the documented example: a missing zone answered as AWS does lets DnsAndTls fall back to the parent zone", function () {
        this.timeout(120_000);
        const blocks = [...setMocksSection().matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
        assert.equal(blocks.length, 1);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "set-mocks-example-"));
        try {
            const file = path.join(dir, "example.ts");
            fs.writeFileSync(file, blocks[0].replace('"aws-webstack"', JSON.stringify(path.join(root, "components"))));
            execFileSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), file], {
                cwd: root,
                env: { ...process.env, NODE_PATH: path.join(root, "node_modules") },
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
                timeout: 110_000,
            });
        } catch (error) {
            const { stdout, stderr } = error as { stdout?: string; stderr?: string };
            assert.fail(`the README example failed:\n${stdout ?? ""}${stderr ?? ""}`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("answers a missing zone with AWS's wording, carried in the error's details", () => {
        assert.match(setMocksSection(), /const message = `no matching Route 53 Hosted Zone found[^\n]*\n\s*throw Object\.assign\(new Error\(message\), \{ details: message \}\)/);
    });
});
