import { DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import type { DescribeInstanceRefreshesCommandOutput, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { failureMessage, refreshPhase } from "./refresh-status";

/**
 * Waits for the instance refresh a `pulumi up` started, because the AWS
 * provider does not: it calls StartInstanceRefresh when the group's launch
 * template version changes and returns at once ("This resource does not
 * wait for the instance refresh to complete", aws.autoscaling.Group
 * `instanceRefresh` docs). Plain code, no Pulumi: the client and the clock
 * are injected, so tests script AWS's answers and run instantly.
 */

/** The part of `AutoScalingClient` the waiter uses (an `AutoScalingClient` is one). */
export interface InstanceRefreshClient {
    send(command: DescribeInstanceRefreshesCommand): Promise<DescribeInstanceRefreshesCommandOutput>;
}

/** Time, injected so tests do not wait. */
export interface WaiterClock {
    /** Milliseconds since the epoch. */
    now(): number;
    sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: WaiterClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One look at the refresh, for progress lines. */
export interface RefreshProgress {
    instanceRefreshId: string;
    status: string;
    /** 0-100 (AWS counts an instance once it is healthy and warmed up). */
    percentageComplete: number;
    /** Instances not yet replaced (during a rollback: not yet replaced when it started). */
    instancesToUpdate: number;
    statusReason?: string;
    elapsedMs: number;
}

export interface WaitForRefreshOptions {
    client: InstanceRefreshClient;
    autoScalingGroupName: string;
    /** For error messages (the CLI commands they suggest). */
    region: string;
    /**
     * The launch template version this update deployed ("7"). A refresh whose
     * desired configuration names another numeric version is not this
     * update's. Refreshes started by the AWS provider carry no desired
     * configuration (they take the group's own template), so this is a
     * tie-breaker, not the main test.
     */
    launchTemplateVersion?: string;
    /**
     * When this update began (the program's clock): a refresh that started
     * earlier is not this update's (allowing {@link clockSkewMs}).
     */
    notBefore: number;
    /** Refresh ids earlier runs already settled: never waited for again. */
    settledRefreshIds?: string[];
    /**
     * True when this update must have started a refresh (the version changed
     * on an existing group). Then a refresh not yet visible is looked for
     * during {@link appearWithinMs}; false (first create, a replaced group):
     * one look, and no refresh means nothing to wait for.
     */
    expectRefresh: boolean;
    /** Give up (reject) after this long. */
    timeoutMs: number;
    /** @default 60000 (DescribeInstanceRefreshes is eventually consistent) */
    appearWithinMs?: number;
    /** @default 15000 */
    pollIntervalMs?: number;
    /** Backoff ceiling after errors. @default 120000 */
    maxPollIntervalMs?: number;
    /** How far the program's clock may be ahead of AWS's. @default 300000 */
    clockSkewMs?: number;
    /** Consecutive transient errors before giving up. @default 6 */
    maxConsecutiveErrors?: number;
    /**
     * The launch template version the group is on now (DescribeAutoScalingGroups),
     * checked when no refresh is found: a group still on another version was
     * rolled back by an earlier update, whose state kept the new version, so
     * no refresh will come (see {@link groupVersionMessage}).
     */
    groupLaunchTemplateVersion?: () => Promise<string | undefined>;
    clock?: WaiterClock;
    onProgress?: (progress: RefreshProgress) => void;
    /** Non-fatal notes (a transient error retried, no refresh found). */
    onNote?: (message: string) => void;
}

export interface WaitForRefreshResult {
    /** "succeeded": the refresh ended Successful; "no-refresh": none was started by this update. */
    outcome: "succeeded" | "no-refresh";
    instanceRefreshId?: string;
    /** DescribeInstanceRefreshes calls made (tests check it). */
    calls: number;
}

/** Why the wait failed; `message` says what to do. */
export class RolloutError extends Error {
    constructor(
        message: string,
        readonly instanceRefreshId: string | undefined,
        readonly status: string | undefined,
    ) {
        super(message);
        this.name = "RolloutError";
    }
}

/**
 * Resolves when this update's refresh is Successful, or at once when there
 * is none; rejects with a {@link RolloutError} on Failed, Cancelled,
 * RollbackSuccessful, RollbackFailed, on the timeout and on a non-transient
 * API error. The refresh keeps running in AWS after a timeout: the waiter
 * never cancels it (a cancel would leave a mix of releases).
 */
export async function waitForRefresh(options: WaitForRefreshOptions): Promise<WaitForRefreshResult> {
    const clock = options.clock ?? systemClock;
    const basePoll = options.pollIntervalMs ?? 15_000;
    const maxPoll = options.maxPollIntervalMs ?? 120_000;
    const maxErrors = options.maxConsecutiveErrors ?? 6;
    const group = options.autoScalingGroupName;
    const started = clock.now();
    const deadline = started + options.timeoutMs;
    const appearDeadline = started + (options.expectRefresh ? (options.appearWithinMs ?? 60_000) : 0);
    let calls = 0;
    let errors = 0;
    let refreshId: string | undefined;
    let last: InstanceRefresh | undefined;

    for (;;) {
        let refresh: InstanceRefresh | undefined;
        try {
            calls += 1;
            refresh = refreshId === undefined ? await findThisUpdatesRefresh(options) : await describeOne(options.client, group, refreshId);
            errors = 0;
        } catch (error) {
            if (!isTransient(error) || ++errors >= maxErrors) {
                throw new RolloutError(
                    `Could not read the instance refreshes of Auto Scaling group ${group}` +
                        (refreshId ? ` (waiting for ${refreshId})` : "") +
                        `: ${describeError(error)}. ` +
                        (isTransient(error) ? `${errors} attempts in a row failed. ` : "") +
                        "Check that the deploy role may call autoscaling:DescribeInstanceRefreshes, then run `pulumi up` again.",
                    refreshId,
                    last?.Status,
                );
            }
            // The SDK client already retried this call with its own backoff
            // (standard mode, 3 attempts): here a whole poll is skipped, and
            // the next one waits longer.
            options.onNote?.(`DescribeInstanceRefreshes failed (${describeError(error)}); retry ${errors}/${maxErrors - 1}`);
        }
        if (refresh) {
            refreshId = refresh.InstanceRefreshId;
            last = refresh;
            options.onProgress?.({
                instanceRefreshId: refresh.InstanceRefreshId ?? "",
                status: refresh.Status ?? "Unknown",
                percentageComplete: refresh.PercentageComplete ?? 0,
                instancesToUpdate: refresh.InstancesToUpdate ?? 0,
                statusReason: refresh.StatusReason,
                elapsedMs: clock.now() - started,
            });
            const phase = refreshPhase(refresh.Status);
            if (phase === "succeeded") return { outcome: "succeeded", instanceRefreshId: refreshId, calls };
            if (phase === "failed") throw new RolloutError(failureMessage(refresh, group, options.region), refreshId, refresh.Status);
        } else if (refreshId === undefined && errors === 0 && clock.now() >= appearDeadline) {
            options.onNote?.(
                options.expectRefresh
                    ? `no instance refresh of ${group} started by this update appeared within ${Math.round((options.appearWithinMs ?? 60_000) / 1000)} s: nothing to wait for`
                    : `no instance refresh of ${group} started by this update: nothing to wait for`,
            );
            await checkGroupVersion(options);
            return { outcome: "no-refresh", calls };
        }
        const now = clock.now();
        if (now >= deadline) {
            throw new RolloutError(timeoutMessage(group, options, last, refreshId), refreshId, last?.Status);
        }
        const interval = Math.min(maxPoll, basePoll * 2 ** errors);
        await clock.sleep(Math.min(interval, deadline - now));
    }
}

/** Rejects when the group runs another numeric launch template version than the one deployed. */
async function checkGroupVersion(options: WaitForRefreshOptions): Promise<void> {
    if (!options.groupLaunchTemplateVersion || !options.launchTemplateVersion) return;
    let version: string | undefined;
    try {
        version = await options.groupLaunchTemplateVersion();
    } catch (error) {
        throw new RolloutError(
            `No instance refresh found, and the launch template version of Auto Scaling group ${options.autoScalingGroupName} could not be read: ${describeError(error)}. ` +
                "Check that the deploy role may call autoscaling:DescribeAutoScalingGroups, then run `pulumi up` again.",
            undefined,
            undefined,
        );
    }
    if (version !== undefined && /^\d+$/.test(version) && version !== options.launchTemplateVersion) {
        throw new RolloutError(groupVersionMessage(options.autoScalingGroupName, version, options.launchTemplateVersion), undefined, undefined);
    }
}

/** The group is on `actual` although this update deployed `deployed`. */
export function groupVersionMessage(group: string, actual: string, deployed: string): string {
    return (
        `Auto Scaling group ${group} runs launch template version ${actual}, not ${deployed}, and no instance refresh of this update was found: ` +
        "an earlier refresh was probably rolled back, and the Pulumi state still records the new version, so no refresh starts. " +
        "Run `pulumi up --refresh` (it re-reads the group, sees the version differ and starts a new instance refresh)."
    );
}

function timeoutMessage(group: string, options: WaitForRefreshOptions, last: InstanceRefresh | undefined, refreshId: string | undefined): string {
    const minutes = Math.round(options.timeoutMs / 60_000);
    const state = last ? `still ${last.Status} at ${last.PercentageComplete ?? 0}% (${last.InstancesToUpdate ?? "?"} instance(s) to update)` : "not found yet";
    return (
        `Timed out after ${minutes} min waiting for instance refresh ${refreshId ?? "(none seen)"} of Auto Scaling group ${group}: ${state}. ` +
        `The refresh goes on in AWS (it was not cancelled). Follow it with \`aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${group} --region ${options.region}\`; ` +
        "when it is Successful run `pulumi up` again (it waits for nothing more), or raise the rollout timeout if refreshes of this group take longer; " +
        "to undo it run `aws autoscaling rollback-instance-refresh`."
    );
}

/**
 * This update's refresh, or undefined. Of the group's refreshes, those that
 * are candidates: not settled by an earlier run; started at or after
 * `notBefore - clockSkewMs` (the program's clock may run ahead of AWS's);
 * not aimed at another launch template version when the refresh names one.
 * The newest candidate wins: a group has one active refresh at a time, and
 * the AWS provider cancels a running one before it starts its own
 * (aws.autoscaling.Group docs: "When this resource is updated, any existing
 * refresh is cancelled"), so an older refresh still running or Cancelling
 * is both older and not the newest.
 */
export async function findThisUpdatesRefresh(options: WaitForRefreshOptions): Promise<InstanceRefresh | undefined> {
    const earliest = options.notBefore - (options.clockSkewMs ?? 300_000);
    const settled = new Set(options.settledRefreshIds ?? []);
    const candidates = (await describeAll(options.client, options.autoScalingGroupName)).filter((refresh) => {
        if (!refresh.InstanceRefreshId || settled.has(refresh.InstanceRefreshId)) return false;
        if (!refresh.StartTime || refresh.StartTime.getTime() < earliest) return false;
        const version = refresh.DesiredConfiguration?.LaunchTemplate?.Version;
        if (options.launchTemplateVersion && version && /^\d+$/.test(version) && version !== options.launchTemplateVersion) return false;
        return true;
    });
    candidates.sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    return candidates[0];
}

/** Refreshes of the last six weeks, every page (the API keeps six weeks: User Guide, "Monitor an instance refresh"). */
async function describeAll(client: InstanceRefreshClient, group: string): Promise<InstanceRefresh[]> {
    const all: InstanceRefresh[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
        const answer = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: 100, NextToken: token }));
        all.push(...(answer.InstanceRefreshes ?? []));
        token = answer.NextToken;
        if (!token) break;
    }
    return all;
}

