import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { ConfigError } from "../../components/internal/errors";
import { packAppFolder } from "../../components/web-tier/release/release-archive";
import { splitTarPath } from "../../components/web-tier/release/tar-writer";

function write(root: string, files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), content);
    }
}

describe("WebTier release archive", () => {
    let scratch: string;
    let cache: string;
    const app = { "package.json": '{"main":"server.js"}', "server.js": "console.log(1)", "lib/a.js": "a", "lib/b.js": "b" };

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "webtier-archive-"));
        cache = path.join(scratch, "cache");
    });
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("gives the same hash for the same files, whatever their mtimes and creation order", () => {
        write(path.join(scratch, "one"), app);
        const reversed = Object.fromEntries(Object.entries(app).reverse());
        write(path.join(scratch, "two"), reversed);
        const past = new Date("2001-02-03T04:05:06Z");
        fs.utimesSync(path.join(scratch, "two", "server.js"), past, past);
        const first = packAppFolder(path.join(scratch, "one"), cache);
        const second = packAppFolder(path.join(scratch, "two"), cache);
        assert.match(first.sha256, /^[0-9a-f]{64}$/);
        assert.equal(second.sha256, first.sha256);
        assert.equal(path.basename(first.file), `${first.sha256}.tgz`);
    });

    it("changes the hash when a file's content or executable bit changes", () => {
        write(path.join(scratch, "app"), app);
        const before = packAppFolder(path.join(scratch, "app"), cache).sha256;
        fs.writeFileSync(path.join(scratch, "app", "lib", "a.js"), "a2");
        const edited = packAppFolder(path.join(scratch, "app"), cache).sha256;
        assert.notEqual(edited, before);
        fs.chmodSync(path.join(scratch, "app", "server.js"), 0o755);
        assert.notEqual(packAppFolder(path.join(scratch, "app"), cache).sha256, edited);
    });

    it("hashes the tar stream inside the gzip file (what the instance checks with gzip -dc | sha256sum)", () => {
        write(path.join(scratch, "app"), app);
        const archive = packAppFolder(path.join(scratch, "app"), cache);
        const tar = gunzipSync(fs.readFileSync(archive.file));
        assert.equal(createHash("sha256").update(tar).digest("hex"), archive.sha256);
    });

    it("leaves out node_modules, .git and .env files", () => {
        write(path.join(scratch, "app"), { ...app, "node_modules/x/index.js": "x", ".git/HEAD": "ref", ".env": "SECRET=1", ".env.local": "SECRET=2", "lib/.envrc.js": "kept" });
        const archive = packAppFolder(path.join(scratch, "app"), cache);
        assert.deepEqual(archive.files, ["lib/.envrc.js", "lib/a.js", "lib/b.js", "package.json", "server.js"]);
    });

    it("is a valid tar that system tar unpacks to the same files and modes", () => {
        write(path.join(scratch, "app"), { ...app, [`deep/${"d".repeat(90)}/${"f".repeat(60)}.js`]: "long path" });
        fs.chmodSync(path.join(scratch, "app", "server.js"), 0o755);
        const archive = packAppFolder(path.join(scratch, "app"), cache);
        const out = path.join(scratch, "out");
        fs.mkdirSync(out);
        execFileSync("tar", ["-xzf", archive.file, "-C", out]);
        for (const name of archive.files) {
            assert.equal(fs.readFileSync(path.join(out, name), "utf8"), fs.readFileSync(path.join(scratch, "app", name), "utf8"), name);
        }
        assert.equal(fs.statSync(path.join(out, "server.js")).mode & 0o777, 0o755);
        assert.equal(fs.statSync(path.join(out, "lib", "a.js")).mode & 0o111, 0);
        const listing = execFileSync("tar", ["-tvzf", archive.file, "--numeric-owner"]).toString();
        assert.match(listing, /0\/0/);
        assert.match(listing, /1970-01-01/);
    });

    it("refuses a symbolic link instead of following or dropping it", () => {
        write(path.join(scratch, "app"), app);
        fs.symlinkSync("/etc/passwd", path.join(scratch, "app", "passwd"));
        assert.throws(() => packAppFolder(path.join(scratch, "app"), cache), (error: unknown) => error instanceof ConfigError && error.setting === "app.path");
    });

    it("splits long paths at a slash into ustar's prefix and name, and refuses what cannot fit", () => {
        assert.deepEqual(splitTarPath("a/b.js"), { prefix: "", name: "a/b.js" });
        const long = `${"p".repeat(120)}/${"n".repeat(50)}`;
        assert.deepEqual(splitTarPath(long), { prefix: "p".repeat(120), name: "n".repeat(50) });
        assert.throws(() => splitTarPath("x".repeat(300)), /too long/);
    });
});
