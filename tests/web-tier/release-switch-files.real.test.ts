// Issue 10 findings 3 and 4, on the real release switch (nginx + PM2 on
// loopback, see loopback-sandbox.ts), run as root with "nobody" as the app
// user, as on an instance:
// - app.environment values travel settings JSON -> app-env.sh -> release
//   switch -> PM2 -> the app's process.env byte-for-byte;
// - npm's install scripts run as the app user, and the release is root's after;
// - root never writes through a link the app user planted in its log folder;
// - release settings are 0640 root:<app group> and pruned with their release.
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { getJson, LoopbackSandbox, requireNginx, run, RunResult } from "./loopback-sandbox";

const bootDir = path.resolve(__dirname, "../../components/web-tier/boot");
const appUser = "nobody";

/** Values a shell or a dotenv parser would be tempted to change. */
const trickyEnvironment: Record<string, string> = {
    DOUBLE_QUOTED: '"quoted"',
    SINGLE_QUOTED: "'x'",
    SPACES: "a b",
    EDGE_SPACES: "  padded  ",
    DOLLAR: "$HOME",
    SUBSHELL: "$(id -u)`id -u`",
    BACKSLASHES: "back\\slash\\n\\\\",
    TAB: "tab\there",
    EQUALS: "=a=b=",
    HASH: "#not a comment",
    LONE_QUOTE: '"',
    GLOB: "*",
    UNICODE: "é ✓ 日本",
    EMPTY: "",
};

// A tiny app: /health for the gate, /env echoes the app's own process.env.
const serverJs = `"use strict";
const http = require("node:http");
http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(req.url === "/env" ? JSON.stringify(process.env) : JSON.stringify({ ok: true, version: process.env.APP_VERSION }));
}).listen(Number(process.env.PORT), "127.0.0.1");
`;
// One local dependency, so the switch runs npm ci; the preinstall script
// records who ran it.
const packageJson = { name: "switch-test-app", version: "1.0.0", main: "server.js", dependencies: { localdep: "file:localdep" }, scripts: { preinstall: "id -u > preinstall-uid" } };
const packageLock = {
    name: "switch-test-app", version: "1.0.0", lockfileVersion: 3, requires: true,
    packages: {
        "": { name: "switch-test-app", version: "1.0.0", hasInstallScript: true, dependencies: { localdep: "file:localdep" } },
        localdep: { version: "1.0.0" },
        "node_modules/localdep": { resolved: "localdep", link: true },
    },
};

