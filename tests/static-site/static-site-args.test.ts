import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveStaticSiteArgs, StaticSite, StaticSiteArgs } from "../../components/static-site";
import { ConfigError } from "../../components/internal/errors";
import { Harness } from "../../components/testing";
import { siteFolder, typicalSite } from "./static-site-fixtures";

/** Each bad input, the arg its error must name, and a word its message must contain. */
function badInputs(): [string, () => StaticSiteArgs, string, RegExp][] {
    const site = typicalSite();
    const domain = { domainName: "example.com", certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", hostedZoneId: "Z1" };
    return [
        ["no path", () => ({}) as StaticSiteArgs, "path", /needs the folder/],
        ["a missing folder", () => ({ path: path.join(site, "no-such-dir") }), "path", /does not exist/],
        ["a file instead of a folder", () => ({ path: path.join(site, "index.html") }), "path", /not a folder/],
        ["an empty folder", () => ({ path: siteFolder({}) }), "path", /empty/],
        ["a folder without index.html", () => ({ path: siteFolder({ "about.html": "x", "404.html": "x" }) }), "path", /index\.html/],
        ["static mode without its 404 page", () => ({ path: siteFolder({ "index.html": "x" }) }), "notFoundPage", /does not exist/],
        ["an unknown hosting", () => ({ path: site, hosting: "netlify" as never }), "hosting", /not one of/],
        ["an unknown mode", () => ({ path: site, mode: "ssr" as never }), "mode", /not one of/],
        ["a bad cache rule", () => ({ path: site, cacheRules: [{ glob: "*.js", cacheControl: "" }] }), "cacheRules[0].cacheControl", /empty/],
        ["a cache rule without glob", () => ({ path: site, cacheRules: [{ cacheControl: "no-store" } as never] }), "cacheRules[0].glob", /no glob/],
        ["an unknown price class", () => ({ path: site, priceClass: "PriceClass_50" as never }), "priceClass", /not one of/],
        ["negative error caching", () => ({ path: site, errorCachingSeconds: -1 }), "errorCachingSeconds", /whole number/],
        ["a 404 page outside the folder", () => ({ path: site, notFoundPage: "../secret.html" }), "notFoundPage", /relative/],
        ["a custom domain on s3-website", () => ({ path: site, hosting: "s3-website", domain }), "domain", /HTTPS/],
        ["a www redirect on s3-website", () => ({ path: site, hosting: "s3-website", wwwRedirect: "www-to-apex" }), "wwwRedirect", /CloudFront/],
        ["a www redirect without both names", () => ({ path: site, domain, wwwRedirect: "www-to-apex" }), "wwwRedirect", /www\. twin/],
        ["a build without command", () => ({ path: site, build: { command: " " } }), "build.command", /no command/],
        ["an invalidation threshold of 0", () => ({ path: site, invalidationThreshold: 0 }), "invalidationThreshold", /whole number/],
    ];
}

describe("StaticSite bad input", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
    });

    for (const [label, args, setting, message] of badInputs()) {
        it(`rejects ${label}, naming ${setting}, before registering any resource`, async () => {
            const before = harness.resources.length;
            assert.throws(
                () => new StaticSite(`bad-${setting.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-$/, "")}`, args()),
                (error: unknown) => error instanceof ConfigError && error.setting === setting && message.test(error.message),
            );
            await harness.settled();
            assert.equal(harness.resources.length, before);
        });
    }

    it("rejects a failing build, naming build.command, before registering any resource", async () => {
        const before = harness.resources.length;
        const folder = siteFolder({});
        assert.throws(
            () => new StaticSite("bad-build", { path: path.join(folder, "dist"), build: { command: "exit 3", cwd: folder } }),
            (error: unknown) => error instanceof ConfigError && error.setting === "build.command" && /status 3/.test(error.message),
        );
        await harness.settled();
        assert.equal(harness.resources.length, before);
    });

    it("runs the build before checking the folder, with its cwd and environment", async () => {
        const folder = siteFolder({});
        const site = new StaticSite("built", {
            path: path.join(folder, "dist"),
            mode: "spa",
            build: { command: 'mkdir -p dist && echo "$GREETING" > dist/index.html', cwd: folder, environment: { GREETING: "hello" } },
        });
        assert.ok(site);
        assert.equal(fs.readFileSync(path.join(folder, "dist", "index.html"), "utf8"), "hello\n");
        await harness.settled();
    });

    it("fills in the defaults without creating anything", () => {
        const resolved = resolveStaticSiteArgs({ path: typicalSite() });
        assert.deepEqual(
            [resolved.hosting, resolved.mode, resolved.priceClass, resolved.errorCachingSeconds, resolved.notFoundPage, resolved.keepPreviousAssets, resolved.invalidationThreshold],
            ["cloudfront", "static", "PriceClass_100", 10, "404.html", true, 25],
        );
        assert.ok(path.isAbsolute(resolved.folder));
    });

    it("builds the www redirect table from lower-case names, as the function compares them", () => {
        const mixedCase = { domainName: "Shop.Example.com", aliases: ["WWW.Shop.Example.com"], certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", hostedZoneId: "Z1" };
        const resolved = resolveStaticSiteArgs({ path: typicalSite(), domain: mixedCase, wwwRedirect: "www-to-apex" });
        assert.deepEqual(resolved.redirects, { "www.shop.example.com": "shop.example.com" });
    });
});
