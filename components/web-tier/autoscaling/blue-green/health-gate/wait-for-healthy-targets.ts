import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { DescribeTargetHealthCommandOutput, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { isTransient, systemClock, WaiterClock } from "../../rollout/wait-for-refresh";
import type { Color } from "../traffic";

/**
 * The blue/green health gate's logic: before the listener weights move, wait
 * until every target of each color that will receive traffic is `healthy`.
 * Plain code, no Pulumi: the client and the clock are injected, so tests
 * script the load balancer's answers and run instantly.
 *
 * Target states (ELB API reference, TargetHealth `State` and `Reason`):
 * - `healthy`: serving.
 * - `initial` (Elb.RegistrationInProgress, Elb.InitialHealthChecking): not yet healthy, wait.
 * - `unhealthy` (Target.ResponseCodeMismatch, Target.Timeout, Target.FailedHealthChecks, Elb.InternalError): not healthy.
 * - `unused` (Target.NotRegistered, Target.NotInUse, Target.InvalidState, Target.IpUnusable): not healthy.
 *   Target.NotInUse also means the target group is named by no listener rule yet: an ALB health-checks only the
 *   targets of target groups a listener rule names (ALB User Guide, "Target groups for your Application Load
 *   Balancers"), so such a group never turns healthy on its own.
 * - `unavailable` (health checks disabled): not healthy.
 * - `draining`, `unhealthy.draining` (@aws-sdk/client-elastic-load-balancing-v2 TargetHealthStateEnum): being
 *   deregistered, not serving new requests: ignored (neither counted nor waited for).
 *
 * Why wait for every target, not most: when all targets of a group fail
 * their health checks the ALB "fails open" and sends requests to all of them
 * (ALB User Guide, "Health checks for your target groups"), so a weight moved
 * to a sick fleet would serve its errors.
 */

/** The part of `ElasticLoadBalancingV2Client` the gate uses (an `ElasticLoadBalancingV2Client` is one). */
export interface TargetHealthClient {
    send(command: DescribeTargetHealthCommand): Promise<DescribeTargetHealthCommandOutput>;
}

/** One color that will receive traffic, and its target group. */
export interface GatedTargetGroup {
    color: Color;
    targetGroupArn: string;
    /**
     * At least this many healthy targets (the group's desired or minimum
     * capacity). Without it, one is enough, as long as every registered target is healthy.
     */
    expectedCount?: number;
}

/** A registered target that is not (yet) healthy. */
export interface TargetNotHealthy {
    /** The instance id (or IP) and port. */
    id: string;
    /** `initial`, `unhealthy`, `unused`, `unavailable`, or a state this code does not know yet. */
    state: string;
    /** TargetHealth.Reason, e.g. Target.ResponseCodeMismatch. */
    reason?: string;
    /** TargetHealth.Description, e.g. "Health checks failed with these codes: [502]". */
    description?: string;
}

/** One target group at one poll. */
export interface TargetGroupHealth {
    color: Color;
    targetGroupArn: string;
    /** Targets in state `healthy`. */
    healthy: number;
    /** Targets being deregistered (`draining`, `unhealthy.draining`): ignored. */
    draining: number;
    /** Registered targets not healthy (draining ones excluded). */
    notHealthy: TargetNotHealthy[];
    /** The healthy targets this group needs: max(1, expectedCount). */
    required: number;
    /** At least `required` healthy targets and no other registered target. */
    ready: boolean;
}

/** One look at every gated target group, for progress lines. */
export interface GateProgress {
    groups: TargetGroupHealth[];
    elapsedMs: number;
}

export interface WaitForHealthyTargetsOptions {
    client: TargetHealthClient;
    /** The colors that will receive traffic (a share above 0). */
    targetGroups: GatedTargetGroup[];
    /** Give up (reject) after this long. */
    timeoutMs: number;
    /** @default 15000 (an ALB health check runs every 30 s by default for instance targets) */
    pollIntervalMs?: number;
    /** Backoff ceiling after errors. @default 120000 */
    maxPollIntervalMs?: number;
    /** Consecutive transient errors before giving up. @default 6 */
    maxConsecutiveErrors?: number;
    /** For the CLI commands the error suggests. */
    region?: string;
    /** How the timeout is set, named in the error. @default "deploy.gateTimeoutMinutes" */
    timeoutSetting?: string;
    clock?: WaiterClock;
    onProgress?: (progress: GateProgress) => void;
    /** Non-fatal notes (a transient error retried). */
    onNote?: (message: string) => void;
}

/** Per color: how many targets were healthy, and when the color first became (and stayed) ready. */
export interface ColorHealthSummary {
    color: Color;
    targetGroupArn: string;
    healthyCount: number;
    /** Milliseconds from the start of the wait to the poll from which this color stayed ready. */
    elapsedMs: number;
}

export interface HealthyTargetsSummary {
    colors: ColorHealthSummary[];
    /** Milliseconds the whole wait took. */
    elapsedMs: number;
    /** Polls made (one DescribeTargetHealth per target group each). */
    polls: number;
}

/** Why the gate failed; `message` says which targets and what to do. */
export class HealthGateError extends Error {
    constructor(
        message: string,
        /** The groups as last seen (empty when none could be read). */
        readonly groups: TargetGroupHealth[],
    ) {
        super(message);
        this.name = "HealthGateError";
    }
}

const DRAINING_STATES: ReadonlySet<string> = new Set(["draining", "unhealthy.draining"]);

/** The health of one target group from DescribeTargetHealth's answer. */
export function targetGroupHealth(group: GatedTargetGroup, descriptions: TargetHealthDescription[]): TargetGroupHealth {
    let healthy = 0;
    let draining = 0;
    const notHealthy: TargetNotHealthy[] = [];
    for (const description of descriptions) {
        const state = description.TargetHealth?.State ?? "unknown";
        if (state === "healthy") healthy += 1;
        else if (DRAINING_STATES.has(state)) draining += 1;
        else {
            const target = description.Target;
            const id = `${target?.Id ?? "(no id)"}${target?.Port !== undefined ? `:${target.Port}` : ""}`;
            notHealthy.push({ id, state, reason: description.TargetHealth?.Reason, description: description.TargetHealth?.Description });
        }
    }
    const required = Math.max(1, group.expectedCount ?? 1);
    return { color: group.color, targetGroupArn: group.targetGroupArn, healthy, draining, notHealthy, required, ready: notHealthy.length === 0 && healthy >= required };
}

/**
 * Resolves when, in one poll, every gated target group has at least its
 * required number of healthy targets and no registered target in any other
 * state than healthy or draining. Rejects with a {@link HealthGateError}
 * at the timeout, naming each group that was not ready and why, and on a
 * non-transient API error (a missing target group, a denied call). Transient
 * errors (throttling, 5xx, network) skip a poll, up to `maxConsecutiveErrors` in a row.
 */
export async function waitForHealthyTargets(options: WaitForHealthyTargetsOptions): Promise<HealthyTargetsSummary> {
    if (options.targetGroups.length === 0) throw new Error("waitForHealthyTargets: no target group to wait for");
    const clock = options.clock ?? systemClock;
    const basePoll = options.pollIntervalMs ?? 15_000;
    const maxPoll = options.maxPollIntervalMs ?? 120_000;
    const maxErrors = options.maxConsecutiveErrors ?? 6;
    const started = clock.now();
    const deadline = started + options.timeoutMs;
    /** Per color, since when it has been ready without a break. */
    const readySince = new Map<Color, number>();
    let polls = 0;
    let errors = 0;
    let last: TargetGroupHealth[] = [];
    let lastError: unknown;

    for (;;) {
        polls += 1;
        try {
            const groups: TargetGroupHealth[] = [];
            for (const group of options.targetGroups) groups.push(targetGroupHealth(group, await describe(options.client, group)));
            errors = 0;
            lastError = undefined;
            last = groups;
            const elapsedMs = clock.now() - started;
            for (const group of groups) {
                if (!group.ready) readySince.delete(group.color);
                else if (!readySince.has(group.color)) readySince.set(group.color, elapsedMs);
            }
            options.onProgress?.({ groups, elapsedMs });
            if (groups.every((group) => group.ready)) {
                return {
                    colors: groups.map((group) => ({ color: group.color, targetGroupArn: group.targetGroupArn, healthyCount: group.healthy, elapsedMs: readySince.get(group.color) ?? elapsedMs })),
                    elapsedMs,
                    polls,
                };
            }
        } catch (error) {
            if (error instanceof HealthGateError) throw error;
            if (!isTransient(error) || ++errors >= maxErrors) throw new HealthGateError(readErrorMessage(error, errors, options), last);
            lastError = error;
            // The SDK client already retried the call with its own backoff
            // (standard mode): here a whole poll is skipped, and the next one waits longer.
            options.onNote?.(`DescribeTargetHealth failed (${describeError(error)}); retry ${errors}/${maxErrors - 1}`);
        }
        const now = clock.now();
        if (now >= deadline) throw new HealthGateError(timeoutMessage(options, last, lastError), last);
        const interval = Math.min(maxPoll, basePoll * 2 ** errors);
        await clock.sleep(Math.min(interval, deadline - now));
    }
}

/**
 * Every target of one group. DescribeTargetHealth is not paginated: its input has no Marker and its output no
 * NextMarker (@aws-sdk/client-elastic-load-balancing-v2 DescribeTargetHealthInput/Output), it lists every registered target.
 */
async function describe(client: TargetHealthClient, group: GatedTargetGroup): Promise<TargetHealthDescription[]> {
    const answer = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.targetGroupArn }));
    return answer.TargetHealthDescriptions ?? [];
}

