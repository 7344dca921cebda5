// Faults the release switch must survive (issue 11, items 8 and 9), run for
// real on loopback: Debian's nginx, PM2 from node_modules, release-switch.sh.
//
// - A release that passes its health check and then crashes (a crash loop
//   under PM2): the switch watches it with the previous release still
//   running, points nginx back, removes the bad release and exits 6 naming
//   the cause. Under load, no request fails from the moment the switch back
//   starts.
// - A SIGKILL of the switch during that watch window: `resume` finishes the
//   watch and ends in one consistent state (here: back on the old release).
// - A SIGKILL while a candidate is starting: `resume` removes the candidate
//   PM2 still runs.
// - A read-only releases folder: a message naming the folder and the fix.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile, readlink } from "node:fs/promises";
import * as path from "node:path";
import { LoadResult, startLoad } from "./load-generator";
import { LoopbackSandbox, releaseSwitchScript, requireNginx, run, RunResult, servedVersions, sleep, SpawnedSwitch } from "./loopback-sandbox";

const LOAD_CONNECTIONS = 1000;
/** How long each worker of the crashing build lives: longer than its health gate and the nginx switch. */
const CRASH_AFTER_MS = 5000;
const WATCH_SECONDS = 20;

const runId = randomBytes(3).toString("hex");
const v1 = `v1-${runId}`;

/** health.js of a build that answers its health check, then crashes (each PM2 worker, each restart). */
const crashingHealth = `"use strict";
setTimeout(() => { throw new Error("crash after the health check (test)"); }, ${CRASH_AFTER_MS});
module.exports = () => ({ ok: true });
`;
const failingHealth = "\"use strict\";\nmodule.exports = () => ({ ok: false, reason: \"never healthy (test)\" });\n";

