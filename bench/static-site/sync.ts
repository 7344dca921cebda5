/**
 * Benchmark of the StaticSite folder sync (components/static-site/sync)
 * against `aws s3 sync`, both publishing the same generated 10,000-file site
 * to the same S3 server (s3rver, in its own process on 127.0.0.1).
 *
 *   npx ts-node --transpile-only bench/static-site/sync.ts [--files N] [--sweep] [--skip-cli]
 *
 * Prints figures only. --sweep also times a full upload at several
 * concurrency levels (how the default was chosen). --skip-cli leaves out
 * `aws s3 sync` (the default above 10,000 files, where it takes minutes).
 * The no-change re-sync is timed twice: as a deploy runs it (files whose
 * size and mtime match the manifest are not re-read), and with
 * trustModificationTimes: false (every file re-read and re-hashed).
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import { manifestKey, scanFolder, syncFolder, SyncProgress, syncStateOf, SyncResult } from "../../components/static-site/sync";
import { S3Sandbox, startS3Sandbox } from "../../tests/static-site/s3-sandbox";
import { awsCliPath, awsCliVersion, awsS3Sync } from "./aws-cli";
import { generateSite } from "./generate-site";
import { cpuSecondsOf, mib, seconds, timed, withPeakRss } from "./measure";

const args = process.argv.slice(2);
const fileCount = Number(args[args.indexOf("--files") + 1]) || 10_000;
const sweep = args.includes("--sweep");
const skipCli = args.includes("--skip-cli") || fileCount > 10_000;

async function main(): Promise<void> {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-bench-sync-"));
    const folder = path.join(root, "site");
    let sandbox: S3Sandbox | undefined;
    try {
        const load = () => os.loadavg()[0].toFixed(1);
        console.log(`machine: ${os.cpus().length} CPU, node ${process.version}, load average ${load()}`);
        const site = await generateSite(folder, fileCount);
        console.log(`site: ${site.fileCount} files, ${mib(site.totalBytes)} (${JSON.stringify(site.byKind)})`);

        sandbox = await startS3Sandbox({ inChildProcess: true });
        const serverPid = sandbox.serverPid!;
        const { client } = sandbox;
        /**
         * Time an action, and how busy the s3rver process and this one were
         * meanwhile (100 % = one core saturated). The aws CLI runs in a third
         * process, so "bench" is idle during its runs.
         */
        const run = async <T>(action: () => Promise<T>) => {
            const serverBefore = cpuSecondsOf(serverPid);
            const ownBefore = process.cpuUsage();
            const { value, ms } = await timed(action);
            const own = process.cpuUsage(ownBefore);
            return {
                value,
                ms,
                serverBusy: (cpuSecondsOf(serverPid) - serverBefore) / (ms / 1000),
                ownBusy: (own.user + own.system) / 1000 / ms,
            };
        };
        const busy = (r: { serverBusy: number; ownBusy: number }) =>
            `CPU: s3rver ${(r.serverBusy * 100).toFixed(0)} %, bench ${(r.ownBusy * 100).toFixed(0)} %`;
        const phaseTimes = (): { onProgress: (p: SyncProgress) => void; progressIntervalMs: number; report(): string } => {
            const start = Date.now();
            const marks: [string, number][] = [];
            return {
                progressIntervalMs: 60_000,
                onProgress: (p) => {
                    if (marks[marks.length - 1]?.[0] !== p.phase) marks.push([p.phase, Date.now() - start]);
                },
                report: () => marks.map(([phase, at], i) => `${phase} ${((marks[i + 1]?.[1] ?? at) - at)} ms`).join(", "),
            };
        };

        console.log("\n== webstack sync engine (concurrency 16) ==");
        const scan = await timed(() => scanFolder({ folder }));
        console.log(`scan + hash only:           ${seconds(scan.ms)}`);

        await sandbox.createBucket("bench-engine");
        const rssBefore = process.memoryUsage.rss();
        const full = await run(() => withPeakRss(() => syncFolder({ client, bucket: "bench-engine", folder })));
        const fullResult: SyncResult = full.value.value;
        console.log(`full upload:                ${seconds(full.ms)}  (${fullResult.uploaded.length} files, ${busy(full)})`);
        const phases = phaseTimes();
        const again = await run(() => withPeakRss(() => syncFolder({ client, bucket: "bench-engine", folder, ...phases })));
        console.log(`no-change re-sync:          ${seconds(again.ms)}  (${again.value.value.uploaded.length} uploads, ${busy(again)})`);
        console.log(`  by phase: ${phases.report()}`);
        const rehash = await run(() => withPeakRss(() => syncFolder({ client, bucket: "bench-engine", folder, trustModificationTimes: false })));
        console.log(`no-change re-sync, re-hash: ${seconds(rehash.ms)}  (trustModificationTimes: false, peak RSS ${mib(rehash.value.peakRss)})`);
        console.log(`RSS before the syncs:       ${mib(rssBefore)} (node, ts-node, AWS SDK loaded)`);
        console.log(`peak RSS, full upload:      ${mib(full.value.peakRss)}; no-change re-sync: ${mib(again.value.peakRss)}`);

        const manifest = await client.send(new GetObjectCommand({ Bucket: "bench-engine", Key: manifestKey("") }));
        const manifestBytes = Buffer.from(await manifest.Body!.transformToByteArray());
        const manifestJson = gunzipSync(manifestBytes);
        console.log(`manifest in the bucket:     ${manifestBytes.length} bytes gzip'd (${manifestJson.length} bytes of JSON)`);
        const state = JSON.stringify(syncStateOf(fullResult));
        console.log(`Pulumi state for the sync:  ${Buffer.byteLength(state)} bytes  ${state}`);
        const files = (JSON.parse(manifestJson.toString()) as { files: unknown }).files;
        console.log(`(a per-file manifest in the state instead: ${Buffer.byteLength(JSON.stringify(files))} bytes in every checkpoint)`);

        const cli = skipCli ? undefined : awsCliPath();
        if (!cli) {
            console.log(`\n== aws s3 sync: ${skipCli ? "skipped (--skip-cli)" : "not installed (apt-get install awscli)"} ==`);
        } else {
            for (const concurrency of [undefined, 16]) {
                const label = concurrency ? `max_concurrent_requests ${concurrency}` : "default settings, 10 requests";
                console.log(`\n== ${awsCliVersion(cli)}, ${label} ==`);
                const bucket = `bench-cli-${concurrency ?? "default"}`;
                await sandbox.createBucket(bucket);
                const cliFull = await run(() => awsS3Sync(cli, folder, bucket, sandbox!.endpoint, concurrency));
                console.log(`full upload:                ${seconds(cliFull.ms)}  (${busy(cliFull)})`);
                const cliAgain = await run(() => awsS3Sync(cli, folder, bucket, sandbox!.endpoint, concurrency));
                console.log(`no-change re-sync:          ${seconds(cliAgain.ms)}  (${busy(cliAgain)})`);
            }
        }

        if (sweep) {
            console.log("\n== engine full upload by concurrency ==");
            for (const concurrency of [4, 8, 16, 32, 64]) {
                const bucket = `bench-sweep-${concurrency}`;
                await sandbox.createBucket(bucket);
                const result = await run(() => syncFolder({ client, bucket, folder, concurrency }));
                console.log(`concurrency ${String(concurrency).padStart(2)}: ${seconds(result.ms)}  (${busy(result)})`);
            }
        }
        console.log(`\nload average at the end: ${os.loadavg()[0].toFixed(1)} (other processes on the machine skew every figure)`);
    } finally {
        await sandbox?.stop();
        await fs.rm(root, { recursive: true, force: true });
    }
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