/** What to say about one group that was not ready. */
export function groupProblem(group: TargetGroupHealth): string {
    const head = `${group.color} (target group ${group.targetGroupArn})`;
    if (group.healthy === 0 && group.notHealthy.length === 0) {
        return `${head}: no targets registered${group.draining ? ` (${group.draining} draining)` : ""} (is the color's Auto Scaling group at capacity 0, or do its instances fail to launch? \`aws autoscaling describe-scaling-activities\` tells)`;
    }
    // "at least 1 expected" adds nothing when unhealthy targets are listed.
    const short = group.healthy < group.required && (group.required > 1 || group.notHealthy.length === 0);
    const counts = `${group.healthy} healthy` + (short ? `, at least ${group.required} expected` : "");
    const targets = group.notHealthy
        .map((t) => `${t.id} ${t.state}` + (t.reason || t.description ? ` (${[t.reason, t.description].filter(Boolean).join(": ")})` : ""))
        .join("; ");
    const notInUse = group.notHealthy.some((t) => t.reason === "Target.NotInUse");
    return (
        `${head}: ${counts}` +
        (targets ? `; ${group.notHealthy.length} target(s) not healthy: ${targets}` : "") +
        (notInUse ? " — Target.NotInUse: no listener rule names this target group, so the load balancer does not health-check it" : "")
    );
}