async function describeOne(client: InstanceRefreshClient, group: string, id: string): Promise<InstanceRefresh | undefined> {
    const answer = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, InstanceRefreshIds: [id] }));
    const refresh = answer.InstanceRefreshes?.find((candidate) => candidate.InstanceRefreshId === id);
    if (!refresh) throw new RolloutError(`Instance refresh ${id} of Auto Scaling group ${group} disappeared (was the group deleted?). Run \`pulumi up --refresh\`.`, id, undefined);
    return refresh;
}

/**
 * Errors worth another poll: throttling, 5xx, timeouts and network errors,
 * the classes the SDK's standard retry strategy treats as retryable
 * (@smithy/core retry service-error-classification: THROTTLING_ERROR_CODES,
 * TRANSIENT_ERROR_CODES, TRANSIENT_ERROR_STATUS_CODES, NODEJS_*_ERROR_CODES).
 */
export function isTransient(error: unknown): boolean {
    if (error instanceof RolloutError) return false;
    const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    if (e?.$retryable) return true;
    const name = e?.name ?? "";
    if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|Timeout/i.test(name)) return true;
    const status = e?.$metadata?.httpStatusCode;
    if (status !== undefined && (status === 429 || status >= 500)) return true;
    return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"].includes(e?.code ?? "");
}

function describeError(error: unknown): string {
    const e = error as { name?: string; message?: string };
    return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
}
