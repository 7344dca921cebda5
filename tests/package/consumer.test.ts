import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const consumerSource = path.join(__dirname, "consumer-program.ts.txt");

/** Runs a command; on failure the error carries what it printed (tsc prints its errors on stdout). */
function run(command: string, args: string[], cwd: string): string {
    try {
        return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
    } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
    }
}

/**
 * The package as a consumer sees it: `npm pack`, install the tarball into a
 * fresh project, compile a program against the published types, and run it
 * under the published harness.
 */
describe("the published package", function () {
    this.timeout(600_000);
    let project: string;
    let output: Record<string, unknown>;

    before(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-consumer-"));
        // Build first, then pack without scripts, so stdout is only npm's JSON.
        run("npm", ["run", "build"], root);
        const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], root)) as { filename: string }[];
        const tarball = path.join(project, packed[0].filename);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // --prefer-offline: the dependencies are in npm's cache after the repository's own `npm ci`.
        run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
        fs.copyFileSync(consumerSource, path.join(project, "consumer.ts"));
        const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
        run(process.execPath, [tsc, "--strict", "--target", "es2022", "--module", "commonjs", "--moduleResolution", "node", "--esModuleInterop", "--skipLibCheck", "--types", "node", "--typeRoots", path.join(root, "node_modules", "@types"), "consumer.ts"], project);
        output = JSON.parse(run(process.execPath, ["consumer.js"], project));
    });

    after(() => {
        if (project) fs.rmSync(project, { recursive: true, force: true });
    });

    it("ships compiled components with declarations and no tests or stacks", () => {
        const installed = path.join(project, "node_modules", "aws-webstack");
        assert.ok(fs.existsSync(path.join(installed, "dist", "components", "index.js")));
        assert.ok(fs.existsSync(path.join(installed, "dist", "components", "index.d.ts")));
        assert.ok(fs.existsSync(path.join(installed, "dist", "components", "testing", "index.d.ts")));
        assert.ok(!fs.existsSync(path.join(installed, "tests")));
        assert.ok(!fs.existsSync(path.join(installed, "stacks")));
        assert.ok(!fs.existsSync(path.join(installed, "dist", "stacks")));
    });

    it("compiles and runs a consumer's program using all four components under the published harness", () => {
        assert.equal(output.cloudFrontCertificateRegion, "us-east-1");
        assert.equal(output.siteUrl, "https://shop.example.com");
        assert.equal(output.databaseEngine, "postgres");
        assert.deepEqual(output.webInstances, ["web-instance"]);
        assert.ok((output.webUserDataBytes as number) > 500, "the shipped boot scripts were found in the package");
        assert.match(String(output.webUrl), /^http:\/\//);
        assert.equal(output.rejected, "app.path");
    });
});
