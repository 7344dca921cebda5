import assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import {
    emptyManifest,
    FileEntry,
    IMMUTABLE_CACHE_CONTROL,
    Manifest,
    planSync,
    REVALIDATE_CACHE_CONTROL,
} from "../../components/static-site/sync";

/** A local file as planSync sees it; the hash is made up from `bytes`. */
function file(path: string, bytes = path, headers: Partial<FileEntry> = {}): FileEntry {
    const immutable = /\.[0-9a-f]{8,}\./.test(path);
    return {
        path,
        sha256: `sha-of-${bytes}`,
        size: bytes.length,
        contentType: path.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream",
        cacheControl: immutable ? IMMUTABLE_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL,
        ...headers,
    };
}

/** The manifest a successful sync of `files` leaves behind. */
function manifestOf(files: FileEntry[], extra: Partial<Manifest> = {}): Manifest {
    return { ...planSync(files, undefined).manifest, ...extra };
}

const paths = (uploads: { file: FileEntry }[]) => uploads.map((u) => u.file.path);

describe("planSync's manifest", () => {
    it("is built on first read (a sync reads it after the last upload), then the same object, and listed like any field", () => {
        const files = [file("index.html"), file("assets/app.3f9a1c2b.js", "v1")];
        const plan = planSync(files, undefined);
        const first = plan.manifest;
        assert.equal(plan.manifest, first, "built once");
        assert.deepEqual(Object.keys(first.files), ["index.html", "assets/app.3f9a1c2b.js"]);
        assert.deepEqual(first.files["assets/app.3f9a1c2b.js"], {
            sha256: "sha-of-v1",
            size: 2,
            contentType: "application/octet-stream",
            cacheControl: IMMUTABLE_CACHE_CONTROL,
        });
        assert.ok(Object.keys(plan).includes("manifest"));
        assert.deepEqual({ ...plan }.manifest, first);
        // The previous release's fingerprinted assets it keeps are in it too.
        const next = planSync([file("index.html", "v2")], first);
        assert.deepEqual(Object.keys(next.manifest.retained), ["assets/app.3f9a1c2b.js"]);
    });
});

