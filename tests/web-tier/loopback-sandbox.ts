// A throwaway copy of WebTier's instance payload on loopback: Debian's nginx
// in its own prefix (config, pid, logs, temp dirs), PM2 with its own
// PM2_HOME, and release-switch.sh driven exactly as on an instance but with
// sandbox paths and unprivileged ports. Shared by the real test and the bench.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as fs from "node:fs/promises";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "../..");
export const payloadDir = path.join(repoRoot, "components/web-tier/payload");
export const releaseSwitchScript = path.join(payloadDir, "release-switch.sh");
export const exampleApiDir = path.join(repoRoot, "examples/api");
const pm2Bin = path.join(repoRoot, "node_modules/.bin/pm2");
const nginxCandidates = ["/usr/sbin/nginx", "/usr/bin/nginx"];

export const nginxInstallHint = "nginx is not installed: apt-get install -y nginx (Debian/Ubuntu) or dnf install -y nginx";

/** Path of the nginx binary, or undefined when there is none. */
/**
 * For a real test's `before`: nginx is required in CI (the run fails naming
 * the package to install) and skipped elsewhere with the same hint.
 */
export function requireNginx(context: Mocha.Context): void {
    if (findNginx()) return;
    if (process.env.CI === "true") throw new Error(nginxInstallHint);
    console.warn(`    skipped: ${nginxInstallHint}`);
    context.skip();
}

export function findNginx(): string | undefined {
    return nginxCandidates.find((candidate) => existsSync(candidate));
}

export interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
    durationMs: number;
}

/** Runs a command without blocking the event loop (the load generator shares it). */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr, durationMs: Date.now() - started }));
    });
}

export async function mustRun(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
    const result = await run(command, args, options);
    if (result.code !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}${result.stderr}`);
    }
    return result;
}

/** Ports the kernel hands out as free right now (listen on 0, then close). */
export async function freePorts(count: number): Promise<number[]> {
    const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server));
    })));
    const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    return ports;
}

/** GET over a fresh connection; resolves with the status and parsed JSON body. */
export function getJson(url: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { agent: false, timeout: 5000 }, (response) => {
            let raw = "";
            response.on("data", (chunk) => (raw += chunk));
            response.on("end", () => {
                let body: unknown = raw;
                try { body = JSON.parse(raw); } catch { /* not JSON: keep the text */ }
                resolve({ status: response.statusCode ?? 0, body });
            });
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
        request.on("error", reject);
    });
}

// The sandbox's nginx.conf plays /etc/nginx/nginx.conf: everything that
// Debian's build would put under /var or /run is moved into the prefix.
// A second server on its own port exposes stub_status, so a test can see how
// many client connections nginx itself holds during a switch.
function mainNginxConf(prefix: string, statusPort: number): string {
    const asRoot = process.getuid?.() === 0;
    return [
        "# Sandbox nginx.conf written by tests/web-tier/loopback-sandbox.ts.",
        // A root master would otherwise switch workers to "nobody", who cannot
        // enter the private temporary prefix; a non-root master ignores `user`.
        asRoot ? "user root;" : "",
        "worker_processes auto;",
        "worker_rlimit_nofile 16384;",
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/logs/error.log warn;`,
        "events { worker_connections 8192; }",
        "http {",
        "    access_log off;",
        `    client_body_temp_path ${prefix}/tmp/body;`,
        `    proxy_temp_path ${prefix}/tmp/proxy;`,
        `    fastcgi_temp_path ${prefix}/tmp/fastcgi;`,
        `    uwsgi_temp_path ${prefix}/tmp/uwsgi;`,
        `    scgi_temp_path ${prefix}/tmp/scgi;`,
        `    include ${prefix}/conf.d/*.conf;`,
        `    server { listen 127.0.0.1:${statusPort}; location = /nginx-status { stub_status; } }`,
        "}",
        "",
    ].join("\n");
}

export interface Pm2Process {
    name: string;
    pid: number;
    status: string;
    /** The environment PM2 gives the app (what process.env holds in it). */
    env: Record<string, unknown>;
}