function describeRun(result: RunResult): string {
    return `exit ${result.code} after ${result.durationMs}ms\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

describe("release-switch.sh faults on loopback (nginx + PM2, real)", function () {
    this.timeout(240_000);
    let sandbox: LoopbackSandbox;

    before(async function () {
        requireNginx(this);
        sandbox = await LoopbackSandbox.start({ healthTimeoutSec: 20, watchSeconds: WATCH_SECONDS, instances: "2" });
        const result = await sandbox.releaseSwitch(["deploy", await sandbox.packRelease(v1), v1], { RS_WATCH_SECONDS: "0" });
        assert.equal(result.code, 0, describeRun(result));
    });

    after(async () => {
        await sandbox?.stop();
    });


    async function pm2Names(): Promise<string[]> {
        return [...new Set((await sandbox.pm2List()).map((proc) => proc.name))].sort();
    }

    /** v1 on its port is all that runs and all nginx serves; the state and `current` say so. */
    async function assertBackOnV1(previous: string): Promise<void> {
        const v1Port = sandbox.appPorts[0];
        assert.deepEqual(await pm2Names(), [`sandbox-${v1Port}`], "PM2 should run v1 only");
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.active_port, state.previous_release], [v1, String(v1Port), previous]);
        assert.equal(state.watch_fallback_port ?? "", "", "no watch should be left pending");
        assert.equal(await readlink(path.join(sandbox.appRoot, "current")), `releases/${v1}`);
        const upstream = await readFile(sandbox.upstreamFile, "utf8");
        assert.match(upstream, new RegExp(`server 127\\.0\\.0\\.1:${v1Port} `));
        assert.doesNotMatch(upstream, /backup/, "the switch back leaves no backup server");
    }

    /** The moment the switch says it started to point nginx back (its own clock, ms since the epoch). */
    function switchBackStartedAt(stdout: string): number {
        const match = /watch failed at (\S+Z): .*; switching nginx back/.exec(stdout);
        assert.ok(match, `no switch back announced:\n${stdout}`);
        return Date.parse(match[1]);
    }

    it("switches nginx back when a release crashes after its health check, with no failed request from the switch back on and no 502", async () => {
        const before = await sandbox.state();
        const bad = `v2-crashes-${runId}`;
        const archive = await sandbox.packRelease(bad, { health: crashingHealth });
        const load = startLoad({ url: `${sandbox.url}/version`, connections: LOAD_CONNECTIONS });
        let result: RunResult;
        let loadResult: LoadResult | undefined;
        try {
            await load.untilInFlight(LOAD_CONNECTIONS);
            await sleep(500);
            result = await sandbox.releaseSwitch(["deploy", archive, bad]);
            // Requests sent after the switch back count too.
            await sleep(2000);
        } finally {
            loadResult = await load.stop().catch(() => undefined);
        }
        assert.equal(result.code, 6, describeRun(result));
        assert.match(result.stderr, new RegExp(`release ${bad} restarted \\d+ times? within [\\d.]+ ?s of the switch`), describeRun(result));
        assert.match(result.stderr, new RegExp(`switched back to ${v1} on :${sandbox.appPorts[0]}`));
        assert.match(result.stderr, /was live for \d+ms/);
        const backAt = switchBackStartedAt(result.stdout);
        const failedAfter = load.failedSentSince(backAt);
        console.log(`      ${result.stderr.trim()}`);
        console.log(`      crash after health: failed in total ${loadResult?.failed} (non-2xx ${loadResult?.non2xx}, dropped ${loadResult?.dropped}, timeouts ${loadResult?.timeouts}), sent from the switch back on and failed ${failedAfter}; answered ${loadResult?.answered}`);
        assert.ok(loadResult && loadResult.answered > LOAD_CONNECTIONS, `the load should have been served: ${JSON.stringify(loadResult)}`);
        assert.equal(failedAfter, 0, `requests sent from the switch back on failed: ${JSON.stringify(loadResult)}`);
        // While it is watched, the new release has the old one as nginx's
        // backup: a GET the crash cut off is retried there, so no client sees
        // a 502. (A request Node's cluster master had handed to a worker
        // that died can hang until the client gives up; those are counted
        // in the total above, not here.)
        assert.equal(loadResult.non2xx, 0, `error answers while the crashing release was live: ${JSON.stringify(loadResult)}`);
        // The bad release's PM2 app is gone, v1 never stopped, the state is as before the deploy.
        await assertBackOnV1(before.previous_release ?? "");
    });

    it("resume after a SIGKILL during the watch window finishes the watch: back on the old release", async () => {
        const before = await sandbox.state();
        const bad = `v3-crashes-${runId}`;
        const spawned: SpawnedSwitch = sandbox.spawnReleaseSwitch(["deploy", await sandbox.packRelease(bad, { health: crashingHealth }), bad]);
        await until("the switch to start watching", () => /watching /.test(spawned.stdout()) || spawned.child.exitCode !== null);
        assert.equal(spawned.child.exitCode, null, `the switch ended before its watch:\n${spawned.stdout()}`);
        spawned.killGroup();
        await spawned.result;
        // Killed mid-watch: nginx serves the new release with the old one, still running, as its backup.
        assert.equal((await sandbox.state()).watch_fallback_port, String(sandbox.appPorts[0]));
        const upstream = await readFile(sandbox.upstreamFile, "utf8");
        assert.match(upstream, new RegExp(`server 127\\.0\\.0\\.1:${sandbox.appPorts[1]} max_fails=0;\\s+server 127\\.0\\.0\\.1:${sandbox.appPorts[0]} backup;`), upstream);

        const resumed = await sandbox.releaseSwitch(["resume"]);
        assert.equal(resumed.code, 6, describeRun(resumed));
        assert.match(resumed.stderr, new RegExp(`release ${bad} restarted \\d+ times?`));
        await assertBackOnV1(before.previous_release ?? "");
    });

    it("resume after a SIGKILL while a candidate starts removes the candidate from PM2", async () => {
        const stuck = `v4-never-healthy-${runId}`;
        const idle = `sandbox-${sandbox.appPorts[1]}`;
        const spawned = sandbox.spawnReleaseSwitch(["deploy", await sandbox.packRelease(stuck, { health: failingHealth }), stuck], { RS_HEALTH_TIMEOUT: "120" });
        await until("the candidate to be under PM2 and health-checked", async () => /health check: GET/.test(spawned.stdout()) && (await pm2Names()).includes(idle));
        spawned.killGroup();
        await spawned.result;
        assert.ok((await pm2Names()).includes(idle), "the killed switch left its candidate running (the fault this test is about)");

        const resumed = await sandbox.releaseSwitch(["resume"]);
        assert.equal(resumed.code, 0, describeRun(resumed));
        assert.match(resumed.stdout, new RegExp(`removed ${idle}`));
        assert.deepEqual(await pm2Names(), [`sandbox-${sandbox.appPorts[0]}`], "resume should leave the active release only");
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
    });

    it("refuses a read-only releases folder with a message naming the folder and the fix, changing nothing", async function () {
        const releases = path.join(sandbox.appRoot, "releases");
        const release = `v5-${runId}`;
        const archive = await sandbox.packRelease(release);
        const before = await sandbox.state();
        let result: RunResult;
        if (process.getuid?.() === 0) {
            // Root writes through any mode bits: make the folder a read-only
            // mount instead, in a mount namespace of the switch's own (gone with it).
            const probe = await run("unshare", ["-m", "true"]);
            if (probe.code !== 0) this.skip();
            const script = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec bash "$@"';
            result = await run("unshare", ["-m", "bash", "-c", script, "_", releases, releaseSwitchScript, "deploy", archive, release], { env: sandbox.env() });
        } else {
            await run("chmod", ["0555", releases]);
            try {
                result = await sandbox.releaseSwitch(["deploy", archive, release]);
            } finally {
                await run("chmod", ["0755", releases]);
            }
        }
        assert.equal(result.code, 1, describeRun(result));
        assert.doesNotMatch(result.stderr, /unexpected failure/, describeRun(result));
        assert.match(result.stderr, new RegExp(`releases folder ${releases.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not writable`), describeRun(result));
        assert.match(result.stderr, /(Read-only file system|Permission denied)/);
        assert.match(result.stderr, /[Ff]ix: /);
        assert.deepEqual(await sandbox.state().then((state) => state.active_release), before.active_release);
        assert.deepEqual(await servedVersions(sandbox), new Set([v1]));
    });

    it("keeps the previous release running, as nginx's backup, until a good release has passed its watch, then stops it", async () => {
        const good = `v6-${runId}`;
        const [v1Port, v6Port] = sandbox.appPorts;
        const spawned = sandbox.spawnReleaseSwitch(["deploy", await sandbox.packRelease(good), good], { RS_WATCH_SECONDS: "4" });
        await until("the switch to start watching", () => /watching /.test(spawned.stdout()) || spawned.child.exitCode !== null);
        assert.deepEqual(await pm2Names(), [`sandbox-${v1Port}`, `sandbox-${v6Port}`].sort(), "both releases run during the watch");
        assert.match(await readFile(sandbox.upstreamFile, "utf8"), new RegExp(`server 127\\.0\\.0\\.1:${v1Port} backup;`));
        const result = await spawned.result;
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stdout, new RegExp(`${good} stayed healthy for 4s`));
        assert.deepEqual(await pm2Names(), [`sandbox-${v6Port}`]);
        assert.doesNotMatch(await readFile(sandbox.upstreamFile, "utf8"), /backup/);
        assert.deepEqual(await servedVersions(sandbox), new Set([good]));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.previous_release, state.watch_fallback_port], [good, v1, undefined]);
    });

    it("a deploy after a switch killed in its watch window finishes that watch first, so the unproven release never becomes the previous one", async () => {
        const proven = (await sandbox.state()).active_release;
        const bad = `v7-crashes-${runId}`;
        const spawned = sandbox.spawnReleaseSwitch(["deploy", await sandbox.packRelease(bad, { health: crashingHealth }), bad]);
        await until("the switch to start watching", () => /watching /.test(spawned.stdout()) || spawned.child.exitCode !== null);
        spawned.killGroup();
        await spawned.result;

        const next = `v8-${runId}`;
        // This deploy has the watch turned off: the interrupted switch's watch still lasts its own
        // window (recorded in the state), or the crash (CRASH_AFTER_MS after the start) would be waved through.
        const result = await sandbox.releaseSwitch(["deploy", await sandbox.packRelease(next), next], { RS_WATCH_SECONDS: "0" });
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stdout, new RegExp(`the switch to ${bad} was interrupted in its watch window; finishing it first`));
        assert.match(result.stdout, new RegExp(`watching ${bad} on :\\d+ for ${WATCH_SECONDS}s`), describeRun(result));
        // Which symptom the watch sees first depends on timing: the restart count, the
        // PM2 status of a worker mid-crash ('errored', 'stopped') or the failed health checks.
        assert.match(result.stderr, new RegExp(`release ${bad} (restarted \\d+ times?|was '[a-z]+' under PM2|failed its health check)`), `the unfinished watch caught the crash: ${describeRun(result)}`);
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.previous_release], [next, proven], "rollback must lead to the release that was proven, not the crashing one");
        assert.deepEqual(await pm2Names(), [`sandbox-${state.active_port}`]);
        assert.deepEqual(await servedVersions(sandbox), new Set([next]));
    });

    it("resume after a reboot in the watch window goes back to the last release that passed its watch", async () => {
        const before = await sandbox.state();
        const unproven = `v9-${runId}`;
        const spawned = sandbox.spawnReleaseSwitch(["deploy", await sandbox.packRelease(unproven), unproven], { RS_WATCH_SECONDS: "120" });
        await until("the switch to start watching", () => /watching /.test(spawned.stdout()) || spawned.child.exitCode !== null);
        spawned.killGroup();
        await spawned.result;
        await sandbox.killPm2(); // the reboot: PM2 and both releases are gone

        const resumed = await sandbox.releaseSwitch(["resume"]);
        assert.equal(resumed.code, 0, describeRun(resumed));
        assert.match(resumed.stderr, new RegExp(`going back to ${before.active_release}, the last release that passed its watch \\(the next deploy tries ${unproven} again\\)`));
        const state = await sandbox.state();
        assert.deepEqual([state.active_release, state.active_port, state.previous_release, state.watch_fallback_port], [before.active_release, before.active_port, before.previous_release, undefined]);
        assert.deepEqual(await pm2Names(), [`sandbox-${before.active_port}`]);
        assert.deepEqual(await servedVersions(sandbox), new Set([before.active_release]));
        assert.doesNotMatch(await readFile(sandbox.upstreamFile, "utf8"), /backup/);
    });
});
