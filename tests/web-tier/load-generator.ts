// Sustained HTTP load with an exact count of requests that did not succeed,
// built on autocannon (programmatic API). Shared by the real test and the bench.
//
// Two things autocannon's own totals do not give:
//  - It writes the next request onto a connection whose last response said
//    `Connection: close`, and when the server then closes it, it reconnects
//    without counting the request as an error. A conforming client (RFC 9112
//    §9.6) opens a new connection instead, so this client does that.
//  - It does not count requests lost when a connection closes under them. Here
//    every request is accounted for: answered (2xx or not), or dropped (its
//    connection errored, timed out or was closed before the answer), or still
//    in flight when the run stopped.
//
// "In flight" = requests written by the load generator (to the socket, or
// queued on it while it connects) and not answered yet. With pipelining 1
// each connection always has exactly one outstanding request, so the in-flight
// count equals the number of connections; it is sampled every 50ms.
//
// Windows (`openWindow` / `closeWindow`) count what was answered between two
// moments, e.g. one step of a traffic move: answers by a label read from the
// body (`classify`, e.g. which version answered), failures, latencies and the
// in-flight samples of that stretch only.

// autocannon ships no type declarations; only the calls made here are typed.
const autocannon: (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance = require("autocannon");

interface AutocannonInstance {
    stop(): void;
}

interface AutocannonResult {
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodeStats: Record<string, { count: number }>;
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; max: number };
}

interface AutocannonClient {
    on(event: "request", listener: () => void): void;
    on(event: "response", listener: (statusCode: number, bytes: number, durationMs: number) => void): void;
    on(event: "headers", listener: (info: { shouldKeepAlive?: boolean }) => void): void;
    _connect(): void;
    _doRequest(): void;
    _resetConnection(): void;
}

interface ClientCounts {
    sent: number;
    answered: number;
    dropped: number;
}

export interface LoadOptions {
    url: string;
    /** Concurrent connections (= requests in flight at pipelining 1). */
    connections: number;
    /** Seconds before a request counts as timed out. @default 10 */
    timeoutSec?: number;
    /**
     * Labels a 2xx answer from its body (e.g. the version that served it);
     * windows count answers per label.
     * @default none: windows count no labels
     * @example classify: (body) => JSON.parse(body).version
     */
    classify?: (body: string) => string;
}

/** What was answered between `openWindow()` and `closeWindow()` (by when the answer or failure arrived). */
export interface LoadWindow {
    durationMs: number;
    /** Answers received (2xx or not). */
    answered: number;
    /** Non-2xx answers plus requests dropped with their connection. */
    failed: number;
    /** 2xx answers per `classify` label. */
    byLabel: Record<string, number>;
    latencyMs: { p50: number; p99: number; max: number };
    inFlight: InFlightStats;
}

interface OpenWindow {
    startedAt: number;
    answered: number;
    failed: number;
    byLabel: Record<string, number>;
    latencies: number[];
    samplesFrom: number;
}

export interface InFlightStats {
    min: number;
    median: number;
    max: number;
    samples: number;
}

export interface LoadResult {
    sent: number;
    answered: number;
    non2xx: number;
    /** Requests whose connection errored, timed out or closed before the answer. */
    dropped: number;
    /** autocannon's own counters, for comparison (dropped includes them). */
    errors: number;
    timeouts: number;
    /** non2xx + dropped: requests a client saw fail. */
    failed: number;
    /** From the first failed request to the last one, in ms (0 when none failed): the outage a client saw. */
    failureWindowMs: number;
    statusCodes: Record<string, number>;
    inFlightAtStop: number;
    requestsPerSec: number;
    latencyMs: { p50: number; p99: number; max: number };
}

export class LoadRun {
    private readonly clients: ClientCounts[] = [];
    private readonly samples: number[] = [];
    private readonly sampler: NodeJS.Timeout;
    private readonly instance: AutocannonInstance;
    private readonly finished: Promise<AutocannonResult>;
    private windowStart: number | undefined;
    private firstFailureAt: number | undefined;
    private lastFailureAt: number | undefined;
    /** When each failed request was sent (ms since the epoch), one entry per failed request. */
    private readonly failedSentAt: number[] = [];
    private window: OpenWindow | undefined;
    /** Whether the last answer was a 2xx: autocannon calls verifyBody (labelSeen) right after that answer's "response". */
    private lastStatusOk = false;

    constructor(readonly options: LoadOptions) {
        let settle!: (result: AutocannonResult) => void;
        let fail!: (error: Error) => void;
        this.finished = new Promise((resolve, reject) => ((settle = resolve), (fail = reject)));
        this.instance = autocannon({
            url: options.url,
            connections: options.connections,
            pipelining: 1,
            timeout: options.timeoutSec ?? 10,
            // Runs until stop(); the bound is the caller's stop() plus this cap.
            duration: 600,
            setupClient: (client: AutocannonClient) => this.instrument(client),
            // Called once per answer, right after its "response" event; true = not a mismatch.
            ...(options.classify ? { verifyBody: (body: string) => this.labelSeen(options.classify!, body) } : {}),
        }, (error, result) => (error ? fail(error) : settle(result)));
        this.sampler = setInterval(() => this.samples.push(this.inFlight()), 50);
    }

    /** Requests written and not answered or dropped, right now. */
    inFlight(): number {
        return this.clients.reduce((sum, c) => sum + c.sent - c.answered - c.dropped, 0);
    }