export interface SandboxOptions {
    /** PM2 workers per release (RS_INSTANCES). @default "max" */
    instances?: string;
    /** Seconds a candidate has to pass its health check. @default 20 */
    healthTimeoutSec?: number;
    /** nginx client keepalive_timeout the site is rendered with; undefined keeps the script's default. */
    clientKeepaliveSec?: number;
    /**
     * Seconds the switch watches a new release before it stops the old one
     * (RS_WATCH_SECONDS). Short here so every switch in the suites still goes
     * through the watch without waiting out the instance default (30).
     * @default 2
     */
    watchSeconds?: number;
    /**
     * The app user as on an instance (RS_APP_USER: npm runs as this user), e.g.
     * "nobody"; needs root. The sandbox opens its prefix to it and hands it the
     * app log folder, as deploy-release.sh does. PM2 still runs as the caller.
     */
    appUser?: string;
}

/** A release-switch.sh run in the background (see `spawnReleaseSwitch`). */
export interface SpawnedSwitch {
    child: ChildProcess;
    result: Promise<RunResult>;
    stdout(): string;
    /** SIGKILL to the whole process group: the script and whatever it runs at that moment. */
    killGroup(): void;
}

export class LoopbackSandbox {
    private nginxStarted = false;
    private pm2Used = false;

    private constructor(
        readonly prefix: string,
        readonly nginx: string,
        readonly listenPort: number,
        readonly statusPort: number,
        readonly appPorts: [number, number],
        private readonly options: SandboxOptions,
    ) {}

    /** Creates the prefix, renders the site with release-switch.sh and starts nginx. */
    static async start(options: SandboxOptions = {}): Promise<LoopbackSandbox> {
        const nginx = findNginx();
        if (!nginx) throw new Error(nginxInstallHint);
        const prefix = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-switch-"));
        const [listenPort, statusPort, blue, green] = await freePorts(4);
        const sandbox = new LoopbackSandbox(prefix, nginx, listenPort, statusPort, [blue, green], options);
        try {
            for (const dir of ["conf.d", "logs", "tmp", "app", "pm2", "builds"]) {
                await fs.mkdir(path.join(prefix, dir), { recursive: true });
            }
            if (options.appUser) await sandbox.handOverToAppUser(options.appUser);
            await fs.writeFile(sandbox.nginxConf, mainNginxConf(prefix, statusPort));
            await mustRun("bash", [releaseSwitchScript, "install-site"], { env: sandbox.env() });
            await mustRun(nginx, [...sandbox.nginxArgs(), "-t", "-q"]);
            await mustRun(nginx, sandbox.nginxArgs());
            sandbox.nginxStarted = true;
        } catch (error) {
            await sandbox.stop();
            throw error;
        }
        return sandbox;
    }

    /** What deploy-release.sh does for the app user: its own app log folder and npm cache. */
    private async handOverToAppUser(user: string): Promise<void> {
        const [uid, gid] = await Promise.all(["-u", "-g"].map(async (flag) => Number((await mustRun("id", [flag, user])).stdout.trim())));
        // mkdtemp makes the prefix 0700: the app user must be able to pass through.
        await fs.chmod(this.prefix, 0o755);
        for (const dir of [path.join(this.appRoot, "logs"), this.npmCache]) {
            await fs.mkdir(dir, { recursive: true });
            await fs.chown(dir, uid, gid);
        }
    }

    /** npm's cache for the app user (whose home may not exist, e.g. nobody's). */
    get npmCache(): string {
        return path.join(this.prefix, "npm-cache");
    }

    get nginxConf(): string {
        return path.join(this.prefix, "nginx.conf");
    }

    /** The site file install-site renders (conf.d/ of the sandbox's nginx). */
    get siteFile(): string {
        return path.join(this.prefix, "conf.d/webstack.conf");
    }

    /** The upstream include release-switch.sh rewrites on each switch. */
    get upstreamFile(): string {
        return path.join(this.prefix, "webstack/upstream.conf");
    }

    get appRoot(): string {
        return path.join(this.prefix, "app");
    }

    get url(): string {
        return `http://127.0.0.1:${this.listenPort}`;
    }

