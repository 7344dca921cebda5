/**
 * StaticSite under the harness for a generated 10,000-file site: how many
 * Pulumi resources it registers (target: at most 10), the time and memory to
 * evaluate it (hashing the folder included), and the size of what the sync
 * resource puts in the state (its inputs, and its serialized provider code).
 *
 *   npx ts-node --transpile-only bench/static-site/component.ts [fileCount]
 *
 * Counts are printed for three configurations: the default (cloudfront,
 * static mode), s3-website, and cloudfront with a custom domain of two names
 * and a www redirect (each name adds an A and an AAAA alias record).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StaticSite, StaticSiteArgs } from "../../components/static-site";
import { fakeZoneId, Harness } from "../../components/testing";

function generateSite(fileCount: number): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-bench-site-"));
    fs.writeFileSync(path.join(folder, "index.html"), "<!doctype html><title>bench</title>");
    fs.writeFileSync(path.join(folder, "404.html"), "<!doctype html><title>404</title>");
    for (let i = 2; i < fileCount; i++) {
        const dir = path.join(folder, `section-${i % 100}`);
        if (i < 102) fs.mkdirSync(dir, { recursive: true });
        const name = i % 3 === 0 ? `page-${i}.html` : `chunk-${i}.${(i * 2654435761 >>> 0).toString(16).padStart(8, "0")}.js`;
        fs.writeFileSync(path.join(dir, name), `/* file ${i} */ ${"x".repeat(200 + (i % 800))}`);
    }
    return folder;
}

async function measure(harness: Harness, label: string, make: () => StaticSite): Promise<void> {
    const before = harness.resources.length;
    const heapBefore = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    const site = make();
    await harness.settled();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    const registered = harness.resources.slice(before);
    const custom = registered.filter((r) => r.custom);
    const sync = registered.find((r) => r.type === "pulumi-nodejs:dynamic:Resource");
    const syncInputs = sync ? harness.inputsOf(sync) : {};
    const state = JSON.stringify(Object.fromEntries(Object.entries(syncInputs).filter(([k]) => !k.startsWith("__"))));
    console.log(
        `${label.padEnd(44)} resources: ${custom.length} (+1 component)  ` +
            `time: ${elapsedMs.toFixed(0)} ms  heap: ${heapMb >= 0 ? "+" : ""}${heapMb.toFixed(1)} MB  ` +
            `sync inputs: ${state.length} B  provider code: ${String(syncInputs.__provider ?? "").length} B`,
    );
    void site;
}

async function main(): Promise<void> {
    const fileCount = Number(process.argv[2] ?? 10_000);
    const folder = generateSite(fileCount);
    console.log(`StaticSite component bench: ${fileCount} files in ${folder}`);
    const harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "bench", hostedZones: ["example.com"] });
    const base: StaticSiteArgs = { path: folder };
    // The first site pays for serializing the provider (cached afterwards).
    await measure(harness, "cloudfront, static (default), first", () => new StaticSite("first", base));
    await measure(harness, "cloudfront, static (default)", () => new StaticSite("cf", base));
    await measure(harness, "s3-website", () => new StaticSite("dev", { ...base, hosting: "s3-website" }));
    await measure(harness, "cloudfront + domain (2 names) + www redirect", () =>
        new StaticSite("dom", {
            ...base,
            domain: { domainName: "example.com", aliases: ["www.example.com"], certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x", hostedZoneId: fakeZoneId("example.com") },
            wwwRedirect: "www-to-apex",
        }),
    );
    fs.rmSync(folder, { recursive: true, force: true });
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
