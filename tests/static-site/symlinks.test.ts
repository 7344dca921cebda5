import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StaticSite } from "../../components/static-site";
import { scanFolder } from "../../components/static-site/sync";
import { ConfigError } from "../../components/internal/errors";
import { Harness, valueOf } from "../../components/testing";

/**
 * A temporary tree: `site/` (the folder to publish) next to `outside/`,
 * which holds a secret the site must never publish.
 */
function tree(): { root: string; site: string; secret: string } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-links-"));
    const site = path.join(root, "site");
    fs.mkdirSync(path.join(site, "pages"), { recursive: true });
    fs.mkdirSync(path.join(root, "outside"));
    fs.writeFileSync(path.join(site, "index.html"), "<h1>home</h1>");
    fs.writeFileSync(path.join(site, "404.html"), "<h1>missing</h1>");
    fs.writeFileSync(path.join(site, "pages", "about.html"), "<h1>about</h1>");
    const secret = path.join(root, "outside", "credentials");
    fs.writeFileSync(secret, "aws_secret_access_key=SECRET");
    return { root, site, secret };
}

/** A ConfigError on `setting` whose message names the link. */
function namesLink(setting: string, link: string) {
    return (error: unknown) => error instanceof ConfigError && error.setting === setting && error.message.includes(link) && /outside the folder/.test(error.message);
}

describe("symbolic links in a site folder", () => {
    const roots: string[] = [];
    const make = () => {
        const made = tree();
        roots.push(made.root);
        return made;
    };
    after(() => {
        for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
    });

    describe("the sync's folder scan", () => {
        it("refuses a link to a file outside the folder, naming the link", async () => {
            const { site } = make();
            fs.symlinkSync("../outside/credentials", path.join(site, "credentials.txt"));
            await assert.rejects(scanFolder({ folder: site }), namesLink("folder", "credentials.txt"));
        });

        it("refuses a nested link given as an absolute path, and a link to a directory outside", async () => {
            const first = make();
            fs.symlinkSync(first.secret, path.join(first.site, "pages", "keys.txt"));
            await assert.rejects(scanFolder({ folder: first.site }), namesLink("folder", "pages/keys.txt"));
            const second = make();
            fs.symlinkSync("../outside", path.join(second.site, "data"));
            await assert.rejects(scanFolder({ folder: second.site }), namesLink("folder", "data"));
        });

        it("refuses a dangling link whose text leads outside (it would publish the file once it exists)", async () => {
            const { site } = make();
            fs.symlinkSync("../outside/not-yet", path.join(site, "later.txt"));
            await assert.rejects(scanFolder({ folder: site }), namesLink("folder", "later.txt"));
        });

        it("keeps publishing links that stay inside the folder, with their target's bytes", async () => {
            const { site } = make();
            fs.symlinkSync("pages/about.html", path.join(site, "about.html"));
            fs.symlinkSync(path.join(site, "pages"), path.join(site, "docs")); // a directory link inside: skipped, as before
            const release = await scanFolder({ folder: site });
            assert.deepEqual(release.files.map((f) => f.path), ["404.html", "about.html", "index.html", "pages/about.html"]);
            const [link, target] = ["about.html", "pages/about.html"].map((p) => release.files.find((f) => f.path === p)!);
            assert.equal(link.sha256, target.sha256);
        });

        it("judges a folder that is itself a link by where its files are", async () => {
            const { root, site } = make();
            fs.symlinkSync("pages/about.html", path.join(site, "about.html"));
            const alias = path.join(root, "dist");
            fs.symlinkSync(site, alias);
            assert.equal((await scanFolder({ folder: alias })).fileCount, 4);
        });

        it("leaves alone a link that is not published (a dotfile)", async () => {
            const { site } = make();
            fs.symlinkSync("../outside/credentials", path.join(site, ".env"));
            assert.equal((await scanFolder({ folder: site })).fileCount, 3);
            await assert.rejects(scanFolder({ folder: site, includeDotfiles: true }), namesLink("folder", ".env"));
        });
    });

    describe("StaticSite at plan time", () => {
        let harness: Harness;
        before(async () => {
            harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        });

        it("refuses a link out of the folder before registering any resource", async () => {
            const { site } = make();
            fs.symlinkSync("../outside/credentials", path.join(site, "credentials.txt"));
            const before = harness.resources.length;
            assert.throws(() => new StaticSite("leaky", { path: site }), namesLink("path", "credentials.txt"));
            await harness.settled();
            assert.equal(harness.resources.length, before);
        });

        it("refuses it after a build too, before registering any resource", async () => {
            const { root } = make();
            const before = harness.resources.length;
            assert.throws(
                () =>
                    new StaticSite("built-leaky", {
                        path: path.join(root, "dist"),
                        mode: "spa",
                        build: { command: "mkdir -p dist && echo hi > dist/index.html && ln -s ../outside/credentials dist/credentials.txt", cwd: root },
                    }),
                namesLink("path", "credentials.txt"),
            );
            await harness.settled();
            assert.equal(harness.resources.length, before);
        });

        it("accepts a folder whose links stay inside", async () => {
            const { site } = make();
            fs.symlinkSync("pages/about.html", path.join(site, "about.html"));
            const published = new StaticSite("linked", { path: site });
            assert.equal(await valueOf(published.fileCount), 4);
        });
    });
});