    /** nginx's own arguments: prefix, config, and an error log before the config is read. */
    nginxArgs(): string[] {
        return ["-p", `${this.prefix}/`, "-c", this.nginxConf, "-e", path.join(this.prefix, "logs/error.log")];
    }

    /** The environment release-switch.sh runs with here (the RS_* interface). */
    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        const keepalive = this.options.clientKeepaliveSec;
        return {
            ...process.env,
            PM2_HOME: path.join(this.prefix, "pm2"),
            RS_ROOT: this.appRoot,
            RS_APP_NAME: "sandbox",
            RS_PORTS: this.appPorts.join(","),
            RS_INSTANCES: this.options.instances ?? "max",
            RS_HEALTH_TIMEOUT: String(this.options.healthTimeoutSec ?? 20),
            RS_WATCH_SECONDS: String(this.options.watchSeconds ?? 2),
            RS_NGINX: [this.nginx, ...this.nginxArgs()].join(" "),
            RS_NGINX_PID_FILE: path.join(this.prefix, "nginx.pid"),
            RS_UPSTREAM_FILE: this.upstreamFile,
            RS_SITE_FILE: this.siteFile,
            RS_LISTEN: `127.0.0.1:${this.listenPort}`,
            ...(keepalive === undefined ? {} : { RS_CLIENT_KEEPALIVE: String(keepalive) }),
            RS_PM2: pm2Bin,
            ...(this.options.appUser ? { RS_APP_USER: this.options.appUser, npm_config_cache: this.npmCache } : {}),
            ...extra,
        };
    }

    /** Runs release-switch.sh with the sandbox's settings plus `extraEnv`. */
    releaseSwitch(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
        this.pm2Used = true;
        return run("bash", [releaseSwitchScript, ...args], { env: this.env(extraEnv) });
    }

    /**
     * Starts release-switch.sh without waiting for it, in a process group of
     * its own, so a test can SIGKILL it (and the pm2/curl/sleep it runs) at a
     * chosen step, as a power cut or an SSM timeout would. `stdout()` is what
     * it printed so far.
     */
    spawnReleaseSwitch(args: string[], extraEnv: Record<string, string> = {}): SpawnedSwitch {
        this.pm2Used = true;
        const started = Date.now();
        const child = spawn("bash", [releaseSwitchScript, ...args], { env: this.env(extraEnv), stdio: ["ignore", "pipe", "pipe"], detached: true });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (chunk) => (stdout += chunk));
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        const result = new Promise<RunResult>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => resolve({ code, stdout, stderr, durationMs: Date.now() - started }));
        });
        return {
            child,
            result,
            stdout: () => stdout,
            killGroup: () => process.kill(-child.pid!, "SIGKILL"),
        };
    }

    /**
     * Packs examples/api as a release archive the way a build would. `health`
     * replaces health.js, which is how a test makes a build that fails its
     * health check (or crashes later) without the example carrying a switch for it.
     */
    async packRelease(name: string, overrides: { health?: string } = {}): Promise<string> {
        const source = path.join(this.prefix, "builds", name);
        await fs.cp(exampleApiDir, source, { recursive: true });
        if (overrides.health !== undefined) await fs.writeFile(path.join(source, "health.js"), overrides.health);
        const archive = path.join(this.prefix, "builds", `${name}.tgz`);
        await mustRun("tar", ["-czf", archive, "-C", source, "."]);
        return archive;
    }

    /** The state file release-switch.sh keeps, as key/value pairs. */
    async state(): Promise<Record<string, string>> {
        const text = await fs.readFile(path.join(this.appRoot, "state/release.state"), "utf8");
        return Object.fromEntries(text.split("\n").filter((line) => line.includes("=")).map((line) => {
            const at = line.indexOf("=");
            return [line.slice(0, at), line.slice(at + 1)];
        }));
    }

    /** PM2's process list from the sandbox's PM2_HOME: name, pid, status and the app's environment. */
    async pm2List(): Promise<Pm2Process[]> {
        const result = await mustRun(pm2Bin, ["jlist"], { env: this.env() });
        const list = JSON.parse(result.stdout.slice(result.stdout.indexOf("["))) as Array<{ name: string; pid: number; pm2_env: { status: string; env: Record<string, unknown> } }>;
        return list.map((proc) => ({ name: proc.name, pid: proc.pid, status: proc.pm2_env.status, env: proc.pm2_env.env }));
    }

    /** nginx's stub_status: client connections open, and those reading a request or writing a response. */
    async nginxStatus(): Promise<{ active: number; reading: number; writing: number; waiting: number }> {
        const { body } = await getJson(`http://127.0.0.1:${this.statusPort}/nginx-status`);
        const number = (pattern: RegExp) => Number(pattern.exec(String(body))?.[1] ?? NaN);
        return {
            active: number(/Active connections:\s*(\d+)/),
            reading: number(/Reading:\s*(\d+)/),
            writing: number(/Writing:\s*(\d+)/),
            waiting: number(/Waiting:\s*(\d+)/),
        };
    }

    /** Reloads nginx (after a test rewrote its upstream) and waits until the workers from before are gone. */
    async reloadNginx(): Promise<void> {
        await reloadNginxGracefully(this.nginx, this.nginxArgs(), path.join(this.prefix, "nginx.pid"));
    }

    /** The last lines of nginx's error log, for a failure message. */
    async nginxErrors(lines = 20): Promise<string> {
        const text = await fs.readFile(path.join(this.prefix, "logs/error.log"), "utf8").catch(() => "");
        return text.trimEnd().split("\n").slice(-lines).join("\n");
    }

    /** Kills the sandbox's PM2 daemon and its apps, as a reboot would. */
    async killPm2(): Promise<void> {
        await mustRun(pm2Bin, ["kill"], { env: this.env() });
        this.pm2Used = false;
    }

    /** Kills PM2 (its daemon and apps) and stops nginx; safe to call twice or after a failed start. */
    async stop(): Promise<void> {
        const problems: string[] = [];
        if (this.pm2Used) await this.killPm2().catch((error) => problems.push(String(error)));
        if (this.nginxStarted) {
            await this.stopNginx().catch((error) => problems.push(`nginx: ${error}`));
            this.nginxStarted = false;
        }
        if (problems.length === 0) await fs.rm(this.prefix, { recursive: true, force: true });
        else throw new Error(`sandbox cleanup left things behind in ${this.prefix}:\n${problems.join("\n")}`);
    }

    private async stopNginx(): Promise<void> {
        await stopNginxGracefully(this.nginx, this.nginxArgs(), path.join(this.prefix, "nginx.pid"));
    }
}

