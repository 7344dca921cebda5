import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docExamples, EXAMPLE_PRELUDE, exampleFileName, exampleModule } from "./doc-examples";

const root = path.resolve(__dirname, "..", "..");
const consumerSource = path.join(__dirname, "consumer-program.ts.txt");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
};
const started = Date.now();

/** The lowest version a `^x.y.z` peer range allows: what the consumer installs. */
function floorOf(range: string): string {
    const match = /^\^(\d+\.\d+\.\d+)$/.exec(range);
    assert.ok(match, `peer range ${range} is not of the form ^x.y.z`);
    return match[1];
}

function progress(step: string): void {
    console.log(`      [package ${Math.round((Date.now() - started) / 1000)}s] ${step}`);
}

/** Runs a command; on failure the error carries what it printed (tsc prints its errors on stdout). */
function run(command: string, args: string[], cwd: string): string {
    try {
        return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 480_000 });
    } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
    }
}

const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const TSC_FLAGS = ["--strict", "--target", "es2022", "--module", "commonjs", "--moduleResolution", "node", "--esModuleInterop", "--skipLibCheck", "--types", "node", "--typeRoots", path.join(root, "node_modules", "@types")];

/**
 * The package as another repository gets it: `npm install git+file://…#<commit>`
 * of this repository's committed HEAD (npm clones it, installs its dev
 * dependencies and runs `prepare`, which builds), next to @pulumi/pulumi and
 * @pulumi/aws at the floors of the peer ranges. Then the docs' examples are
 * compiled against it, and a program using all four components runs under
 * the published harness. Uncommitted changes are not part of the test.
 * Takes one to three minutes (npm's cache is warm after `npm ci`).
 */
describe("the package installed from a git URL, at the peer dependencies' floor", function () {
    this.timeout(900_000);
    let work: string;
    let project: string;
    let installed: string;
    let commit: string;
    let output: Record<string, unknown>;
    const floors = {
        "@pulumi/pulumi": floorOf(manifest.peerDependencies["@pulumi/pulumi"]),
        "@pulumi/aws": floorOf(manifest.peerDependencies["@pulumi/aws"]),
    };

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-git-consumer-"));
        const repo = path.join(work, "webstack");
        project = path.join(work, "consumer");
        commit = run("git", ["rev-parse", "HEAD"], root).trim();
        progress(`cloning ${commit.slice(0, 12)} of ${root}`);
        run("git", ["clone", "--quiet", "--no-hardlinks", root, repo], work);
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        progress(`npm install git+file://${repo}#${commit.slice(0, 12)} with @pulumi/pulumi@${floors["@pulumi/pulumi"]} @pulumi/aws@${floors["@pulumi/aws"]}`);
        // --prefer-offline: the dependencies are in npm's cache after the repository's own `npm ci`.
        run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund",
            `@pulumi/pulumi@${floors["@pulumi/pulumi"]}`, `@pulumi/aws@${floors["@pulumi/aws"]}`, `git+file://${repo}#${commit}`], project);
        installed = path.join(project, "node_modules", "aws-webstack");
        progress("installed; compiling the consumer program");
        fs.copyFileSync(consumerSource, path.join(project, "consumer.ts"));
        run(process.execPath, [tsc, ...TSC_FLAGS, "consumer.ts"], project);
        progress("running it under the published harness");
        output = JSON.parse(run(process.execPath, ["consumer.js"], project));
        progress("done");
    });

    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("installs the commit it was given, built by prepare: compiled components with declarations, docs, LICENSE, no tests or stacks", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(project, "package-lock.json"), "utf8"));
        assert.match(lock.packages["node_modules/aws-webstack"].resolved, new RegExp(`^git\\+file://.*#${commit}$`));
        for (const file of ["dist/components/index.js", "dist/components/index.d.ts", "dist/components/testing/index.d.ts", "LICENSE", "README.md", "docs/dns-and-tls.md"]) {
            assert.ok(fs.existsSync(path.join(installed, file)), `${file} is in the installed package`);
        }
        for (const absent of ["tests", "stacks", "dist/stacks", "components", "tools"]) {
            assert.ok(!fs.existsSync(path.join(installed, absent)), `${absent} is not shipped`);
        }
        assert.match(fs.readFileSync(path.join(installed, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
    });

    it("uses the consumer's single copy of @pulumi/pulumi and @pulumi/aws, at the peer ranges' floors", () => {
        const copies = (name: string) =>
            run("npm", ["ls", name, "--all", "--parseable"], project).split("\n").filter(Boolean);
        assert.deepEqual(copies("@pulumi/pulumi"), [path.join(fs.realpathSync(project), "node_modules", "@pulumi", "pulumi")]);
        assert.equal(copies("@pulumi/aws").length, 1);
        for (const [name, floor] of Object.entries(floors)) {
            assert.equal(JSON.parse(fs.readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8")).version, floor);
        }
    });

    it("does not install what only this repository's program uses (@pulumi/awsx, zod)", () => {
        for (const name of ["@pulumi/awsx", "zod"]) {
            assert.ok(!fs.existsSync(path.join(project, "node_modules", name)), `${name} is not installed`);
        }
    });

    it("compiles every ts example of the shipped README and docs/*.md against the installed types, without casts", () => {
        const examples = docExamples(installed);
        assert.ok(examples.length >= 6, `found ${examples.length} examples`);
        const dir = path.join(project, "examples");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "prelude.ts"), EXAMPLE_PRELUDE);
        for (const example of examples) {
            assert.doesNotMatch(example.code, /\bas (any|unknown)\b|<any>/, `${example.source} casts`);
            fs.writeFileSync(path.join(dir, exampleFileName(example)), exampleModule(example));
        }
        const files = fs.readdirSync(dir).map((f) => path.join("examples", f));
        run(process.execPath, [tsc, ...TSC_FLAGS, "--noEmit", ...files], project);
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
