// Release switch under load: what a client sees while release-switch.sh
// moves from v1 to v2 with each strategy, on loopback (nginx + PM2).
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

interface Scenario {
    label: string;
    strategy: "in-place" | "all-at-once";
    /** nginx client keepalive_timeout; undefined = the template's default (0). */
    clientKeepaliveSec?: number;
}

const scenarios: Scenario[] = [
    { label: "in-place", strategy: "in-place" },
    { label: "all-at-once", strategy: "all-at-once" },
    // Not a strategy: in-place with client keep-alive on, to show what the
    // template's keepalive_timeout 0 buys (see nginx-site.conf.template).
    { label: "in-place, client keep-alive 65s", strategy: "in-place", clientKeepaliveSec: 65 },
];

interface Row {
    scenario: string;
    switchExit: number | null;
    switchMs: number;
    load: LoadResult;
    inFlight: InFlightStats;
}

async function measure(scenario: Scenario): Promise<Row> {
    const sandbox = await LoopbackSandbox.start({ clientKeepaliveSec: scenario.clientKeepaliveSec });
    try {
        const v1 = await sandbox.packRelease("v1");
        const first = await sandbox.releaseSwitch(["deploy", v1, "v1"]);
        if (first.code !== 0) throw new Error(`deploying v1 failed:\n${first.stdout}${first.stderr}`);
        const v2 = await sandbox.packRelease("v2");

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
        if (switchRun.code !== 0) console.error(`${scenario.label}: the switch failed:\n${switchRun.stdout}${switchRun.stderr}`);
        return { scenario: scenario.label, switchExit: switchRun.code, switchMs: switchRun.durationMs, load: result, inFlight };
    } finally {
        await sandbox.stop();
    }
}

function table(rows: Row[]): string {
    const header = ["scenario", "failed", "non-2xx", "dropped", "requests", "answered", "switch ms", "failure window ms", "in flight min/median", "req/s"];
    const lines = rows.map((row) => [
        row.scenario,
        row.load.failed,
        row.load.non2xx,
        row.load.dropped,
        row.load.sent,
        row.load.answered,
        row.switchExit === 0 ? row.switchMs : `${row.switchMs} (exit ${row.switchExit})`,
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
    console.log("requests = requests sent during the whole run (warm-up 1s, switch, 1s after); switch ms = wall time of release-switch.sh");
    const out = path.resolve(__dirname, "../.out/release-switch.json");
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ connections, measuredAt: new Date().toISOString(), rows }, null, 2));
    console.log(`raw figures: ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
