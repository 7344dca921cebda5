/**
 * One sync in a process of its own, as one `pulumi up` runs it: the parent
 * benchmark (sync.ts) starts this for each timed sync, so the peak memory it
 * reports is that of a deploy, not of a process that also generated the
 * site and ran the syncs before.
 *
 *   node -r ts-node/register/transpile-only bench/static-site/sync-once.ts <endpoint> <bucket> <folder> [--rehash]
 *
 * Prints one JSON line: wall time, uploads, time by phase, the RSS when the
 * sync started, its peak sampled during the sync, and the process's lifetime
 * peak (getrusage maxrss: node, ts-node and the AWS SDK included).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { credentialsFor, s3ClientConfig, SyncProgress, syncFolder, syncStateOf } from "../../components/static-site/sync";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../../tests/static-site/s3-sandbox";
import { timed, withPeakRss } from "./measure";

export interface SyncOnceResult {
    ms: number;
    /** CPU time of this process during the sync (user + system). */
    cpuMs: number;
    uploaded: number;
    phases: string;
    rssAtStart: number;
    peakRss: number;
    /** process.memoryUsage() when RSS peaked: how much of it was V8's heap, and how much buffers outside it. */
    atPeak: NodeJS.MemoryUsage;
    maxRssLifetime: number;
    /** Peak RSS and V8 heap used (MiB) in each phase of the sync. */
    byPhase: Record<string, { rss: number; heapUsed: number }>;
    /** What the Pulumi state keeps of this sync (syncStateOf). */
    state: unknown;
}

async function main(): Promise<void> {
    const [endpoint, bucket, folder] = process.argv.slice(2);
    const rehash = process.argv.includes("--rehash");
    const start = Date.now();
    const marks: [string, number][] = [];
    let phase = "start";
    const onProgress = (p: SyncProgress) => {
        if (p.phase !== phase) marks.push([p.phase, Date.now() - start]);
        phase = p.phase;
    };
    // The client a deploy builds (site-sync-resource.ts): the same timeouts,
    // retries and middleware cache, so the memory and time measured are a
    // deploy's; only the endpoint and the static keys are the sandbox's.
    const settings = { stackKeys: true, endpoints: { s3: endpoint } };
    const client = new S3Client(s3ClientConfig(settings, SANDBOX_REGION, credentialsFor(settings, SANDBOX_REGION, SANDBOX_CREDENTIALS)));
    const rssAtStart = process.memoryUsage.rss();
    const cpuBefore = process.cpuUsage();
    const { value, ms } = await timed(() =>
        // Peak RSS and heap by phase: where a sync's memory goes.
        withPeakRss(() => syncFolder({ client, bucket, folder, onProgress, progressIntervalMs: 60_000, ...(rehash ? { trustModificationTimes: false } : {}) }), () => phase),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const end = Date.now();
    const result: SyncOnceResult = {
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        uploaded: value.value.uploaded.length,
        phases: marks.map(([phase, at], i) => `${phase} ${(marks[i + 1]?.[1] ?? end - start) - at} ms`).join(", "),
        rssAtStart,
        peakRss: value.peakRss,
        atPeak: value.atPeak,
        maxRssLifetime: process.resourceUsage().maxRSS * 1024,
        state: syncStateOf(value.value),
        byPhase: Object.fromEntries(Object.entries(value.byPhase).map(([name, p]) => [name, { rss: Math.round(p.rss / 1048576), heapUsed: Math.round(p.heapUsed / 1048576) }])),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
