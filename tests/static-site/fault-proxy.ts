/**
 * An HTTP proxy on loopback that forwards to a real server (s3rver, a fake
 * CloudFront) and injects faults into chosen requests: stall them (no
 * answer, ever), answer 500 / 503 with an S3-style error body, or cut the
 * connection. Requests are matched by method and path, so a test can say
 * "the second PUT of big.bin stalls" and leave everything else untouched.
 *
 * In process, so a test controls it directly; nothing here talks to AWS.
 * SigV4 signs the Host header: the proxy forwards every header unchanged, so
 * the client must address the proxy (its endpoint) and the server then
 * checks the signature against the same Host the client signed.
 *
 *   const proxy = await startFaultProxy(sandbox.endpoint);
 *   const stall = proxy.inject({ method: "PUT", path: /\/big\.bin/, fault: { kind: "stall" }, times: 1 });
 *   ... syncFolder({ client: createSandboxClient(proxy.endpoint, ...) ... })
 *   assert.equal(stall.hits, 1);
 *   await proxy.close();
 */
import * as http from "node:http";
import { AddressInfo, Socket } from "node:net";

export type Fault =
    /** Read the request, never answer; the connection stays open until the client gives up (or the proxy closes). */
    | { kind: "stall" }
    /** Read the request and answer with this status: 500 is S3's InternalError, 503 its SlowDown. */
    | { kind: "fail"; status: 500 | 503 }
    /** Destroy the connection as soon as the request's headers arrive (the client sees a reset). */
    | { kind: "cut" }
    /** Forward the request, but only after this many milliseconds. */
    | { kind: "delay"; ms: number };

export interface FaultRule {
    /** HTTP method to match, e.g. "PUT"; any method when absent. */
    method?: string;
    /**
     * What to match: a string must equal the URL's path (without the query,
     * percent-encoded as sent, e.g. "/bucket/big.bin"); a RegExp is tested
     * against the path with its query ("/bucket/big.bin?partNumber=2&uploadId=…").
     */
    path: string | RegExp;
    fault: Fault;
    /** How many matching requests get the fault; later ones pass. @default Infinity */
    times?: number;
    /** Matching requests to let through before the fault applies (e.g. 1: the second match fails). @default 0 */
    skip?: number;
}

/** A rule in force, and how often it matched. */
export interface InjectedFault {
    readonly rule: FaultRule;
    /** Requests that got the fault. */
    readonly hits: number;
    /** Matching requests seen, faulted or not. */
    readonly matches: number;
    /** Stop applying it. */
    remove(): void;
}

/** One request through the proxy. */
export interface ProxiedRequest {
    method: string;
    /** Path with query, as sent. */
    url: string;
    /** The fault applied, if any. */
    fault?: Fault["kind"];
}

export interface FaultProxy {
    /** e.g. http://127.0.0.1:40123: give it to the client instead of the server's endpoint. */
    endpoint: string;
    port: number;
    /** Every request seen, in arrival order; clear with `requests.length = 0`. */
    requests: ProxiedRequest[];
    inject(rule: FaultRule): InjectedFault;
    /** Remove every rule. */
    clear(): void;
    /** Stop listening and drop every open connection (including stalled ones). */
    close(): Promise<void>;
}

const S3_ERROR_CODES: Record<number, string> = { 500: "InternalError", 503: "SlowDown" };

export async function startFaultProxy(target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    const rules: { rule: FaultRule; hits: number; matches: number; removed: boolean }[] = [];
    const requests: ProxiedRequest[] = [];
    const sockets = new Set<Socket>();

    /** The first rule that matches and still has faults to give, counting the match on every matching rule. */
    const faultFor = (method: string, url: string): Fault | undefined => {
        const pathOnly = url.split("?")[0];
        for (const entry of rules) {
            const { rule } = entry;
            if (entry.removed) continue;
            if (rule.method && rule.method.toUpperCase() !== method) continue;
            const matched = typeof rule.path === "string" ? rule.path === pathOnly : rule.path.test(url);
            if (!matched) continue;
            entry.matches++;
            if (entry.matches <= (rule.skip ?? 0)) continue;
            if (entry.hits >= (rule.times ?? Infinity)) continue;
            entry.hits++;
            return rule.fault;
        }
        return undefined;
    };

    const forward = (request: http.IncomingMessage, response: http.ServerResponse) => {
        const outgoing = http.request(
            {
                host: upstream.hostname,
                port: upstream.port,
                method: request.method,
                path: request.url,
                headers: request.headers,
                agent: false,
            },
            (answer) => {
                response.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(response);
            },
        );
        outgoing.on("error", () => response.destroy());
        request.pipe(outgoing);
    };

    const server = http.createServer((request, response) => {
        const method = request.method ?? "GET";
        const url = request.url ?? "/";
        const fault = faultFor(method, url);
        requests.push({ method, url, ...(fault ? { fault: fault.kind } : {}) });
        switch (fault?.kind) {
            case undefined:
                return forward(request, response);
            case "delay":
                request.pause();
                setTimeout(() => {
                    request.resume();
                    forward(request, response);
                }, fault.ms);
                return;
            case "cut":
                request.socket.destroy();
                return;
            case "stall":
                // Drain the body so the client finishes sending and waits for an answer that never comes.
                request.resume();
                return;
            case "fail":
                request.resume();
                request.on("end", () => {
                    const code = S3_ERROR_CODES[fault.status];
                    response.writeHead(fault.status, { "content-type": "application/xml", connection: "close" });
                    response.end(
                        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code>` +
                            `<Message>injected by the fault proxy</Message><RequestId>fault-proxy</RequestId></Error>`,
                    );
                });
                return;
        }
    });
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;

    return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        requests,
        inject(rule) {
            const entry = { rule, hits: 0, matches: 0, removed: false };
            rules.push(entry);
            return {
                rule,
                get hits() {
                    return entry.hits;
                },
                get matches() {
                    return entry.matches;
                },
                remove: () => {
                    entry.removed = true;
                },
            };
        },
        clear() {
            for (const entry of rules) entry.removed = true;
            rules.length = 0;
        },
        close() {
            for (const socket of sockets) socket.destroy();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
