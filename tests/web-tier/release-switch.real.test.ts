// Runs WebTier's instance payload for real on loopback: Debian's nginx, PM2
// from node_modules and release-switch.sh, deploying examples/api while a
// load of LOAD_CONNECTIONS requests stays in flight through nginx.
//
// "In flight" is counted by the load generator (load-generator.ts): requests
// written to a connection to nginx and not answered yet. At pipelining 1 each
// connection always has one, so it equals the number of connections; the test
// samples it during each switch and requires the minimum to be >= 2000. nginx's
// own view (stub_status) is reported beside it: it is lower, because with
// client keep-alive off a share of the connections is always being opened
// (in the kernel's accept queue) with its request already written.
// Failed = non-2xx + requests dropped with their connection (errors,
// timeouts, closes before the answer); every step requires 0.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import * as net from "node:net";
import { InFlightStats, LoadResult, startLoad, summarize } from "./load-generator";
import { LoopbackSandbox, requireNginx, RunResult, servedVersions, sleep } from "./loopback-sandbox";

const LOAD_CONNECTIONS = 2000;
const HEALTH_TIMEOUT_SEC = 8;
// Handed to the app by the env command; it must reach the app and never the output.
const secretValue = randomBytes(12).toString("hex");

const run = randomBytes(3).toString("hex");
const v1 = `v1-${run}`;
const v2 = `v2-${run}`;
const v3 = `v3-broken-${run}`;
const v4 = `v4-${run}`;
const failingHealth = "\"use strict\";\nmodule.exports = () => ({ ok: false, reason: \"broken build (test)\" });\n";

interface UnderLoad {
    switchRun: RunResult;
    load: LoadResult;
    /** Requests in flight as the load generator counts them, during the switch. */
    inFlight: InFlightStats;
    /** nginx's own view during the switch (stub_status): client connections, and those mid-request. */
    nginx: { connections: InFlightStats; busy: InFlightStats };
}

