import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import {
    createCloudFrontInvalidator,
    FileEntry,
    IMMUTABLE_CACHE_CONTROL,
    invalidatePaths,
    invalidationPathsFor,
    Invalidator,
    PlannedDelete,
    PlannedUpload,
    REVALIDATE_CACHE_CONTROL,
    resolveSyncOptions,
    UploadReason,
} from "../../components/static-site/sync";
import { ConfigError } from "../../components/internal/errors";
import { S3Client } from "@aws-sdk/client-s3";

function entry(path: string, cacheControl = REVALIDATE_CACHE_CONTROL): FileEntry {
    return { path, sha256: "x", size: 1, contentType: "text/html; charset=utf-8", cacheControl };
}
const upload = (path: string, reason: UploadReason, cacheControl?: string): PlannedUpload => ({
    file: entry(path, cacheControl),
    reason,
});
const deletion = (path: string, cacheControl = REVALIDATE_CACHE_CONTROL): PlannedDelete => ({
    path,
    previous: entry(path, cacheControl),
});

describe("invalidationPathsFor", () => {
    it("lists overwritten and deleted paths, not new ones", () => {
        const paths = invalidationPathsFor({
            uploads: [upload("about.html", "changed"), upload("robots.txt", "headers"), upload("new.html", "new")],
            deletes: [deletion("old.html")],
        });
        assert.deepEqual(paths, ["/about.html", "/old.html", "/robots.txt"]);
    });

    it("adds the directory URL for index.html files", () => {
        const paths = invalidationPathsFor({
            uploads: [upload("index.html", "changed"), upload("docs/index.html", "changed")],
            deletes: [deletion("blog/2024/index.html")],
        });
        assert.deepEqual(paths, ["/", "/blog/2024/", "/blog/2024/index.html", "/docs/", "/docs/index.html", "/index.html"]);
    });

    it("skips deleted immutable files, but not overwritten ones", () => {
        const paths = invalidationPathsFor({
            uploads: [upload("assets/app.3f9a1c2b.js", "changed", IMMUTABLE_CACHE_CONTROL)],
            deletes: [deletion("assets/old.4e5d6c7b.js", IMMUTABLE_CACHE_CONTROL)],
        });
        assert.deepEqual(paths, ["/assets/app.3f9a1c2b.js"]);
    });

    it("invalidates paths of an interrupted sync and keys only known as in flight", () => {
        const paths = invalidationPathsFor({ uploads: [upload("a.html", "unconfirmed")], deletes: [{ path: "b.html" }] });
        assert.deepEqual(paths, ["/a.html", "/b.html"]);
    });

    it("is empty when nothing cached went stale", () => {
        assert.deepEqual(invalidationPathsFor({ uploads: [upload("new.html", "new")], deletes: [] }), []);
    });

    it("falls back to /* above the threshold, counting the extra directory paths", () => {
        const fifteen = Array.from({ length: 15 }, (_, i) => upload(`page-${i}.html`, "changed"));
        assert.equal(invalidationPathsFor({ uploads: fifteen, deletes: [] }).length, 15);
        assert.deepEqual(invalidationPathsFor({ uploads: [...fifteen, upload("x.html", "changed")], deletes: [] }), ["/*"]);
        const fourteenPlusIndex = [...fifteen.slice(0, 14), upload("index.html", "changed")];
        assert.deepEqual(invalidationPathsFor({ uploads: fourteenPlusIndex, deletes: [] }), ["/*"], "index.html counts twice");
        assert.deepEqual(invalidationPathsFor({ uploads: fifteen.slice(0, 3), deletes: [] }, 2), ["/*"]);
        assert.deepEqual(invalidationPathsFor({ uploads: fifteen.slice(0, 1), deletes: [] }, 0), ["/*"]);
    });

    // issue 11 item 5: CloudFront accepts at most 3,000 individual paths in progress per distribution
    // (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html).
    it("never returns more than CloudFront's 3,000 paths, whatever the threshold", () => {
        const many = Array.from({ length: 3500 }, (_, i) => upload(`p/${i}.html`, "changed"));
        assert.deepEqual(invalidationPathsFor({ uploads: many, deletes: [] }, 1_000_000), ["/*"]);
        assert.equal(invalidationPathsFor({ uploads: many.slice(0, 3000), deletes: [] }, 1_000_000).length, 3000);
    });

    it("refuses an engine invalidationThreshold above 3,000 as a ConfigError", () => {
        const options = { client: {} as S3Client, bucket: "b", folder: "dist" };
        assert.equal(resolveSyncOptions({ ...options, invalidationThreshold: 3000 }).invalidationThreshold, 3000);
        assert.throws(
            () => resolveSyncOptions({ ...options, invalidationThreshold: 3001 }),
            (error: unknown) => error instanceof ConfigError && error.setting === "invalidationThreshold" && /3,?000/.test(error.message),
        );
    });

    it("URL-encodes paths, including * which CloudFront reads as a wildcard", () => {
        const paths = invalidationPathsFor({
            uploads: [upload("docs/read me.html", "changed"), upload("a*b.html", "changed"), upload("café.html", "changed")],
            deletes: [],
        });
        assert.deepEqual(paths, ["/a%2Ab.html", "/caf%C3%A9.html", "/docs/read%20me.html"]);
    });
});

