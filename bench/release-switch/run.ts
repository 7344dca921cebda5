// Release switch under load: what a client sees while release-switch.sh
// moves from v1 to v2 with each strategy, on loopback (nginx + PM2), and
// while it refuses a v2 that fails its health check or switches back from a
// v2 that crashes after passing it ("dies after health check": failed
// requests from the switch back on, and how long the bad release was live).
//
//   npx ts-node --transpile-only bench/release-switch/run.ts [connections]
//
// Prints a table and writes bench/.out/release-switch.json. Figures only, no
// assertions: they depend on the machine (the load generator, nginx and both
// releases share its CPUs).
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { InFlightStats, LoadResult, startLoad } from "../../tests/web-tier/load-generator";
import { LoopbackSandbox, RunResult, findNginx, nginxInstallHint, sleep } from "../../tests/web-tier/loopback-sandbox";

const connections = Number(process.argv[2] ?? 2000);
/** The in-place watch window here (the instance default is 30 s): long enough for the crashing build to crash in it. */
const WATCH_SECONDS = 15;
/** Each worker of the crashing build lives this long: past its health gate and the nginx switch. */
const CRASH_AFTER_MS = 5000;

/** What v2 is: a good build, one that never passes its health check, one that crashes after passing it. */
type Build = "good" | "fails health check" | "dies after health check";

const healthFiles: Record<Build, string | undefined> = {
    good: undefined,
    "fails health check": "\"use strict\";\nmodule.exports = () => ({ ok: false, reason: \"broken build (bench)\" });\n",
    "dies after health check": `"use strict";\nsetTimeout(() => { throw new Error("crash after the health check (bench)"); }, ${CRASH_AFTER_MS});\nmodule.exports = () => ({ ok: true });\n`,
};

interface Scenario {
    label: string;
    strategy: "in-place" | "all-at-once";
    build: Build;
    /** The exit the switch should end with: 0, 3 (health check failed), 6 (switched back after the watch). */
    expectedExit: number;
    /** nginx client keepalive_timeout; undefined = the template's default (0). */
    clientKeepaliveSec?: number;
}

const scenarios: Scenario[] = [
    { label: "in-place", strategy: "in-place", build: "good", expectedExit: 0 },
    { label: "all-at-once", strategy: "all-at-once", build: "good", expectedExit: 0 },
    // Not a strategy: in-place with client keep-alive on, to show what the
    // template's keepalive_timeout 0 buys (see nginx-site.conf.template).
    { label: "in-place, client keep-alive 65s", strategy: "in-place", build: "good", expectedExit: 0, clientKeepaliveSec: 65 },
    { label: "in-place, bad release (fails health check)", strategy: "in-place", build: "fails health check", expectedExit: 3 },
    { label: "in-place, dies after health check", strategy: "in-place", build: "dies after health check", expectedExit: 6 },
];

interface Row {
    scenario: string;
    expectedExit: number;
    switchExit: number | null;
    switchMs: number;
    load: LoadResult;
    inFlight: InFlightStats;
    /** Failed requests sent from the moment the switch started to point nginx back (dies-after-health-check only). */
    failedAfterSwitchBack?: number;
    /** From nginx taking the bad release to nginx taking the previous one again (new workers up), as the switch reports it. */
    badReleaseLiveMs?: number;
}

async function measure(scenario: Scenario): Promise<Row> {
    const watch = scenario.strategy === "in-place" ? WATCH_SECONDS : 0;
    const sandbox = await LoopbackSandbox.start({ clientKeepaliveSec: scenario.clientKeepaliveSec, watchSeconds: watch });
    try {
        const v1 = await sandbox.packRelease("v1");
        const first = await sandbox.releaseSwitch(["deploy", v1, "v1"], { RS_WATCH_SECONDS: "0" });
        if (first.code !== 0) throw new Error(`deploying v1 failed:\n${first.stdout}${first.stderr}`);
        const v2 = await sandbox.packRelease("v2", { health: healthFiles[scenario.build] });

        const load = startLoad({ url: `${sandbox.url}/version`, connections });
        let switched: { value: RunResult; inFlight: InFlightStats };
        try {
            await load.untilInFlight(connections);
            await sleep(1000);
            switched = await load.during(() => sandbox.releaseSwitch(["deploy", v2, "v2", "--strategy", scenario.strategy]));
            await sleep(1000);
        } catch (error) {
            await load.stop().catch(() => undefined);
            throw error;
        }
        const result = await load.stop();
        const { value: switchRun, inFlight } = switched;
        if (switchRun.code !== scenario.expectedExit) {
            console.error(`${scenario.label}: the switch exited ${switchRun.code}, expected ${scenario.expectedExit}:\n${switchRun.stdout}${switchRun.stderr}`);
        }
        const row: Row = { scenario: scenario.label, expectedExit: scenario.expectedExit, switchExit: switchRun.code, switchMs: switchRun.durationMs, load: result, inFlight };
        const backAt = /watch failed at (\S+Z): /.exec(switchRun.stdout);
        if (backAt) row.failedAfterSwitchBack = load.failedSentSince(Date.parse(backAt[1]));
        const live = /was live for (\d+)ms/.exec(switchRun.stderr);
        if (live) row.badReleaseLiveMs = Number(live[1]);
        return row;
    } finally {
        await sandbox.stop();
    }
}

function table(rows: Row[]): string {
    const header = ["scenario", "failed", "non-2xx", "dropped", "failed after switch back", "bad release live ms", "requests", "answered", "switch ms", "failure window ms", "in flight min/median", "req/s"];
    const lines = rows.map((row) => [
        row.scenario,
        row.load.failed,
        row.load.non2xx,
        row.load.dropped,
        row.failedAfterSwitchBack ?? "-",
        row.badReleaseLiveMs ?? "-",
        row.load.sent,
        row.load.answered,
        row.switchExit === row.expectedExit ? `${row.switchMs} (exit ${row.switchExit})` : `${row.switchMs} (exit ${row.switchExit}, expected ${row.expectedExit})`,
        row.load.failureWindowMs,
        `${row.inFlight.min}/${row.inFlight.median}`,
        Math.round(row.load.requestsPerSec),
    ].map(String));
    const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
    const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    return [format(header), format(widths.map((width) => "-".repeat(width))), ...lines.map(format)].join("\n");
}

async function main(): Promise<void> {
    if (!findNginx()) throw new Error(nginxInstallHint);
    console.log(`release switch v1 -> v2 under ${connections} connections (pipelining 1, so ${connections} requests in flight), loopback`);
    const rows: Row[] = [];
    for (const scenario of scenarios) {
        process.stdout.write(`  ${scenario.label} ...`);
        rows.push(await measure(scenario));
        process.stdout.write(" done\n");
    }
    console.log(`\n${table(rows)}\n`);
    console.log("failed = non-2xx + dropped (requests whose connection errored, timed out or closed before the answer)");
    console.log(`requests = requests sent during the whole run (warm-up 1s, switch, 1s after); switch ms = wall time of release-switch.sh (in-place includes its ${WATCH_SECONDS}s watch window)`);
    console.log(`dies after health check: every v2 worker throws ${CRASH_AFTER_MS / 1000}s after it starts; failed after switch back = failed requests sent from the moment the switch started to point nginx back at v1; bad release live ms = from nginx taking v2 (new workers up) to nginx taking v1 again`);
    const out = path.resolve(__dirname, "../.out/release-switch.json");
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ connections, watchSeconds: WATCH_SECONDS, crashAfterMs: CRASH_AFTER_MS, measuredAt: new Date().toISOString(), rows }, null, 2));
    console.log(`raw figures: ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
