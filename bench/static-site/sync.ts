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
import { execFile } from "child_process";
import { manifestKey, scanFolder, syncFolder } from "../../components/static-site/sync";
import { S3Sandbox, startS3Sandbox } from "../../tests/static-site/s3-sandbox";
import { awsCliPath, awsCliVersion, awsS3Sync } from "./aws-cli";
import { generateSite } from "./generate-site";
import { cpuSecondsOf, mib, seconds, timed } from "./measure";
import type { SyncOnceResult } from "./sync-once";

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
         * Time an action, and how busy the s3rver process was meanwhile
         * (100 % = one core saturated).
         */
        const run = async <T>(action: () => Promise<T>) => {
            const serverBefore = cpuSecondsOf(serverPid);
            const { value, ms } = await timed(action);
            return { value, ms, serverBusy: (cpuSecondsOf(serverPid) - serverBefore) / (ms / 1000) };
        };
        const s3rverBusy = (r: { serverBusy: number }) => `s3rver ${(r.serverBusy * 100).toFixed(0)} %`;
        /** A sync in a process of its own (sync-once.ts), as a deploy runs it. */
        const syncInChild = async (bucket: string, ...flags: string[]) => {
            const r = await run(() => syncOnce(sandbox!.endpoint, bucket, folder, flags));
            return { ...r.value, busy: `CPU: ${s3rverBusy(r)}, sync ${((r.value.cpuMs / r.value.ms) * 100).toFixed(0)} %` };
        };

        console.log("\n== webstack sync engine (concurrency 16), each sync in a process of its own ==");
        const scan = await timed(() => scanFolder({ folder }));
        console.log(`scan + hash only:           ${seconds(scan.ms)}`);

        await sandbox.createBucket("bench-engine");
        const full = await syncInChild("bench-engine");
        console.log(`full upload:                ${seconds(full.ms)}  (${full.uploaded} files, ${full.busy})`);
        const again = await syncInChild("bench-engine");
        console.log(`no-change re-sync:          ${seconds(again.ms)}  (${again.uploaded} uploads, ${again.busy})`);
        console.log(`  by phase: ${again.phases}`);
        const rehash = await syncInChild("bench-engine", "--rehash");
        console.log(`no-change re-sync, re-hash: ${seconds(rehash.ms)}  (trustModificationTimes: false, ${rehash.uploaded} uploads)`);
        console.log(`RSS of a sync process at its start: ${mib(again.rssAtStart)} (node, ts-node, AWS SDK loaded)`);
        for (const [label, r] of [["full upload", full], ["no-change re-sync", again], ["re-sync, re-hash", rehash]] as const) {
            console.log(`peak RSS, ${label.padEnd(18)} ${mib(r.peakRss)} during the sync; ${mib(r.maxRssLifetime)} process lifetime (getrusage)`);
        }
        const byPhase = Object.entries(full.byPhase).map(([phase, p]) => `${phase} ${p.rss}/${p.heapUsed}`);
        console.log(`full upload, peak RSS / V8 heap used by phase (MiB): ${byPhase.join(", ")}`);
        const manifest = await client.send(new GetObjectCommand({ Bucket: "bench-engine", Key: manifestKey("") }));
        const manifestBytes = Buffer.from(await manifest.Body!.transformToByteArray());
        const manifestJson = gunzipSync(manifestBytes);
        console.log(`manifest in the bucket:     ${manifestBytes.length} bytes gzip'd (${manifestJson.length} bytes of JSON)`);
        const state = JSON.stringify(full.state);
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
                console.log(`full upload:                ${seconds(cliFull.ms)}  (CPU: ${s3rverBusy(cliFull)})`);
                const cliAgain = await run(() => awsS3Sync(cli, folder, bucket, sandbox!.endpoint, concurrency));
                console.log(`no-change re-sync:          ${seconds(cliAgain.ms)}  (CPU: ${s3rverBusy(cliAgain)})`);
            }
        }

        if (sweep) {
            console.log("\n== engine full upload by concurrency ==");
            for (const concurrency of [4, 8, 16, 32, 64]) {
                const bucket = `bench-sweep-${concurrency}`;
                await sandbox.createBucket(bucket);
                const result = await run(() => syncFolder({ client, bucket, folder, concurrency }));
                console.log(`concurrency ${String(concurrency).padStart(2)}: ${seconds(result.ms)}  (CPU: ${s3rverBusy(result)})`);
            }
        }
        console.log(`\nload average at the end: ${os.loadavg()[0].toFixed(1)} (other processes on the machine skew every figure)`);
    } finally {
        await sandbox?.stop();
        await fs.rm(root, { recursive: true, force: true });
    }
}

/** Runs sync-once.ts in a child process (with this process's NODE_OPTIONS) and returns what it printed. */
function syncOnce(endpoint: string, bucket: string, folder: string, flags: string[]): Promise<SyncOnceResult> {
    const script = path.join(__dirname, "sync-once.ts");
    return new Promise((resolve, reject) => {
        execFile(process.execPath, ["-r", "ts-node/register/transpile-only", script, endpoint, bucket, folder, ...flags], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
            if (error) return reject(new Error(`sync-once.ts failed: ${error.message}\n${stderr}`));
            resolve(JSON.parse(stdout.trim().split("\n").pop()!) as SyncOnceResult);
        });
    });
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