function describeRun(result: RunResult): string {
    return `exit ${result.code} after ${result.durationMs}ms\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

function report(label: string, outcome: UnderLoad): string {
    const { load, inFlight, nginx, switchRun } = outcome;
    const line = JSON.stringify({ switchMs: switchRun.durationMs, exit: switchRun.code, ...load, inFlight, nginx });
    console.log(`      ${label}: ${line}`);
    return line;
}

async function assertNoFailedRequest(outcome: UnderLoad, reported: string, sandbox: LoopbackSandbox): Promise<void> {
    const { load, inFlight } = outcome;
    // nginx's error log says why a request failed (a connect timeout, a refused connection).
    const summary = load.failed > 0 ? `${reported}\nnginx error log:\n${await sandbox.nginxErrors()}` : reported;
    assert.ok(load.answered > LOAD_CONNECTIONS, `the load should have been answered many times over: ${summary}`);
    assert.equal(load.non2xx, 0, `non-2xx answers: ${summary}`);
    assert.equal(load.errors, 0, `connection errors: ${summary}`);
    assert.equal(load.timeouts, 0, `timeouts: ${summary}`);
    assert.equal(load.dropped, 0, `requests lost with their connection: ${summary}`);
    assert.ok(inFlight.samples > 0 && inFlight.min >= LOAD_CONNECTIONS, `in flight during the switch should stay >= ${LOAD_CONNECTIONS}: ${summary}`);
}

describe("release-switch.sh on loopback (nginx + PM2, real)", function () {
    this.timeout(180_000);
    let sandbox: LoopbackSandbox;

    before(async function () {
        requireNginx(this);
        sandbox = await LoopbackSandbox.start({ healthTimeoutSec: HEALTH_TIMEOUT_SEC });
    });

    after(async () => {
        await sandbox?.stop();
    });


    async function switchUnderLoad(args: string[]): Promise<UnderLoad> {
        const load = startLoad({ url: `${sandbox.url}/version`, connections: LOAD_CONNECTIONS });
        try {
            await load.untilInFlight(LOAD_CONNECTIONS);
            await sleep(1000);
            const nginxSamples: Array<{ active: number; reading: number; writing: number }> = [];
            const { value: switchRun, inFlight } = await load.during(async () => {
                const switching = sandbox.releaseSwitch(args);
                let done = false;
                const finish = () => (done = true);
                switching.then(finish, finish);
                while (!done) {
                    // A missed sample only thins the report; the switch is what is under test.
                    const sample = await sandbox.nginxStatus().catch(() => undefined);
                    if (sample) nginxSamples.push(sample);
                    await sleep(200);
                }
                return switching;
            });
            // Requests sent just after the switch count too.
            await sleep(1000);
            const nginx = {
                connections: summarize(nginxSamples.map((sample) => sample.active)),
                // Minus one: the stub_status request itself.
                busy: summarize(nginxSamples.map((sample) => sample.reading + sample.writing - 1)),
            };
            return { switchRun, inFlight, nginx, load: await load.stop() };
        } catch (error) {
            await load.stop().catch(() => undefined);
            throw error;
        }
    }

    async function assertOnlyActiveRunning(port: number): Promise<void> {
        const names = new Set((await sandbox.pm2List()).map((proc) => proc.name));
        assert.deepEqual([...names], [`sandbox-${port}`], "PM2 should run the active release only");
    }

    it("deploys v1, reachable through nginx, with settings from the env command", async () => {
        const archive = await sandbox.packRelease(v1);
        const result = await sandbox.releaseSwitch(["deploy", archive, v1], {
            RS_ENV_COMMAND: `printf 'WEBSTACK_TEST_SECRET=%s\\n' ${secretValue}`,
        });
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stdout, new RegExp(`\\[release-switch\\] starting ${v1} on :${sandbox.appPorts[0]}`));
        assert.ok(!(result.stdout + result.stderr).includes(secretValue), "a setting's value was printed");

        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        const state = await sandbox.state();
        assert.equal(state.active_release, v1);
        assert.equal(state.active_port, String(sandbox.appPorts[0]));

        // Every PM2 cluster worker got the setting and the release id, and none
        // of the switch's own RS_* variables.
        const workers = (await sandbox.pm2List()).filter((proc) => proc.name === `sandbox-${sandbox.appPorts[0]}`);
        assert.ok(workers.length >= 1 && workers.every((proc) => proc.status === "online"), JSON.stringify(workers.map((proc) => [proc.name, proc.pid, proc.status])));
        for (const { env } of workers) {
            assert.equal(env.WEBSTACK_TEST_SECRET, secretValue, "the env command's setting did not reach the app");
            assert.equal(env.APP_VERSION, v1);
            assert.equal(env.PORT, String(sandbox.appPorts[0]));
            assert.deepEqual(Object.keys(env).filter((key) => key.startsWith("RS_")), [], "the switch's RS_* variables leaked into the app");
        }
    });

    it(`switches to v2 with ${LOAD_CONNECTIONS} requests in flight and no failed request`, async () => {
        const archive = await sandbox.packRelease(v2);
        const outcome = await switchUnderLoad(["deploy", archive, v2]);
        const summary = report("v2 switch", outcome);
        assert.equal(outcome.switchRun.code, 0, describeRun(outcome.switchRun));
        await assertNoFailedRequest(outcome, summary, sandbox);

        assert.deepEqual(await servedVersions(sandbox), new Set([v2]));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.active_port, state.previous_release], [v2, String(sandbox.appPorts[1]), v1]);
        await assertOnlyActiveRunning(sandbox.appPorts[1]);
    });

    it("refuses a v3 that fails its health check, under the same load, and keeps serving v2", async () => {
        const archive = await sandbox.packRelease(v3, { health: failingHealth });
        const outcome = await switchUnderLoad(["deploy", archive, v3]);
        const summary = report("v3 refusal", outcome);
        assert.equal(outcome.switchRun.code, 3, describeRun(outcome.switchRun));
        assert.match(outcome.switchRun.stderr, new RegExp(`release ${v3} failed its health check`));
        assert.match(outcome.switchRun.stderr, /last: HTTP 503/);
        assert.match(outcome.switchRun.stderr, /nginx was left untouched/);
        await assertNoFailedRequest(outcome, summary, sandbox);

        assert.deepEqual(await servedVersions(sandbox), new Set([v2]));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.previous_release], [v2, v1]);
        await assertOnlyActiveRunning(sandbox.appPorts[1]);
    });

    it("rolls back to v1 under the same load", async () => {
        const outcome = await switchUnderLoad(["rollback"]);
        const summary = report("rollback", outcome);
        assert.equal(outcome.switchRun.code, 0, describeRun(outcome.switchRun));
        await assertNoFailedRequest(outcome, summary, sandbox);

        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.active_port, state.previous_release], [v1, String(sandbox.appPorts[0]), v2]);
        await assertOnlyActiveRunning(sandbox.appPorts[0]);
    });

    it("resumes the active release after PM2 is gone (as after a reboot)", async () => {
        await sandbox.killPm2();
        const result = await sandbox.releaseSwitch(["resume"]);
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stdout, new RegExp(`starting ${v1} on :${sandbox.appPorts[0]}`));
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        await assertOnlyActiveRunning(sandbox.appPorts[0]);
    });

    it("refuses to start on a port another process holds, changing nothing", async () => {
        const idlePort = sandbox.appPorts[1];
        // It would even pass the health check: exactly why the switch must not trust it.
        const squatter = net.createServer((socket) => {
            socket.on("error", () => undefined); // the switch's port probe hangs up at once
            socket.end("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
        });
        squatter.listen(idlePort, "127.0.0.1");
        await once(squatter, "listening");
        try {
            const result = await sandbox.releaseSwitch(["deploy", await sandbox.packRelease(v4), v4]);
            assert.equal(result.code, 1, describeRun(result));
            assert.match(result.stderr, new RegExp(`port ${idlePort} is in use`));
        } finally {
            squatter.close();
        }
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        assert.equal((await sandbox.state()).active_release, v1);
    });

    it("leaves nginx and the active release alone when nginx -t rejects the switch", async () => {
        const site = await readFile(sandbox.siteFile, "utf8");
        const upstream = await readFile(sandbox.upstreamFile, "utf8");
        await writeFile(sandbox.siteFile, `${site}\nnot_an_nginx_directive on;\n`);
        try {
            const result = await sandbox.releaseSwitch(["deploy", await sandbox.packRelease(v4), v4]);
            assert.equal(result.code, 4, describeRun(result));
            assert.match(result.stderr, /nginx -t rejected the configuration/);
            assert.match(result.stderr, /not_an_nginx_directive/);
        } finally {
            await writeFile(sandbox.siteFile, site);
        }
        assert.equal(await readFile(sandbox.upstreamFile, "utf8"), upstream, "the upstream file was not restored");
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        assert.equal((await sandbox.state()).active_release, v1);
        await assertOnlyActiveRunning(sandbox.appPorts[0]);
    });
});