describe("invalidatePaths", () => {
    function recordingInvalidator(): Invalidator & { calls: { paths: readonly string[]; reference: string }[] } {
        const calls: { paths: readonly string[]; reference: string }[] = [];
        return {
            calls,
            invalidate: async (paths, reference) => {
                calls.push({ paths, reference });
                return { id: `I${calls.length}` };
            },
        };
    }

    it("sends the paths with a unique caller reference, and nothing when there are none", async () => {
        const invalidator = recordingInvalidator();
        assert.equal(await invalidatePaths(invalidator, [], "abc"), undefined);
        assert.equal(invalidator.calls.length, 0);
        assert.equal(await invalidatePaths(invalidator, ["/index.html"], "0123456789abcdef0123"), "I1");
        await new Promise((resolve) => setTimeout(resolve, 2));
        await invalidatePaths(invalidator, ["/index.html"], "0123456789abcdef0123");
        assert.deepEqual(invalidator.calls[0].paths, ["/index.html"]);
        assert.match(invalidator.calls[0].reference, /^webstack-0123456789abcdef-\d+-[0-9a-f]+$/);
        assert.notEqual(invalidator.calls[0].reference, invalidator.calls[1].reference, "a rollback must not reuse a reference");
    });
});

describe("invalidatePaths within CloudFront's limits (issue 11 item 5)", () => {
    function recordingInvalidator(fail?: (paths: readonly string[]) => Error | undefined) {
        const calls: { paths: readonly string[]; reference: string }[] = [];
        const invalidator: Invalidator = {
            invalidate: async (paths, reference) => {
                calls.push({ paths, reference });
                const error = fail?.(paths);
                if (error) throw error;
                return { id: `I${calls.length}` };
            },
        };
        return { invalidator, calls };
    }

    it("gives two invalidations of the same release in the same millisecond different caller references", async () => {
        const { invalidator, calls } = recordingInvalidator();
        const realNow = Date.now;
        Date.now = () => 1_800_000_000_000;
        try {
            await invalidatePaths(invalidator, ["/index.html"], "0123456789abcdef0123");
            await invalidatePaths(invalidator, ["/index.html"], "0123456789abcdef0123");
        } finally {
            Date.now = realNow;
        }
        assert.notEqual(calls[0].reference, calls[1].reference);
        for (const call of calls) assert.match(call.reference, /^webstack-0123456789abcdef-1800000000000-[0-9a-f]{8,}$/);
    });

    it("sends one /* instead of more than 3,000 paths or more than 15 wildcard paths", async () => {
        const { invalidator, calls } = recordingInvalidator();
        await invalidatePaths(invalidator, Array.from({ length: 3001 }, (_, i) => `/p${i}.html`), "d".repeat(64));
        await invalidatePaths(invalidator, Array.from({ length: 16 }, (_, i) => `/dir${i}/*`), "d".repeat(64));
        await invalidatePaths(invalidator, Array.from({ length: 3000 }, (_, i) => `/p${i}.html`), "d".repeat(64));
        assert.deepEqual(calls[0].paths, ["/*"]);
        assert.deepEqual(calls[1].paths, ["/*"]);
        assert.equal(calls[2].paths.length, 3000);
    });

    it("falls back to one /* when CloudFront has too many individual paths in progress", async () => {
        const tooMany = Object.assign(new Error("Your request contains too many invalidations."), { name: "TooManyInvalidationsInProgress" });
        const { invalidator, calls } = recordingInvalidator((paths) => (paths[0] === "/*" ? undefined : tooMany));
        assert.equal(await invalidatePaths(invalidator, ["/a.html", "/b.html"], "e".repeat(64)), "I2");
        assert.deepEqual(calls.map((c) => c.paths), [["/a.html", "/b.html"], ["/*"]]);
        assert.notEqual(calls[0].reference, calls[1].reference);
        // A wildcard refused for the same reason is not retried: the error reaches the caller.
        const wildcards = recordingInvalidator(() => tooMany);
        await assert.rejects(invalidatePaths(wildcards.invalidator, ["/*"], "e".repeat(64)), /too many invalidations/);
        assert.equal(wildcards.calls.length, 1);
    });
});

describe("createCloudFrontInvalidator", () => {
    /** A stand-in for the CloudFront API on loopback that records the request and answers like CloudFront. */
    async function fakeCloudFront(): Promise<{ endpoint: string; requests: { method: string; url: string; body: string }[]; close(): Promise<void> }> {
        const requests: { method: string; url: string; body: string }[] = [];
        const server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString()));
            request.on("end", () => {
                requests.push({ method: request.method ?? "", url: request.url ?? "", body });
                response.writeHead(201, { "content-type": "text/xml", location: "https://cloudfront.amazonaws.com/x" });
                response.end(
                    '<?xml version="1.0"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
                        "<Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime>" +
                        "<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths>" +
                        "<CallerReference>r</CallerReference></InvalidationBatch></Invalidation>",
                );
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        return {
            endpoint: `http://127.0.0.1:${port}`,
            requests,
            close: () => new Promise((resolve) => server.close(() => resolve())),
        };
    }

    it("sends CreateInvalidation for the distribution and returns its id", async () => {
        const cloudfront = await fakeCloudFront();
        const client = new CloudFrontClient({
            endpoint: cloudfront.endpoint,
            region: "us-east-1",
            credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
        try {
            const invalidator = createCloudFrontInvalidator("E2QWRUHAPOMQZL", client);
            const id = await invalidatePaths(invalidator, ["/", "/index.html"], "f".repeat(64));
            assert.equal(id, "I2J0I21PCUYOIK");
            assert.equal(cloudfront.requests.length, 1);
            const [request] = cloudfront.requests;
            assert.equal(request.method, "POST");
            assert.equal(request.url, "/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation");
            assert.match(request.body, /<Quantity>2<\/Quantity>/);
            assert.match(request.body, /<Path>\/<\/Path><Path>\/index.html<\/Path>/);
            assert.match(request.body, /<CallerReference>webstack-ffffffffffffffff-\d+-[0-9a-f]+<\/CallerReference>/);
        } finally {
            client.destroy();
            await cloudfront.close();
        }
    });
});
