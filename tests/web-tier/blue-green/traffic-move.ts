// The loopback rehearsal of a blue/green traffic move, shared by the real test
// (traffic-move.real.test.ts) and the bench (bench/blue-green/run.ts).
//
// Two fleets of the real payload, each a LoopbackSandbox (its own nginx, PM2
// and release-switch.sh deploying examples/api), stand for the blue and the
// green Auto Scaling group; a front nginx (WeightedBalancer) stands for the
// ALB listener. The steps are the worked release's (WORKED_RELEASE), and each
// step's weights come from the component's own calculation (trafficShares),
// as the listener's do. One load runs across the whole sequence: it starts
// before the first step and stops after the last, so every deploy and every
// weight change happens with `connections` requests in flight.
//
// One instance per fleet: a second sandbox per color would add a third and
// fourth nginx + PM2 on the 2 cores CI has, and what is rehearsed (the split
// between the colors) is the front's, not the split inside a target group.
import { Color, COLORS, TrafficShares, trafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { LoadResult, LoadWindow, startLoad, LoadRun } from "../load-generator";
import { LoopbackSandbox, sleep } from "../loopback-sandbox";
import { WeightedBalancer } from "./weighted-balancer";
import { AppVersion, WORKED_RELEASE, WorkedReleaseStep } from "./worked-release";

export interface RehearsalOptions {
    /** Concurrent connections of the load (= requests in flight at pipelining 1). @default 2000 */
    connections?: number;
    /** Seconds each step's shares are measured for, once its weights are in force. @default 3 */
    stepSeconds?: number;
    /** @default WORKED_RELEASE */
    steps?: WorkedReleaseStep[];
    /**
     * The listener weights of a step. Only a test of the rehearsal itself
     * passes another function (to show that wrong weights fail it).
     * @default (step) => trafficShares(step.traffic): the component's calculation
     */
    weightsOf?: (step: WorkedReleaseStep) => TrafficShares;
    /** PM2 workers per fleet instance (RS_INSTANCES). @default "max" */
    pm2Instances?: string;
}

export interface StepResult {
    label: string;
    /** The app version each color runs during the step. */
    versions: Partial<Record<Color, AppVersion>>;
    /** The weights the front nginx was given (percent per color). */
    configured: TrafficShares;
    /** Answers per version (the `version` field of /version) while the step's weights were in force. */
    answersByVersion: Record<string, number>;
    /** Percent of the measured 2xx answers per version, to two decimals. */
    observedPercent: Record<string, number>;
    /** From the step's start to its weights in force: deploying a color that changes release, then the reload. */
    moveMs: number;
    /** Failed requests during the whole step (the move and the measurement). */
    failed: number;
    /** The measurement, once the step's weights were in force. */
    measured: LoadWindow;
    /** Requests in flight over the whole step (move and measurement). */
    inFlight: { min: number; median: number; max: number };
}

export interface RehearsalResult {
    connections: number;
    stepSeconds: number;
    steps: StepResult[];
    /** The load over the whole sequence, warm-up and tail included. */
    load: LoadResult;
    /** Front nginx error log lines, when a request failed. */
    balancerErrors?: string;
}

/** The release id a fleet deploys for an app version: the version itself, which /version then answers. */
const releaseId = (version: AppVersion) => version;

/** Runs the worked release's traffic move under load and reports each step. */
export async function rehearseTrafficMove(options: RehearsalOptions = {}): Promise<RehearsalResult> {
    const connections = options.connections ?? 2000;
    const stepSeconds = options.stepSeconds ?? 3;
    const steps = options.steps ?? WORKED_RELEASE;
    const weightsOf = options.weightsOf ?? ((step: WorkedReleaseStep) => trafficShares(step.traffic));
    if (steps.length === 0) throw new Error("no steps to rehearse");

    const fleets: Partial<Record<Color, LoopbackSandbox>> = {};
    const running: Partial<Record<Color, AppVersion>> = {};
    let balancer: WeightedBalancer | undefined;
    let load: LoadRun | undefined;
    try {
        for (const color of COLORS) fleets[color] = await LoopbackSandbox.start({ instances: options.pm2Instances, watchSeconds: 0 });
        const fleet = (color: Color) => fleets[color]!;

        // Each color runs the release the step names; a color whose release changes is deployed (as its
        // launch template would change), before the weights move.
        const deployStep = async (step: WorkedReleaseStep) => {
            for (const color of COLORS) {
                const version = step[color];
                if (version === undefined || running[color] === version) continue;
                const archive = await fleet(color).packRelease(`${color}-${version}`);
                const result = await fleet(color).releaseSwitch(["deploy", archive, releaseId(version)]);
                if (result.code !== 0) throw new Error(`deploying ${version} on ${color} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
                running[color] = version;
            }
        };
        const sharesOf = (step: WorkedReleaseStep) => {
            const shares = weightsOf(step);
            for (const color of COLORS) {
                if (shares[color] > 0 && step[color] === undefined) throw new Error(`step "${step.label}": ${color} gets ${shares[color]} % but runs no release`);
            }
            return shares;
        };

        await deployStep(steps[0]);
        const addresses = { blue: `127.0.0.1:${fleet("blue").listenPort}`, green: `127.0.0.1:${fleet("green").listenPort}` };
        balancer = await WeightedBalancer.start(addresses, sharesOf(steps[0]));

        load = startLoad({ url: `${balancer.url}/version`, connections, classify: versionOf });
        await load.untilInFlight(connections);
        await sleep(1000);

        const results: StepResult[] = [];
        for (const [index, step] of steps.entries()) {
            const started = Date.now();
            load.openWindow();
            const configured = sharesOf(step);
            if (index > 0) {
                await deployStep(step);
                await balancer.setShares(configured);
            }
            const move = load.closeWindow();
            const moveMs = Date.now() - started;
            load.openWindow();
            await sleep(stepSeconds * 1000);
            const measured = load.closeWindow();
            results.push({
                label: step.label,
                versions: { ...running },
                configured,
                answersByVersion: measured.byLabel,
                observedPercent: percents(measured.byLabel),
                moveMs,
                failed: move.failed + measured.failed,
                measured,
                inFlight: combine(move, measured),
            });
        }
        // Requests sent during the last step are answered (or fail) in this tail.
        await sleep(1000);
        const total = await load.stop();
        load = undefined;
        const balancerErrors = total.failed > 0 ? await balancer.errors() : undefined;
        return { connections, stepSeconds, steps: results, load: total, balancerErrors };
    } finally {
        await load?.stop().catch(() => undefined);
        await balancer?.stop().catch(() => undefined);
        for (const color of COLORS) await fleets[color]?.stop().catch(() => undefined);
    }
}

/** The version an answer of examples/api's /version names ("unreadable" when the body is not that JSON). */
export function versionOf(body: string): string {
    try {
        const version = (JSON.parse(body) as { version?: unknown }).version;
        return typeof version === "string" ? version : "unreadable";
    } catch {
        return "unreadable";
    }
}

function percents(counts: Record<string, number>): Record<string, number> {
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return Object.fromEntries(Object.entries(counts).map(([label, count]) => [label, total === 0 ? 0 : Math.round((count / total) * 10_000) / 100]));
}

/** In-flight over two consecutive windows: the lower minimum, the higher maximum, the median of the longer one. */
function combine(move: LoadWindow, measured: LoadWindow): StepResult["inFlight"] {
    const windows = [move, measured].filter((window) => window.inFlight.samples > 0);
    if (windows.length === 0) return { min: 0, median: 0, max: 0 };
    const longest = windows.reduce((a, b) => (b.inFlight.samples > a.inFlight.samples ? b : a));
    return {
        min: Math.min(...windows.map((window) => window.inFlight.min)),
        median: longest.inFlight.median,
        max: Math.max(...windows.map((window) => window.inFlight.max)),
    };
}
