// Must-show 2 of issue 14: the source bundle of examples/api, unpacked and
// started the way the Elastic Beanstalk Node.js platform does it, answers
// GET /health with 200.
//
// The platform (AWS Elastic Beanstalk Developer Guide):
// - unpacks the bundle into the app folder, package.json at its root;
// - runs `npm install` when package.json is there and node_modules is not
//   (nodejs-platform-dependencies), production dependencies only here;
// - starts the Procfile's `web:` process, or `npm start` without a Procfile
//   (nodejs-configuration-procfile, nodejs-platform-dependencies), with PORT
//   set to the port nginx forwards to, on loopback.
import * as assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { buildSourceBundle, SourceBundle } from "../../../components/web-tier/beanstalk/source-bundle";
import { exampleApiDir, freePorts, getJson, mustRun } from "../loopback-sandbox";

function has(tool: string): boolean {
    try {
        execFileSync("which", [tool], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

/** Unpacks with the unzip the instances use when it is here, else with the zip library. */
function unpack(bundle: SourceBundle, into: string): void {
    fs.mkdirSync(into, { recursive: true });
    if (has("unzip")) {
        execFileSync("unzip", ["-q", bundle.file, "-d", into]);
        return;
    }
    for (const [name, data] of Object.entries(unzipSync(fs.readFileSync(bundle.file)))) {
        fs.mkdirSync(path.dirname(path.join(into, name)), { recursive: true });
        fs.writeFileSync(path.join(into, name), data);
    }
}

/** The `web:` command the platform runs: the Procfile's, else `npm start`. */
function webCommand(appDir: string): string {
    const procfile = path.join(appDir, "Procfile");
    if (!fs.existsSync(procfile)) return "npm start";
    const match = /^web:\s*(.+)$/m.exec(fs.readFileSync(procfile, "utf8"));
    assert.ok(match, "the Procfile has a web: line");
    return match[1].trim();
}

/** A clean environment like the platform's: no HOST from the developer's shell, PORT from the platform. */
function platformEnv(port: number, home: string): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: home, PORT: String(port), npm_config_update_notifier: "false" };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<{ status: number; body: any }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) before answering:\n${output()}`);
        try {
            return await getJson(url);
        } catch (error) {
            if (Date.now() > deadline) throw new Error(`${url} never answered: ${(error as Error).message}\n${output()}`);
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
    }
}

/** Starts the web command in its own process group (npm -> sh -> node) and kills the whole group after. */
async function startAndCheckHealth(appDir: string, home: string): Promise<{ command: string; status: number; body: any }> {
    const command = webCommand(appDir);
    const [port] = await freePorts(1);
    const child = spawn("/bin/sh", ["-c", command], { cwd: appDir, env: platformEnv(port, home), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    try {
        const { status, body } = await waitForHealth(`http://127.0.0.1:${port}/health`, child, () => output);
        return { command, status, body };
    } finally {
        if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            process.kill(-child.pid!, "SIGTERM");
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
            if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
        }
    }
}

describe("WebTier beanstalk source bundle, started as the platform does (real)", function () {
    this.timeout(120_000);
    let scratch: string;

    before(function () {
        // node and npm run these tests; unzip has a library fallback.
        const missing = ["npm", "node"].filter((tool) => !has(tool));
        if (missing.length === 0) return;
        const hint = `${missing.join(", ")} not on PATH: install Node.js 20+ with npm`;
        if (process.env.CI === "true") throw new Error(hint);
        console.warn(`    skipped: ${hint}`);
        this.skip();
    });
    beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "beanstalk-real-"))));
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("builds examples/api twice into identical bytes", () => {
        const first = buildSourceBundle(exampleApiDir, { cacheDir: path.join(scratch, "c1") });
        const second = buildSourceBundle(exampleApiDir, { cacheDir: path.join(scratch, "c2") });
        assert.ok(fs.readFileSync(second.file).equals(fs.readFileSync(first.file)));
        assert.equal(second.label, first.label);
    });

    it("unpacks examples/api, installs production dependencies, runs npm start with PORT set: GET /health answers 200", async () => {
        const bundle = buildSourceBundle(exampleApiDir, { cacheDir: path.join(scratch, "cache") });
        const appDir = path.join(scratch, "var-app-current");
        unpack(bundle, appDir);
        assert.ok(fs.existsSync(path.join(appDir, "package.json")), "package.json at the bundle root");
        // examples/api has scripts.start, so the platform's default npm start applies: no Procfile.
        assert.ok(!fs.existsSync(path.join(appDir, "Procfile")));
        await mustRun("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], { cwd: appDir, env: platformEnv(0, path.join(scratch, "home")) });
        const result = await startAndCheckHealth(appDir, path.join(scratch, "home"));
        assert.equal(result.command, "npm start");
        assert.equal(result.status, 200);
        assert.equal(result.body.status, "ok");
    });

    it("starts through the generated Procfile when the start command is not npm start: GET /health answers 200", async () => {
        const bundle = buildSourceBundle(exampleApiDir, { cacheDir: path.join(scratch, "cache"), startCommand: "node server.js" });
        const appDir = path.join(scratch, "var-app-current");
        unpack(bundle, appDir);
        assert.equal(fs.readFileSync(path.join(appDir, "Procfile"), "utf8"), "web: node server.js\n");
        await mustRun("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], { cwd: appDir, env: platformEnv(0, path.join(scratch, "home")) });
        const result = await startAndCheckHealth(appDir, path.join(scratch, "home"));
        assert.equal(result.command, "node server.js");
        assert.equal(result.status, 200);
    });
});