/**
 * `nginx -s reload` (a graceful reload: new workers with the new config, the
 * old ones finish what they hold and exit), then waits until the workers from
 * before are gone, so every request from then on meets the new config.
 */
export async function reloadNginxGracefully(nginx: string, nginxArgs: string[], pidFile: string): Promise<void> {
    const workers = async () => {
        const master = (await fs.readFile(pidFile, "utf8")).trim();
        return (await run("ps", ["-o", "pid=", "--ppid", master])).stdout.split(/\s+/).filter(Boolean);
    };
    const before = await workers();
    await mustRun(nginx, [...nginxArgs, "-s", "reload"]);
    for (let waited = 0; (await workers()).some((pid) => before.includes(pid)); waited += 100) {
        if (waited > 10_000) throw new Error(`nginx workers ${before.join(" ")} still running 10s after the reload`);
        await sleep(100);
    }
}

/** `nginx -s quit` (graceful), then SIGTERM if the master is still there 10 s later. */
export async function stopNginxGracefully(nginx: string, nginxArgs: string[], pidFile: string): Promise<void> {
    const pid = Number((await fs.readFile(pidFile, "utf8").catch(() => "")).trim());
    await run(nginx, [...nginxArgs, "-s", "quit"]);
    if (!pid) return;
    // A graceful quit waits for open connections; give it 10s, then insist.
    for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGTERM");
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The versions nginx serves over `times` requests of `/version`: one during a steady state, two mid-switch. */
export async function servedVersions(sandbox: LoopbackSandbox, times = 6): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < times; i++) {
        const { status, body } = await getJson(`${sandbox.url}/version`);
        assert.equal(status, 200, `GET /version through nginx: ${JSON.stringify(body)}`);
        seen.add(body.version);
    }
    return seen;
}