function describeRun(result: RunResult): string {
    return `exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

describe("release-switch.sh: environment and files on the instance (real, as root)", function () {
    this.timeout(120_000);
    let sandbox: LoopbackSandbox;
    let settingsDir: string;
    let canary: string;
    const canaryText = `canary ${randomBytes(4).toString("hex")}\n`;
    /** Release ids as deploy-release.sh forms them: archive hash, settings revision. */
    const deployed: Array<{ id: string; settings: string }> = [];

    before(async function () {
        if (process.getuid?.() !== 0) {
            console.warn("    skipped: needs root (to run the switch as on an instance, with another app user)");
            this.skip();
        }
        requireNginx(this);
        sandbox = await LoopbackSandbox.start({ healthTimeoutSec: 15, instances: "1", appUser });
        settingsDir = path.join(sandbox.prefix, "settings");
        await fs.mkdir(settingsDir);
        // What the app user could do to its own log folder: plant links to a
        // file only root may write, where root used to write its logs.
        canary = path.join(sandbox.prefix, "root-only-canary");
        await fs.writeFile(canary, canaryText, { mode: 0o600 });
        const logs = path.join(sandbox.appRoot, "logs");
        await fs.symlink(canary, path.join(logs, "pm2-cli.log"));
        for (let n = 1; n <= 3; n++) await fs.symlink(canary, path.join(logs, `npm.${releaseId(n, settingsFor(n))}.log`));
    });

    after(async () => {
        await sandbox?.stop();
    });

    function settingsFor(n: number): string {
        return JSON.stringify({ environment: { ...trickyEnvironment, RELEASE_NUMBER: String(n) }, secrets: {} });
    }

    function releaseId(n: number, settings: string): string {
        const revision = createHash("sha256").update(settings).digest("hex");
        return `${String(n).repeat(16)}-${revision.slice(0, 8)}`;
    }

    /** Packs the test app, writes its settings as the boot command does (<sha256>.json, 0644) and deploys it. */
    async function deploy(n: number): Promise<RunResult> {
        const settings = settingsFor(n);
        const file = path.join(settingsDir, `${createHash("sha256").update(settings).digest("hex")}.json`);
        await fs.writeFile(file, settings, { mode: 0o644 });
        const source = path.join(sandbox.prefix, "builds", `app-${n}`);
        await fs.mkdir(path.join(source, "localdep"), { recursive: true });
        await fs.writeFile(path.join(source, "localdep/package.json"), JSON.stringify({ name: "localdep", version: "1.0.0" }));
        await fs.writeFile(path.join(source, "package.json"), JSON.stringify(packageJson));
        await fs.writeFile(path.join(source, "package-lock.json"), JSON.stringify(packageLock));
        await fs.writeFile(path.join(source, "server.js"), serverJs);
        // An archive may carry world-writable modes; the app must not be able to change its code.
        await fs.chmod(path.join(source, "server.js"), 0o666);
        const archive = `${source}.tgz`;
        assert.equal((await run("tar", ["-czf", archive, "-C", source, "."])).code, 0);
        const id = releaseId(n, settings);
        deployed.push({ id, settings: file });
        return sandbox.releaseSwitch(["deploy", archive, id], {
            RS_KEEP: "2",
            RS_HEALTH_SUCCESSES: "1",
            RS_ENV_COMMAND: `bash ${path.join(bootDir, "app-env.sh")} ${file}`,
        });
    }

    it("hands every app.environment value to the app byte-for-byte (quotes, spaces, $, backslashes, tab)", async () => {
        const result = await deploy(1);
        assert.equal(result.code, 0, describeRun(result));
        const { status, body } = await getJson(`${sandbox.url}/env`);
        assert.equal(status, 200, JSON.stringify(body));
        for (const [key, value] of Object.entries(trickyEnvironment)) {
            assert.equal(body[key], value, `${key}: the app saw ${JSON.stringify(body[key])}, expected ${JSON.stringify(value)}`);
        }
    });

    it("app-env.sh refuses a computed value with a control character instead of mangling it", async () => {
        for (const value of ["a\u001b[31m", "a\u0000b", "a\rb"]) {
            const file = path.join(sandbox.prefix, "bad-settings.json");
            await fs.writeFile(file, JSON.stringify({ environment: { GREETING: value }, secrets: {} }));
            const result = await run("bash", [path.join(bootDir, "app-env.sh"), file]);
            assert.equal(result.code, 1, `${JSON.stringify(value)}: ${describeRun(result)}`);
            assert.match(result.stderr, /GREETING contains a control character/);
            assert.equal(result.stdout, "", "nothing reaches the switch");
        }
    });

    it("runs npm ci (and its install scripts) as the app user, and leaves the release root's", async () => {
        const release = path.join(sandbox.appRoot, "releases", deployed[0].id);
        const appUid = (await run("id", ["-u", appUser])).stdout.trim();
        assert.equal((await fs.readFile(path.join(release, "preinstall-uid"), "utf8")).trim(), appUid, "the preinstall script did not run as the app user");
        for (const file of ["", "server.js", "node_modules", "preinstall-uid"]) {
            const stat = await fs.lstat(path.join(release, file));
            assert.equal(stat.uid, 0, `${file || "the release folder"} should be root's once installed`);
            assert.equal(stat.mode & 0o022, 0, `${file || "the release folder"} is writable by group or others: ${(stat.mode & 0o777).toString(8)}`);
        }
    });

    it("never writes through links planted in the app user's log folder; its own logs go to a root-only folder", async () => {
        assert.equal(await fs.readFile(canary, "utf8"), canaryText, "root wrote through a planted link");
        const switchLogs = path.join(sandbox.appRoot, "switch-logs");
        const dir = await fs.lstat(switchLogs);
        assert.ok(dir.isDirectory() && dir.uid === 0 && (dir.mode & 0o777) === 0o750, `switch-logs: uid ${dir.uid} mode ${(dir.mode & 0o777).toString(8)}`);
        assert.ok((await fs.readFile(path.join(switchLogs, `npm.${deployed[0].id}.log`), "utf8")).length > 0, "npm's log is missing");
    });

    it("makes release settings 0640 root:<app group> and prunes them with their release", async () => {
        for (const n of [2, 3]) {
            const result = await deploy(n);
            assert.equal(result.code, 0, describeRun(result));
        }
        assert.equal(await fs.readFile(canary, "utf8"), canaryText, "root wrote through a planted link");
        // Settings a queued deploy wrote after the one in use: no release yet, kept.
        const queued = path.join(settingsDir, `${createHash("sha256").update("queued").digest("hex")}.json`);
        await fs.writeFile(queued, settingsFor(4));
        const later = new Date(Date.now() + 5000);
        await fs.utimes(queued, later, later);
        const prune = await run("bash", [path.join(bootDir, "settings-files.sh"), settingsDir, path.join(sandbox.appRoot, "releases"), appUser, deployed[2].settings]);
        assert.equal(prune.code, 0, describeRun(prune));

        const releases = (await fs.readdir(path.join(sandbox.appRoot, "releases"))).filter((name) => !name.startsWith("."));
        assert.deepEqual(releases.sort(), [deployed[1].id, deployed[2].id].sort(), "the switch keeps the active and the previous release (--keep 2)");
        await assert.rejects(fs.stat(deployed[0].settings), { code: "ENOENT" }, "the pruned release's settings are still there");
        const appGid = Number((await run("id", ["-g", appUser])).stdout.trim());
        for (const settings of [...deployed.slice(1).map((release) => release.settings), queued]) {
            const stat = await fs.lstat(settings);
            assert.deepEqual([stat.uid, stat.gid, (stat.mode & 0o777).toString(8)], [0, appGid, "640"], settings);
        }
        const dir = await fs.lstat(settingsDir);
        assert.deepEqual([dir.uid, dir.gid, (dir.mode & 0o777).toString(8)], [0, appGid, "750"], "the settings folder");
    });
});