describe("planSync (pure)", () => {
    const release1 = [file("index.html"), file("about.html"), file("assets/app.3f9a1c2b.js"), file("robots.txt")];

    it("uploads everything on the first sync, assets before HTML", () => {
        const plan = planSync(release1, undefined);
        assert.deepEqual(paths(plan.uploads), ["assets/app.3f9a1c2b.js", "robots.txt", "index.html", "about.html"]);
        assert.ok(plan.uploads.every((u) => u.reason === "new"));
        assert.deepEqual(plan.deletes, []);
        assert.equal(plan.unchanged, 0);
        assert.equal(plan.changesBucket, true);
        assert.equal(plan.fileCount, 4);
        assert.equal(plan.totalBytes, release1.reduce((n, f) => n + f.size, 0));
    });

    it("plans nothing when nothing changed, and says the bucket needs no write", () => {
        const plan = planSync(release1, manifestOf(release1));
        assert.deepEqual(plan.uploads, []);
        assert.deepEqual(plan.deletes, []);
        assert.equal(plan.unchanged, 4);
        assert.equal(plan.changesBucket, false);
        assert.equal(plan.pendingManifest, undefined);
    });

    it("uploads only the file whose bytes changed", () => {
        const release2 = release1.map((f) => (f.path === "about.html" ? file("about.html", "new words") : f));
        const plan = planSync(release2, manifestOf(release1));
        assert.deepEqual(paths(plan.uploads), ["about.html"]);
        assert.equal(plan.uploads[0].reason, "changed");
        assert.equal(plan.unchanged, 3);
    });

    it("re-uploads a file whose bytes are the same but whose headers changed", () => {
        const release2 = release1.map((f) =>
            f.path === "robots.txt" ? { ...f, cacheControl: "public, max-age=3600" } : f,
        );
        const plan = planSync(release2, manifestOf(release1));
        assert.deepEqual(paths(plan.uploads), ["robots.txt"]);
        assert.equal(plan.uploads[0].reason, "headers");
    });

    it("deletes files gone from the build, and only keys the manifest lists", () => {
        const release2 = release1.filter((f) => f.path !== "about.html");
        const plan = planSync(release2, manifestOf(release1));
        assert.deepEqual(plan.deletes.map((d) => d.path), ["about.html"]);
        assert.deepEqual(plan.uploads, []);
        assert.equal(plan.changesBucket, true);
    });

    it("deletes nothing when there is no previous manifest", () => {
        assert.deepEqual(planSync([file("index.html")], undefined).deletes, []);
    });

    describe("keepPreviousAssets", () => {
        const release2 = [file("index.html", "v2"), file("assets/app.4e5d6c7b.js")];

        it("keeps the replaced release's fingerprinted files by default, deletes the rest", () => {
            const plan = planSync(release2, manifestOf(release1));
            assert.deepEqual(plan.retained, ["assets/app.3f9a1c2b.js"]);
            assert.deepEqual(plan.deletes.map((d) => d.path), ["about.html", "robots.txt"]);
            assert.deepEqual(Object.keys(plan.manifest.retained), ["assets/app.3f9a1c2b.js"]);
        });

        it("deletes them when the option is off", () => {
            const plan = planSync(release2, manifestOf(release1), { keepPreviousAssets: false });
            assert.deepEqual(plan.retained, []);
            assert.ok(plan.deletes.some((d) => d.path === "assets/app.3f9a1c2b.js"));
        });

        it("deletes a kept asset with the release after next", () => {
            const afterRelease2 = planSync(release2, manifestOf(release1)).manifest;
            const release3 = [file("index.html", "v3"), file("assets/app.5a5a5a5a.js")];
            const plan = planSync(release3, afterRelease2);
            assert.deepEqual(plan.retained, ["assets/app.4e5d6c7b.js"]);
            assert.ok(plan.deletes.some((d) => d.path === "assets/app.3f9a1c2b.js"));
        });

        it("keeps them across a re-sync that changes nothing (no new release)", () => {
            const afterRelease2 = planSync(release2, manifestOf(release1)).manifest;
            const plan = planSync(release2, afterRelease2);
            assert.deepEqual(plan.retained, ["assets/app.3f9a1c2b.js"]);
            assert.deepEqual(plan.deletes, []);
            assert.equal(plan.changesBucket, false);
        });

        it("uploads nothing when rolling back to the release whose assets are kept", () => {
            const afterRelease2 = planSync(release2, manifestOf(release1)).manifest;
            const rollback = [file("index.html", "v2 but pointing at the old app"), file("assets/app.3f9a1c2b.js")];
            const plan = planSync(rollback, afterRelease2);
            assert.deepEqual(paths(plan.uploads), ["index.html"]);
            assert.deepEqual(plan.retained, ["assets/app.4e5d6c7b.js"]);
        });

        it("uses the isFingerprinted option to decide what is kept", () => {
            const plan = planSync(release2, manifestOf(release1), { isFingerprinted: (p) => p === "robots.txt" });
            assert.deepEqual(plan.retained, ["robots.txt"]);
        });
    });

    describe("a sync that died half-way (manifest with in-flight paths)", () => {
        it("records every path about to be uploaded before uploading", () => {
            const plan = planSync([...release1, file("new.html")], manifestOf(release1));
            assert.deepEqual(plan.pendingManifest?.inFlight, ["new.html"]);
            assert.deepEqual(plan.pendingManifest?.files, manifestOf(release1).files);
        });

        it("re-uploads in-flight paths even when the local bytes match the old manifest (rollback)", () => {
            const interrupted = manifestOf(release1, { inFlight: ["about.html"] });
            const plan = planSync(release1, interrupted);
            assert.deepEqual(paths(plan.uploads), ["about.html"]);
            assert.equal(plan.uploads[0].reason, "unconfirmed");
            assert.deepEqual(plan.manifest.inFlight, []);
        });

        it("deletes in-flight paths the build no longer has: they are ours", () => {
            const interrupted = manifestOf(release1, { inFlight: ["half-uploaded.html"] });
            const plan = planSync(release1, interrupted);
            assert.deepEqual(plan.deletes, [{ path: "half-uploaded.html" }]);
            assert.equal(plan.changesBucket, true);
        });
    });

    it("refuses an empty folder that would delete the live site, unless allowEmpty", () => {
        assert.throws(() => planSync([], manifestOf(release1)), (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(error.setting, "folder");
            assert.match(error.message, /delete all 4 files/);
            return true;
        });
        const emptied = planSync([], manifestOf(release1), { allowEmpty: true, keepPreviousAssets: false });
        assert.equal(emptied.deletes.length, 4);
        assert.doesNotThrow(() => planSync([], undefined));
    });

    it("gives the same digest for the same release, whatever the order, and a new one for any change", () => {
        const digest = planSync(release1, undefined).digest;
        assert.equal(planSync([...release1].reverse(), emptyManifest()).digest, digest);
        const retitled = release1.map((f) => (f.path === "robots.txt" ? { ...f, contentType: "text/plain" } : f));
        assert.notEqual(planSync(retitled, undefined).digest, digest);
    });

    it("handles paths that are names of Object.prototype members", () => {
        const odd = [file("constructor"), file("__proto__"), file("toString")];
        const plan = planSync(odd, undefined);
        assert.equal(plan.uploads.length, 3);
        assert.deepEqual(Object.keys(plan.manifest.files).sort(), ["__proto__", "constructor", "toString"]);
        assert.equal(planSync(odd, plan.manifest).unchanged, 3);
    });
});
