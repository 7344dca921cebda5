// Blue/green traffic move under load: the worked release's steps (blue v1 ->
// green v2 at 0 %, 10 %, 100 %, rollback to 0 %) rehearsed on loopback, with
// a front nginx weighted like the ALB listener in front of two fleets of the
// real payload (nginx + PM2 + examples/api), and the load running across the
// whole sequence (tests/web-tier/blue-green/traffic-move.ts).
//
//   npx ts-node --transpile-only bench/blue-green/run.ts [connections] [step seconds]
//
// Prints a table per step and writes bench/.out/blue-green.json. Figures only,
// no assertions (the real test asserts): they depend on the machine, where the
// load generator, three nginx and two PM2 fleets share the CPUs.
import { mkdir, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { rehearseTrafficMove, StepResult } from "../../tests/web-tier/blue-green/traffic-move";
import { findNginx, nginxInstallHint } from "../../tests/web-tier/loopback-sandbox";

const connections = Number(process.argv[2] ?? 2000);
const stepSeconds = Number(process.argv[3] ?? 5);

function table(steps: StepResult[]): string {
    const header = ["step", "blue/green runs", "configured blue/green %", "observed v1/v2 %", "answers v1/v2", "requests", "failed", "p50 ms", "p99 ms", "in flight min/median", "move ms"];
    const lines = steps.map((step, index) => {
        const count = (version: string) => step.answersByVersion[version] ?? 0;
        const percent = (version: string) => (step.observedPercent[version] ?? 0).toFixed(2);
        const others = Object.keys(step.answersByVersion).filter((version) => version !== "v1" && version !== "v2");
        return [
            `${index + 1}. ${step.label}`,
            `${step.versions.blue ?? "-"}/${step.versions.green ?? "-"}`,
            `${step.configured.blue}/${step.configured.green}`,
            `${percent("v1")}/${percent("v2")}`,
            `${count("v1")}/${count("v2")}${others.length > 0 ? ` (+ ${others.map((o) => `${o}: ${count(o)}`).join(", ")})` : ""}`,
            step.measured.answered,
            step.failed,
            step.measured.latencyMs.p50,
            step.measured.latencyMs.p99,
            `${step.inFlight.min}/${step.inFlight.median}`,
            step.moveMs,
        ].map(String);
    });
    const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
    const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    return [format(header), format(widths.map((width) => "-".repeat(width))), ...lines.map(format)].join("\n");
}

async function main(): Promise<void> {
    if (!findNginx()) throw new Error(nginxInstallHint);
    const loadBefore = os.loadavg();
    console.log(`blue/green traffic move under ${connections} connections (pipelining 1, so ${connections} requests in flight), ${stepSeconds}s per step, loopback; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`);
    const result = await rehearseTrafficMove({ connections, stepSeconds });
    console.log(`\n${table(result.steps)}\n`);
    const { load } = result;
    console.log(`whole sequence: ${load.sent} requests sent, ${load.answered} answered, failed ${load.failed} (non-2xx ${load.non2xx}, dropped ${load.dropped}), ${Math.round(load.requestsPerSec)} req/s, in flight at stop ${load.inFlightAtStop}`);
    console.log("configured = the listener weights from trafficShares(step.traffic); observed = share of the 2xx answers to /version per version, once the step's weights were in force");
    console.log(`requests, p50/p99 = answers during the step's ${stepSeconds}s measurement; failed = non-2xx + dropped during the whole step (deploy of a changed color, weight change, measurement); move ms = deploy + nginx reload until the old workers were gone`);
    if (result.balancerErrors) console.log(`front nginx error log:\n${result.balancerErrors}`);
    const loadAfter = os.loadavg();
    console.log(`load average after: ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`);
    const out = path.resolve(__dirname, "../.out/blue-green.json");
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ measuredAt: new Date().toISOString(), loadAverage: { before: loadBefore, after: loadAfter }, cpus: os.cpus().length, ...result }, null, 2));
    console.log(`raw figures: ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
