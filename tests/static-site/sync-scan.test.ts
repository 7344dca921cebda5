import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../components/internal/errors";
import { scanFolder } from "../../components/static-site/sync";
import { absolutePathMaker } from "../../components/static-site/sync/scan-folder";

/** Write `files` (relative path → content) under a new temporary folder. */
async function makeFolder(files: Record<string, string | Buffer>): Promise<string> {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-scan-"));
    for (const [relative, content] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(folder, relative)), { recursive: true });
        await fs.writeFile(path.join(folder, relative), content);
    }
    return folder;
}

describe("scanFolder", () => {
    const folders: string[] = [];
    const folder = async (files: Record<string, string | Buffer>) => {
        const made = await makeFolder(files);
        folders.push(made);
        return made;
    };
    after(async () => {
        for (const made of folders) await fs.rm(made, { recursive: true, force: true });
    });

    it("lists files with /-paths, sha256, size and headers, in a stable order", async () => {
        const big = Buffer.alloc(3 * 1024 * 1024, 7); // above the read-whole limit: hashed as a stream
        const root = await folder({ "index.html": "<h1>hi</h1>", "b/c/d.css": "a{}", "a.txt": "", "big.bin": big });
        const release = await scanFolder({ folder: root });
        assert.deepEqual(release.files.map((f) => f.path), ["a.txt", "b/c/d.css", "big.bin", "index.html"]);
        const index = release.files.find((f) => f.path === "index.html")!;
        assert.equal(index.sha256, createHash("sha256").update("<h1>hi</h1>").digest("hex"));
        assert.equal(index.size, 11);
        assert.equal(index.contentType, "text/html; charset=utf-8");
        assert.equal(index.absolutePath, path.join(root, "index.html"));
        const bigFile = release.files.find((f) => f.path === "big.bin")!;
        assert.equal(bigFile.sha256, createHash("sha256").update(big).digest("hex"));
        assert.equal(release.totalBytes, 11 + 3 + 0 + big.length);
        assert.equal(release.fileCount, 4);
        assert.equal((await scanFolder({ folder: root, readConcurrency: 1 })).digest, release.digest);
    });

    it("builds each file's absolute path as path.join would, whatever form the folder is given in", () => {
        const folders = ["/", "/srv/site", "/srv/site/", "dist", "dist/", "./dist", ".", "./", "a/../dist", "../out/site", "/srv//site/./", "a/../..", "~"];
        for (const folder of folders) {
            const absolutePathOf = absolutePathMaker(folder);
            for (const relative of ["index.html", "assets/js/app.3f9a1c2b.js", "a b/ü.txt"]) {
                assert.equal(absolutePathOf(relative), path.join(folder, ...relative.split("/")), `${folder} + ${relative}`);
            }
        }
    });

    it("skips dotfiles and dot-directories by default but publishes .well-known/", async () => {
        const root = await folder({
            "index.html": "x",
            ".DS_Store": "x",
            "assets/.DS_Store": "x",
            ".git/config": "x",
            ".env": "SECRET=1",
            "a/.hidden/b.txt": "x",
            ".well-known/security.txt": "Contact: mailto:security@example.com",
        });
        const release = await scanFolder({ folder: root });
        assert.deepEqual(release.files.map((f) => f.path), [".well-known/security.txt", "index.html"]);
        const everything = await scanFolder({ folder: root, includeDotfiles: true });
        assert.equal(everything.fileCount, 7);
    });

    it("leaves out exclude globs on top of dotfiles", async () => {
        const root = await folder({ "index.html": "x", "app.js.map": "x", "assets/a.js.map": "x", "drafts/x.html": "x", ".env": "x" });
        const release = await scanFolder({ folder: root, exclude: ["*.map", "drafts/**"] });
        assert.deepEqual(release.files.map((f) => f.path), ["index.html"]);
    });

    it("follows symbolic links to files and skips links to directories", async () => {
        const root = await folder({ "real/page.html": "x", "outside.txt": "y" });
        await fs.symlink(path.join(root, "outside.txt"), path.join(root, "real", "linked.txt"));
        await fs.symlink(path.join(root, "real"), path.join(root, "real", "loop"));
        const release = await scanFolder({ folder: root });
        assert.deepEqual(release.files.map((f) => f.path), ["outside.txt", "real/linked.txt", "real/page.html"]);
    });

    it("reports a missing folder and the reserved .webstack/ directory as ConfigErrors", async () => {
        await assert.rejects(scanFolder({ folder: path.join(os.tmpdir(), "no-such-webstack-folder") }), (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(error.setting, "folder");
            return true;
        });
        const root = await folder({ "index.html": "x", ".webstack/manifest.json.gz": "x" });
        await assert.rejects(scanFolder({ folder: root, includeDotfiles: true }), /reserved/);
        assert.equal((await scanFolder({ folder: root, includeDotfiles: true, exclude: [".webstack/**"] })).fileCount, 1);
    });

    // issue 11 item 6: such a name used to pass the scan and then wedge every later sync in the manifest decoder.
    for (const [label, name] of [["a newline", "bad\nname.html"], ["a tab", "tab\there.css"], ["DEL", "del\x7f.js"], ["an escape", "esc\x1b.txt"]]) {
        it(`refuses a file name with ${label} at scan time, naming the file`, async () => {
            const root = await folder({ "index.html": "x", [`sub/${name}`]: "x" });
            await assert.rejects(scanFolder({ folder: root }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, String(error));
                assert.equal(error.setting, "folder");
                assert.equal(error.value, `sub/${name}`);
                assert.match(error.message, /control character/);
                // Named escaped, so a log line shows it whole.
                assert.ok(error.message.includes("sub/") && ![...error.message].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), error.message);
                return true;
            });
        });
    }

    it("refuses a directory name with a control character, naming it", async () => {
        const root = await folder({ "index.html": "x", "we\nird/page.html": "x" });
        await assert.rejects(scanFolder({ folder: root }), (error: unknown) => error instanceof ConfigError && error.value === "we\nird/page.html");
    });

    it("hashes 2,000 files with bounded concurrency", async () => {
        const files: Record<string, string> = {};
        for (let i = 0; i < 2000; i++) files[`d${i % 20}/f${i}.txt`] = `file ${i}`;
        const root = await folder(files);
        const release = await scanFolder({ folder: root });
        assert.equal(release.fileCount, 2000);
    });
});