    /** Runs `action` and reports the in-flight samples taken while it ran. */
    async during<T>(action: () => Promise<T>): Promise<{ value: T; inFlight: InFlightStats }> {
        this.windowStart = this.samples.length;
        const value = await action();
        const window = this.samples.slice(this.windowStart);
        this.windowStart = undefined;
        return { value, inFlight: summarize(window) };
    }

    /** Starts counting answers, failures and latencies afresh (closing any window still open). */
    openWindow(): void {
        this.window = { startedAt: Date.now(), answered: 0, failed: 0, byLabel: {}, latencies: [], samplesFrom: this.samples.length };
    }

    /** What arrived since `openWindow()`. */
    closeWindow(): LoadWindow {
        const window = this.window;
        if (!window) throw new Error("closeWindow() without openWindow()");
        this.window = undefined;
        const sorted = [...window.latencies].sort((a, b) => a - b);
        const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
        return {
            durationMs: Date.now() - window.startedAt,
            answered: window.answered,
            failed: window.failed,
            byLabel: window.byLabel,
            latencyMs: { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) },
            inFlight: summarize(this.samples.slice(window.samplesFrom)),
        };
    }

    private labelSeen(classify: (body: string) => string, body: string): boolean {
        if (this.window && this.lastStatusOk) {
            const label = classify(body);
            this.window.byLabel[label] = (this.window.byLabel[label] ?? 0) + 1;
        }
        return true;
    }

    /** Waits until every connection has a request out (warm-up). */
    async untilInFlight(count: number, timeoutMs = 15_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (this.inFlight() < count) {
            if (Date.now() > deadline) throw new Error(`load reached only ${this.inFlight()} requests in flight, wanted ${count}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }

    async stop(): Promise<LoadResult> {
        clearInterval(this.sampler);
        this.instance.stop();
        const result = await this.finished;
        // autocannon has closed every connection; what was outstanding then
        // was cut off by the end of the run, not by the server.
        const inFlightAtStop = this.inFlight();
        const sent = this.clients.reduce((sum, c) => sum + c.sent, 0);
        const answered = this.clients.reduce((sum, c) => sum + c.answered, 0);
        const dropped = this.clients.reduce((sum, c) => sum + c.dropped, 0);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
        return {
            sent,
            answered,
            non2xx: result.non2xx,
            dropped,
            errors: result.errors,
            timeouts: result.timeouts,
            failed: result.non2xx + dropped,
            failureWindowMs: this.firstFailureAt === undefined ? 0 : (this.lastFailureAt ?? this.firstFailureAt) - this.firstFailureAt,
            statusCodes,
            inFlightAtStop,
            requestsPerSec: result.requests.average,
            latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        };
    }

    /**
     * Failed requests that were sent at or after `since` (ms since the epoch),
     * e.g. from a switch back on. By send time, not by when the failure
     * showed: a request cut off earlier that only times out later is not
     * one the switch back failed.
     */
    failedSentSince(since: number): number {
        return this.failedSentAt.filter((at) => at >= since).length;
    }

    private failureSeen(sentAt: number, count = 1): void {
        const now = Date.now();
        if (this.window) this.window.failed += count;
        this.firstFailureAt ??= now;
        this.lastFailureAt = now;
        for (let i = 0; i < count; i++) this.failedSentAt.push(sentAt);
    }

    // Called by autocannon for each connection before it first connects.
    private instrument(client: AutocannonClient): void {
        const counts: ClientCounts = { sent: 0, answered: 0, dropped: 0 };
        this.clients.push(counts);
        let serverWillClose = false;
        // At pipelining 1 a connection has one request out: the last one sent.
        let lastSentAt = Date.now();
        client.on("request", () => {
            counts.sent++;
            lastSentAt = Date.now();
        });
        client.on("response", (statusCode, _bytes, durationMs) => {
            counts.answered++;
            const ok = statusCode >= 200 && statusCode <= 299;
            this.lastStatusOk = ok;
            if (this.window) {
                this.window.answered++;
                this.window.latencies.push(durationMs);
            }
            if (!ok) this.failureSeen(lastSentAt);
        });
        client.on("headers", (info) => (serverWillClose = info.shouldKeepAlive === false));

        // Honour `Connection: close`: the next request goes on a new connection.
        const doRequest = client._doRequest;
        client._doRequest = function (this: AutocannonClient) {
            if (serverWillClose) {
                serverWillClose = false;
                return this._resetConnection();
            }
            return doRequest.call(this);
        };

        // autocannon reconnects after an error, a timeout or a close by the
        // server; whatever was outstanding on the old connection is lost.
        const connect = client._connect;
        const failureSeen = (count: number) => this.failureSeen(lastSentAt, count);
        client._connect = function (this: AutocannonClient) {
            const lost = counts.sent - counts.answered - counts.dropped;
            if (lost > 0) failureSeen(lost);
            counts.dropped += lost;
            serverWillClose = false;
            return connect.call(this);
        };
    }
}

function round(ms: number): number {
    return Math.round(ms * 100) / 100;
}

/** min / median / max of sampled values. */
export function summarize(values: number[]): InFlightStats {
    const sorted = [...values].sort((a, b) => a - b);
    if (sorted.length === 0) return { min: 0, median: 0, max: 0, samples: 0 };
    return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], samples: sorted.length };
}

export function startLoad(options: LoadOptions): LoadRun {
    return new LoadRun(options);
}
