// The ALB's stand-in for the loopback rehearsal of a blue/green traffic move:
// a FRONT nginx on a loopback port with one upstream that lists the blue and
// the green fleet, weighted by the traffic shares, as the listener's forward
// action lists the two target groups with their weights. Moving traffic is
// rewriting that upstream and reloading nginx gracefully, as a `pulumi up`
// updates the listener's weights.
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { COLORS, Color, TrafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { findNginx, freePorts, mustRun, nginxInstallHint, reloadNginxGracefully, stopNginxGracefully } from "../loopback-sandbox";

/** Where each color's fleet listens ("127.0.0.1:port"): what its target group would register. */
export type FleetAddresses = Record<Color, string>;

export const UPSTREAM_NAME = "blue_green";

/**
 * The upstream block for `shares`, one server per color, blue first.
 *
 * - `weight=` is the share itself (nginx's smooth weighted round robin sends
 *   `weight / sum` of the requests to each server, per worker).
 * - A 0 % color stays listed but is marked `down`: nginx refuses `weight=0`
 *   (it must be ≥ 1), and `down` is what a listener weight of 0 means (the
 *   target group stays in the forward action and receives nothing), so the
 *   block keeps the listener's shape at every step. Leaving it out would route
 *   the same; `down` also keeps the order and count of servers fixed.
 * - `max_fails=0`: nginx never takes a fleet out because requests to it
 *   failed. The ALB does not either: only its health checks decide, and a
 *   weighted target group keeps its share whatever its targets answer.
 *
 * @example renderUpstream({ blue: "127.0.0.1:8001", green: "127.0.0.1:8002" }, { blue: 90, green: 10 })
 */
export function renderUpstream(fleets: FleetAddresses, shares: TrafficShares): string {
    const total = COLORS.reduce((sum, color) => sum + shares[color], 0);
    if (total <= 0) throw new Error(`no color receives traffic: ${JSON.stringify(shares)}`);
    const servers = COLORS.map((color) => {
        const share = shares[color];
        if (!Number.isInteger(share) || share < 0) throw new Error(`the ${color} share must be a whole number >= 0, got ${share}`);
        const routing = share === 0 ? "down" : `weight=${share}`;
        return `    server ${fleets[color]} ${routing} max_fails=0;  # ${color}: ${share} %`;
    });
    return [`upstream ${UPSTREAM_NAME} {`, ...servers, "}", ""].join("\n");
}

// The front server: what the ALB's listener does with a request, nothing more.
function renderServer(listen: string): string {
    return [
        "server {",
        `    listen ${listen} backlog=4096;`,
        // Each client request on its own connection: a graceful reload then
        // never closes an idle keep-alive connection a client has just written
        // its next request into (see payload/nginx-site.conf.template). The ALB
        // drains listener changes without that race; this keeps the stand-in's
        // own reload from being what fails a request.
        "    keepalive_timeout 0;",
        "    proxy_set_header Host $host;",
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        // As the fleet's own nginx: a connect that hangs is a full accept
        // queue, and Linux resends the SYN after 1 s and 3 s.
        "    proxy_connect_timeout 8s;",
        "    proxy_read_timeout 60s;",
        // No retry to the other color: an ALB sends a request to one target of
        // the target group the weights picked and answers 502/503/504 itself
        // when that target fails; it does not try another target group. A
        // retry here would hide a failing fleet and skew the observed shares.
        "    proxy_next_upstream off;",
        `    location / { proxy_pass http://${UPSTREAM_NAME}; }`,
        "}",
        "",
    ].join("\n");
}

function mainConf(prefix: string): string {
    const asRoot = process.getuid?.() === 0;
    return [
        "# Front nginx (the ALB stand-in) written by tests/web-tier/blue-green/weighted-balancer.ts.",
        asRoot ? "user root;" : "",
        "worker_processes auto;",
        "worker_rlimit_nofile 16384;",
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/logs/error.log warn;`,
        "events { worker_connections 8192; }",
        "http {",
        "    access_log off;",
        ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `    ${kind}_temp_path ${prefix}/tmp/${kind};`),
        `    include ${prefix}/upstream.conf;`,
        `    include ${prefix}/server.conf;`,
        "}",
        "",
    ].join("\n");
}

export class WeightedBalancer {
    private running = false;
    private current: TrafficShares;

    private constructor(
        readonly prefix: string,
        readonly nginx: string,
        readonly port: number,
        readonly fleets: FleetAddresses,
        shares: TrafficShares,
    ) {
        this.current = shares;
    }

    /** Starts the front nginx on a free loopback port with `shares` in force. */
    static async start(fleets: FleetAddresses, shares: TrafficShares): Promise<WeightedBalancer> {
        const nginx = findNginx();
        if (!nginx) throw new Error(nginxInstallHint);
        const prefix = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-front-"));
        const [port] = await freePorts(1);
        const balancer = new WeightedBalancer(prefix, nginx, port, fleets, shares);
        try {
            for (const dir of ["logs", "tmp"]) await fs.mkdir(path.join(prefix, dir));
            await fs.writeFile(path.join(prefix, "nginx.conf"), mainConf(prefix));
            await fs.writeFile(path.join(prefix, "server.conf"), renderServer(`127.0.0.1:${port}`));
            await fs.writeFile(balancer.upstreamFile, renderUpstream(fleets, shares));
            await mustRun(nginx, [...balancer.nginxArgs(), "-t", "-q"]);
            await mustRun(nginx, balancer.nginxArgs());
            balancer.running = true;
        } catch (error) {
            await balancer.stop();
            throw error;
        }
        return balancer;
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    get upstreamFile(): string {
        return path.join(this.prefix, "upstream.conf");
    }

    /** The shares in force. */
    get shares(): TrafficShares {
        return { ...this.current };
    }

    nginxArgs(): string[] {
        return ["-p", `${this.prefix}/`, "-c", path.join(this.prefix, "nginx.conf"), "-e", path.join(this.prefix, "logs/error.log")];
    }

    /**
     * Moves traffic to `shares`: rewrites the upstream, checks it with
     * `nginx -t` (restoring the old one if rejected) and reloads gracefully.
     * Resolves once the workers of the old weights are gone, so every request
     * accepted from then on is routed by the new ones.
     */
    async setShares(shares: TrafficShares): Promise<void> {
        const previous = await fs.readFile(this.upstreamFile, "utf8");
        await fs.writeFile(this.upstreamFile, renderUpstream(this.fleets, shares));
        try {
            await mustRun(this.nginx, [...this.nginxArgs(), "-t", "-q"]);
        } catch (error) {
            await fs.writeFile(this.upstreamFile, previous);
            throw error;
        }
        await reloadNginxGracefully(this.nginx, this.nginxArgs(), path.join(this.prefix, "nginx.pid"));
        this.current = { ...shares };
    }

    /** The last lines of the front nginx's error log, for a failure message. */
    async errors(lines = 20): Promise<string> {
        const text = await fs.readFile(path.join(this.prefix, "logs/error.log"), "utf8").catch(() => "");
        return text.trimEnd().split("\n").slice(-lines).join("\n");
    }

    /** Stops nginx gracefully and removes its prefix; safe after a failed start. */
    async stop(): Promise<void> {
        if (this.running) {
            await stopNginxGracefully(this.nginx, this.nginxArgs(), path.join(this.prefix, "nginx.pid"));
            this.running = false;
        }
        await fs.rm(this.prefix, { recursive: true, force: true });
    }
}
