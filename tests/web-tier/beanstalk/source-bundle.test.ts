import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { ConfigError } from "../../../components/internal/errors";
import { buildSourceBundle } from "../../../components/web-tier/beanstalk/source-bundle";
import { writeTar } from "../../../components/web-tier/release/tar-writer";

function write(root: string, files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), content);
    }
}

/** The zip's entries as the platform's unzip sees them: name -> text. */
function entriesOf(file: string): Record<string, string> {
    const raw = unzipSync(fs.readFileSync(file));
    return Object.fromEntries(Object.entries(raw).map(([name, data]) => [name, Buffer.from(data).toString("utf8")]));
}

function configError(run: () => unknown, setting: string): ConfigError {
    let caught: unknown;
    try {
        run();
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
    assert.equal(caught.setting, setting);
    return caught;
}

describe("WebTier beanstalk source bundle", () => {
    let scratch: string;
    let cache: string;
    const started = { "package.json": '{"name":"a","scripts":{"start":"node server.js"}}', "server.js": "require('./lib/a')", "lib/a.js": "a", "lib/deep/b.js": "b" };

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "beanstalk-bundle-"));
        cache = path.join(scratch, "cache");
    });
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("puts the folder's files at the zip root (package.json first level, no wrapping folder), sorted", () => {
        write(path.join(scratch, "app"), started);
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        const entries = entriesOf(bundle.file);
        assert.deepEqual(Object.keys(entries), ["lib/a.js", "lib/deep/b.js", "package.json", "server.js"]);
        assert.equal(entries["package.json"], started["package.json"]);
        assert.equal(entries["lib/deep/b.js"], "b");
        assert.deepEqual(bundle.files, Object.keys(entries));
        assert.equal(bundle.bytes, fs.statSync(bundle.file).size);
        assert.equal(bundle.sha256, createHash("sha256").update(fs.readFileSync(bundle.file)).digest("hex"));
    });

    it("writes no Procfile when package.json has scripts.start (the platform runs npm start)", () => {
        write(path.join(scratch, "app"), started);
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        assert.ok(!("Procfile" in entriesOf(bundle.file)));
        assert.equal(bundle.startCommand, "npm start");
        // Asking for npm start explicitly is the same bundle.
        assert.equal(buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache, startCommand: "npm start" }).label, bundle.label);
    });

    it("writes a Procfile from package.json main when there is no start script", () => {
        write(path.join(scratch, "app"), { "package.json": '{"main":"./lib/main.js"}', "lib/main.js": "listen()", "server.js": "not this one" });
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        assert.equal(entriesOf(bundle.file).Procfile, "web: node lib/main.js\n");
        assert.equal(bundle.startCommand, "node lib/main.js");
    });

    it("falls back to server.js when package.json has neither a start script nor main", () => {
        write(path.join(scratch, "app"), { "package.json": '{"name":"x"}', "server.js": "listen()", "app.js": "a module, not the server" });
        assert.equal(entriesOf(buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache }).file).Procfile, "web: node server.js\n");
    });

    it("writes the given start command to the Procfile, and refuses what the platform cannot run", () => {
        write(path.join(scratch, "app"), started);
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache, startCommand: "node --max-old-space-size=512 server.js" });
        assert.equal(entriesOf(bundle.file).Procfile, "web: node --max-old-space-size=512 server.js\n");
        configError(() => buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache, startCommand: "node server.js\nworker: node evil.js" }), "app.startCommand");
        configError(() => buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache, startCommand: "  " }), "app.startCommand");
        write(path.join(scratch, "nostart"), { "package.json": '{"main":"server.js"}', "server.js": "" });
        configError(() => buildSourceBundle(path.join(scratch, "nostart"), { cacheDir: cache, startCommand: "npm start" }), "app.startCommand");
    });

    it("keeps the folder's own Procfile, and refuses a start command that would replace it", () => {
        write(path.join(scratch, "app"), { ...started, Procfile: "web: node server.js --cluster\nworker: node lib/a.js\n" });
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        assert.equal(entriesOf(bundle.file).Procfile, "web: node server.js --cluster\nworker: node lib/a.js\n");
        assert.equal(bundle.startCommand, "node server.js --cluster");
        configError(() => buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache, startCommand: "node server.js" }), "app.startCommand");
    });

    it("refuses a folder without package.json or without a way to start", () => {
        write(path.join(scratch, "nopkg"), { "server.js": "" });
        configError(() => buildSourceBundle(path.join(scratch, "nopkg"), { cacheDir: cache }), "app.path");
        write(path.join(scratch, "nostart"), { "package.json": "{}", "index.js": "" });
        const error = configError(() => buildSourceBundle(path.join(scratch, "nostart"), { cacheDir: cache }), "app.path");
        assert.match(error.fix, /scripts|startCommand/);
        write(path.join(scratch, "missingmain"), { "package.json": '{"main":"dist/server.js"}' });
        configError(() => buildSourceBundle(path.join(scratch, "missingmain"), { cacheDir: cache }), "app.path");
        write(path.join(scratch, "quoted"), { "package.json": '{"main":"my server.js"}', "my server.js": "" });
        configError(() => buildSourceBundle(path.join(scratch, "quoted"), { cacheDir: cache }), "app.path");
    });

    it("gives identical bytes twice, and from a copy with other mtimes and creation order", () => {
        write(path.join(scratch, "one"), started);
        write(path.join(scratch, "two"), Object.fromEntries(Object.entries(started).reverse()));
        const past = new Date("2001-02-03T04:05:06Z");
        for (const name of Object.keys(started)) fs.utimesSync(path.join(scratch, "two", name), past, past);
        // Separate caches, so every zip is really built, not read back from the cache.
        const first = buildSourceBundle(path.join(scratch, "one"), { cacheDir: path.join(scratch, "c1") });
        const again = buildSourceBundle(path.join(scratch, "one"), { cacheDir: path.join(scratch, "c2") });
        const copy = buildSourceBundle(path.join(scratch, "two"), { cacheDir: path.join(scratch, "c3") });
        assert.ok(fs.readFileSync(again.file).equals(fs.readFileSync(first.file)));
        assert.ok(fs.readFileSync(copy.file).equals(fs.readFileSync(first.file)));
        assert.equal(copy.sha256, first.sha256);
        assert.equal(copy.label, first.label);
    });

    it("gives identical bytes in every time zone (zip times are local-time fields)", () => {
        write(path.join(scratch, "app"), started);
        const saved = process.env.TZ;
        try {
            process.env.TZ = "UTC";
            const utc = buildSourceBundle(path.join(scratch, "app"), { cacheDir: path.join(scratch, "c1") });
            // West of UTC, where 1980-01-01 UTC is still 1979 (before the first DOS date).
            process.env.TZ = "America/Los_Angeles";
            const west = buildSourceBundle(path.join(scratch, "app"), { cacheDir: path.join(scratch, "c2") });
            process.env.TZ = "Asia/Kolkata";
            const east = buildSourceBundle(path.join(scratch, "app"), { cacheDir: path.join(scratch, "c3") });
            assert.equal(west.sha256, utc.sha256);
            assert.equal(east.sha256, utc.sha256);
        } finally {
            if (saved === undefined) delete process.env.TZ;
            else process.env.TZ = saved;
        }
    });

    it("leaves out node_modules, .git and .env files, and refuses a symbolic link", () => {
        write(path.join(scratch, "app"), { ...started, "node_modules/x/index.js": "x", ".git/HEAD": "ref", ".env": "SECRET=1", ".env.production": "SECRET=2", "lib/node_modules/y.js": "y" });
        const names = Object.keys(entriesOf(buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache }).file));
        assert.deepEqual(names, ["lib/a.js", "lib/deep/b.js", "package.json", "server.js"]);
        fs.symlinkSync("/etc/passwd", path.join(scratch, "app", "lib", "passwd"));
        configError(() => buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache }), "app.path");
    });

    it("labels the version with the content hash: the canonical tar of the zip's entries, at most 100 characters", () => {
        write(path.join(scratch, "app"), { "package.json": '{"main":"server.js"}', "server.js": "listen()", "bin/run": "#!/bin/sh" });
        fs.chmodSync(path.join(scratch, "app", "bin", "run"), 0o755);
        const bundle = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        // Recomputed from what is inside the zip (Procfile included), not from the folder.
        const inside = unzipSync(fs.readFileSync(bundle.file));
        const tar = writeTar(Object.keys(inside).sort().map((name) => ({ path: name, data: Buffer.from(inside[name]), executable: name === "bin/run" })));
        assert.equal(bundle.label, createHash("sha256").update(tar).digest("hex"));
        assert.ok(bundle.label.length <= 100);
        assert.equal(path.basename(bundle.file), `beanstalk-${bundle.label}.zip`);

        fs.writeFileSync(path.join(scratch, "app", "server.js"), "listen(2)");
        const edited = buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache });
        assert.notEqual(edited.label, bundle.label);
        fs.chmodSync(path.join(scratch, "app", "bin", "run"), 0o644);
        assert.notEqual(buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache }).label, edited.label);
    });

    it("stores Unix modes 0644 and 0755 from the owner-executable bit", function () {
        try {
            execFileSync("which", ["zipinfo"], { stdio: "ignore" });
        } catch {
            if (process.env.CI === "true") throw new Error("zipinfo is not installed: apt-get install -y unzip");
            this.skip();
        }
        write(path.join(scratch, "app"), { "package.json": '{"scripts":{"start":"node s.js"}}', "s.js": "", "bin/run": "#!/bin/sh" });
        fs.chmodSync(path.join(scratch, "app", "bin", "run"), 0o775);
        fs.chmodSync(path.join(scratch, "app", "s.js"), 0o600);
        const listing = execFileSync("zipinfo", [buildSourceBundle(path.join(scratch, "app"), { cacheDir: cache }).file], { encoding: "utf8" });
        assert.match(listing, /^-rwxr-xr-x .* bin\/run$/m);
        assert.match(listing, /^-rw-r--r-- .* s\.js$/m);
        assert.match(listing, /^-rw-r--r-- .* 80-Jan-01 12:00 package\.json$/m);
    });
});