function timeoutMessage(options: WaitForHealthyTargetsOptions, last: TargetGroupHealth[], lastError: unknown): string {
    const waited = duration(options.timeoutMs);
    const region = options.region ? ` --region ${options.region}` : "";
    const problems = last.filter((group) => !group.ready).map(groupProblem);
    const state = problems.length > 0 ? problems.join(". ") : "the target health could not be read";
    const arn = (last.find((group) => !group.ready) ?? options.targetGroups[0]).targetGroupArn;
    return (
        `Health gate: timed out after ${waited} waiting for every target of ${options.targetGroups.map((g) => g.color).join(" and ")} to be healthy. ` +
        `${state}.` +
        (lastError ? ` The last DescribeTargetHealth call failed: ${describeError(lastError)}.` : "") +
        " The listener weights were left as they were: traffic still goes where it went before this update. " +
        `Investigate with \`aws elbv2 describe-target-health --target-group-arn ${arn}${region}\` and the app's logs on an instance (\`pm2 logs\`, the nginx error log); ` +
        "check the target group's health check path and port. Then fix the release (or set the traffic back to the color that serves) and run `pulumi up` again" +
        `; raise ${options.timeoutSetting ?? "deploy.gateTimeoutMinutes"} if the instances need longer to boot and pass their health checks.`
    );
}

function readErrorMessage(error: unknown, errors: number, options: WaitForHealthyTargetsOptions): string {
    return (
        `Health gate: could not read the target health of ${options.targetGroups.map((g) => `${g.color} (${g.targetGroupArn})`).join(", ")}: ${describeError(error)}. ` +
        (isTransient(error) ? `${errors} attempts in a row failed. ` : "") +
        "The listener weights were left as they were. " +
        "Check that the target groups exist and that the deploy role may call elasticloadbalancing:DescribeTargetHealth, then run `pulumi up` again."
    );
}

/** "10 min", "45 s" or "60 ms" (tests use milliseconds). */
function duration(ms: number): string {
    if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
    return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function describeError(error: unknown): string {
    const e = error as { name?: string; message?: string };
    return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
}
