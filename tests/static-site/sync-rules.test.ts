import assert from "node:assert/strict";
import { S3Client } from "@aws-sdk/client-s3";
import { ConfigError } from "../../components/internal/errors";
import {
    contentTypeFor,
    createFingerprintDetector,
    IMMUTABLE_CACHE_CONTROL,
    normalizePrefix,
    resolveReleaseRules,
    resolveSyncOptions,
    REVALIDATE_CACHE_CONTROL,
    validateCacheRules,
} from "../../components/static-site/sync";

/** Assert that `run` throws a ConfigError for `setting` whose message matches `problem`. */
function assertConfigError(run: () => unknown, setting: string, problem?: RegExp): void {
    assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        assert.equal(error.setting, setting);
        assert.match(error.message, new RegExp(`^Invalid ${setting.replace(/[[\].]/g, "\\$&")} = `));
        if (problem) assert.match(error.message, problem);
        assert.match(error.message, /Fix: /);
        return true;
    });
}

describe("sync rules", () => {
    describe("Content-Type", () => {
        it("comes from the extension, with a charset for text", () => {
            assert.equal(contentTypeFor("index.html"), "text/html; charset=utf-8");
            assert.equal(contentTypeFor("docs/index.htm"), "text/html; charset=utf-8");
            assert.equal(contentTypeFor("assets/app.3f9a1c2b.js"), "text/javascript; charset=utf-8");
            assert.equal(contentTypeFor("assets/style.3f9a1c2b.css"), "text/css; charset=utf-8");
            assert.equal(contentTypeFor("data/feed.json"), "application/json; charset=utf-8");
            assert.equal(contentTypeFor("img/logo.png"), "image/png");
            assert.equal(contentTypeFor("img/logo.svg"), "image/svg+xml");
            assert.equal(contentTypeFor("fonts/a.woff2"), "font/woff2");
        });

        it("falls back to application/octet-stream", () => {
            assert.equal(contentTypeFor("LICENSE"), "application/octet-stream");
            assert.equal(contentTypeFor("a/b.unknownext"), "application/octet-stream");
        });
    });

    describe("fingerprint detection", () => {
        const fingerprinted = createFingerprintDetector();

        it("recognizes a dot-delimited hex hash of 8+ digits", () => {
            assert.ok(fingerprinted("assets/app.3f9a1c2b.js"));
            assert.ok(fingerprinted("static/js/main.3f9a1c2b4d5e6f70.chunk.js"));
            assert.ok(fingerprinted("logo.0123456789abcdef.png"));
        });

        it("rejects names without one, and HTML whatever its name", () => {
            assert.ok(!fingerprinted("assets/app.js"));
            assert.ok(!fingerprinted("assets/app.3f9a1c2.js"), "7 digits");
            assert.ok(!fingerprinted("assets/app.3F9A1C2B.js"), "upper case");
            assert.ok(!fingerprinted("jquery-3.6.0.min.js"));
            assert.ok(!fingerprinted("report.20240101.html"));
            assert.ok(!fingerprinted("3f9a1c2b/app.js"), "only the file name counts");
        });

        it("is replaced by globs when given", () => {
            const byGlob = createFingerprintDetector("assets/**");
            assert.ok(byGlob("assets/index-BXk3d8Jt.js"));
            assert.ok(!byGlob("app.3f9a1c2b.js"));
        });
    });

    describe("Cache-Control", () => {
        it("defaults: fingerprinted immutable for a year, everything else revalidates", () => {
            const { headersFor } = resolveReleaseRules({});
            assert.equal(headersFor("assets/app.3f9a1c2b.js").cacheControl, IMMUTABLE_CACHE_CONTROL);
            assert.equal(IMMUTABLE_CACHE_CONTROL, "public, max-age=31536000, immutable");
            assert.equal(headersFor("index.html").cacheControl, REVALIDATE_CACHE_CONTROL);
            assert.equal(REVALIDATE_CACHE_CONTROL, "public, max-age=0, must-revalidate");
            assert.equal(headersFor("favicon.ico").cacheControl, REVALIDATE_CACHE_CONTROL);
        });

        it("user rules come first and the first match wins", () => {
            const { headersFor } = resolveReleaseRules({
                cacheRules: [
                    { glob: "*.pdf", cacheControl: "public, max-age=3600" },
                    { glob: ["downloads/**", "*.zip"], cacheControl: "public, max-age=60" },
                    { glob: "**", cacheControl: "never reached for pdf" },
                ],
            });
            assert.equal(headersFor("docs/guide.pdf").cacheControl, "public, max-age=3600", "a glob without / matches in any directory");
            assert.equal(headersFor("downloads/guide.pdf").cacheControl, "public, max-age=3600");
            assert.equal(headersFor("downloads/app.exe").cacheControl, "public, max-age=60");
            assert.equal(headersFor("a/b/c.zip").cacheControl, "public, max-age=60");
            assert.equal(headersFor("assets/app.3f9a1c2b.js").cacheControl, "never reached for pdf");
        });

        it("matches dotfiles like other files", () => {
            const { headersFor } = resolveReleaseRules({
                cacheRules: [{ glob: ".well-known/**", cacheControl: "public, max-age=300" }],
            });
            assert.equal(headersFor(".well-known/security.txt").cacheControl, "public, max-age=300");
        });
    });

    describe("validateCacheRules", () => {
        it("accepts good rules and no rules", () => {
            assert.deepEqual(validateCacheRules(undefined), []);
            const rules = [{ glob: "a/**", cacheControl: "no-store" }];
            assert.deepEqual(validateCacheRules(rules), rules);
        });

        it("names the rule and field that is wrong", () => {
            assertConfigError(() => validateCacheRules({ glob: "a" }), "cacheRules", /must be a list/);
            assertConfigError(() => validateCacheRules(["a/**"]), "cacheRules[0]", /must be an object/);
            assertConfigError(
                () => validateCacheRules([{ glob: "a/**", cacheControl: "x" }, { glob: "", cacheControl: "no-store" }]),
                "cacheRules[1].glob",
                /empty/,
            );
            assertConfigError(() => validateCacheRules([{ glob: "  ", cacheControl: "no-store" }]), "cacheRules[0].glob", /empty/);
            assertConfigError(() => validateCacheRules([{ cacheControl: "no-store" }]), "cacheRules[0].glob", /no glob/);
            assertConfigError(() => validateCacheRules([{ glob: [], cacheControl: "no-store" }]), "cacheRules[0].glob", /empty/);
            assertConfigError(() => validateCacheRules([{ glob: ["a/**", 3], cacheControl: "no-store" }]), "cacheRules[0].glob[1]", /string/);
            assertConfigError(() => validateCacheRules([{ glob: "/assets/**", cacheControl: "no-store" }]), "cacheRules[0].glob", /leading slash/);
            assertConfigError(() => validateCacheRules([{ glob: "a/**", cacheControl: 3600 }]), "cacheRules[0].cacheControl", /must be a string/);
            assertConfigError(() => validateCacheRules([{ glob: "a/**", cacheControl: "" }]), "cacheRules[0].cacheControl", /empty/);
            assertConfigError(
                () => validateCacheRules([{ glob: "a/**", cacheControl: "public,\nmax-age=1" }]),
                "cacheRules[0].cacheControl",
                /control character/,
            );
        });

        it("uses the setting name the caller exposes the rules under", () => {
            assertConfigError(() => validateCacheRules([{ glob: "" }], "site.cacheRules"), "site.cacheRules[0].glob");
        });
    });

    describe("resolveSyncOptions", () => {
        const base = { client: {} as S3Client, bucket: "site-bucket", folder: "dist" };

        it("fills in the defaults", () => {
            const resolved = resolveSyncOptions(base);
            assert.equal(resolved.prefix, "");
            assert.equal(resolved.concurrency, 16);
            assert.equal(resolved.keepPreviousAssets, true);
            assert.equal(resolved.invalidationThreshold, 15);
            assert.equal(resolved.dryRun, false);
        });

        it("normalizes the prefix and rejects prefixes that escape it", () => {
            assert.equal(normalizePrefix("site"), "site/");
            assert.equal(normalizePrefix("sites/www/"), "sites/www/");
            assertConfigError(() => normalizePrefix("/site"), "prefix", /leading slash/);
            assertConfigError(() => normalizePrefix("a/../b"), "prefix");
            assertConfigError(() => normalizePrefix("a//b"), "prefix");
            assertConfigError(() => normalizePrefix(3), "prefix", /string/);
        });

        it("rejects bad numbers, globs and names before any I/O", () => {
            assertConfigError(() => resolveSyncOptions({ ...base, concurrency: 0 }), "concurrency", /at least 1/);
            assertConfigError(() => resolveSyncOptions({ ...base, concurrency: 2.5 }), "concurrency");
            assertConfigError(() => resolveSyncOptions({ ...base, invalidationThreshold: -1 }), "invalidationThreshold");
            assertConfigError(() => resolveSyncOptions({ ...base, exclude: [""] }), "exclude[0]", /empty/);
            assertConfigError(() => resolveSyncOptions({ ...base, fingerprint: [] }), "fingerprint", /empty/);
            assertConfigError(() => resolveSyncOptions({ ...base, bucket: "" }), "bucket");
            assertConfigError(() => resolveSyncOptions({ ...base, folder: "" }), "folder");
            assertConfigError(
                () => resolveSyncOptions({ ...base, cacheRules: [{ glob: "x", cacheControl: 1 as unknown as string }] }),
                "cacheRules[0].cacheControl",
            );
        });
    });
});
