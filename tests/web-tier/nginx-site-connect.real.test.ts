// The nginx site (payload/nginx-site.conf.template) against an app that is
// slow to accept, for real on loopback with Debian's nginx.
//
// When a reload (every release switch does two) starts fresh workers, their
// upstream keep-alive pools are empty, so every request in flight opens a new
// connection to the app at once. A Node app's accept queue (backlog 511) fills,
// the kernel drops the SYNs beyond it, and each such connect gets through only
// on a SYN retransmit: Linux resends 1 s, 3 s and 7 s after the first SYN
// (RFC 6298's 1 s initial RTO, doubled each time). A proxy_connect_timeout of
// 2 s gave up before the second one and answered 504: CI saw 116 of them in
// one switch under 2000 requests in flight. The site waits out three.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { getJson, LoopbackSandbox, requireNginx } from "./loopback-sandbox";

const swampedAppScript = path.join(__dirname, "fixtures/swamped-app.py");
/** Past the first SYN retransmit (1 s) and the old 2 s connect timeout; before the second retransmit (3 s). */
const SWAMPED_SECONDS = 2.5;

describe("nginx site on loopback: an app slow to accept (real)", function () {
    this.timeout(60_000);
    let sandbox: LoopbackSandbox;

    before(async function () {
        requireNginx(this);
        sandbox = await LoopbackSandbox.start();
    });

    after(async () => {
        await sandbox?.stop();
    });

    it(`waits out an accept queue full for ${SWAMPED_SECONDS}s (past the second SYN retransmit) instead of answering 504`, async () => {
        const app = spawn("python3", [swampedAppScript, String(SWAMPED_SECONDS)], { stdio: ["pipe", "pipe", "inherit"] });
        try {
            const [portLine] = (await once(createInterface({ input: app.stdout! }), "line")) as [string];
            const appPort = Number(portLine);
            assert.ok(appPort > 0, `the swamped app printed no port: ${portLine}`);
            // The upstream file as release-switch.sh writes it, pointing at the swamped app.
            await writeFile(sandbox.upstreamFile, `upstream webstack_app {\n    server 127.0.0.1:${appPort} max_fails=0;\n    keepalive 8;\n}\n`);
            await sandbox.reloadNginx();

            app.stdin!.write("go\n");
            const started = Date.now();
            const { status, body } = await getJson(`${sandbox.url}/anything`);
            const tookMs = Date.now() - started;
            assert.equal(status, 200, `after ${tookMs}ms nginx answered ${status} ${JSON.stringify(body)}; its error log:\n${await sandbox.nginxErrors()}`);
            assert.equal(body, "ok");
            assert.ok(tookMs >= SWAMPED_SECONDS * 1000 - 200, `answered in ${tookMs}ms: the app was not swamped, so this test proved nothing`);
        } finally {
            app.kill("SIGKILL");
        }
    });
});
