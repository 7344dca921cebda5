/**
 * Waiting for the instance refresh a `pulumi up` started. No Pulumi in
 * here, and no AWS SDK either: the caller hands in a function that lists
 * the group's refreshes (rollout-waiter.ts wraps DescribeInstanceRefreshes),
 * so the logic is tested against scripted answers.
 *
 * Statuses (EC2 Auto Scaling API reference, InstanceRefresh "Status";
 * @aws-sdk/client-auto-scaling InstanceRefreshStatus): Pending, InProgress,
 * Baking (a checkpoint's bake time), Cancelling and RollbackInProgress go
 * on; Successful ends the wait; Failed, Cancelled, RollbackSuccessful and
 * RollbackFailed end it with an error. With auto rollback, a refresh whose
 * new instances fail their health checks goes Failed → RollbackInProgress →
 * RollbackSuccessful, so every one of those means "this release is not
 * serving".
 */

/** What the waiter needs of one refresh (DescribeInstanceRefreshes' InstanceRefresh). */
export interface RefreshView {
    id: string;
    status: string;
    statusReason?: string;
    startTime?: Date;
    percentageComplete?: number;
    instancesToUpdate?: number;
    /** The launch template version the refresh rolls out (its desired configuration), when it has one. */
    launchTemplateVersion?: string;
}

/** Lists the group's refreshes (any order). */
export type ListRefreshes = (groupName: string) => Promise<RefreshView[]>;

export interface WaitForRefreshOptions {
    groupName: string;
    /** The launch template version this update deployed. */
    launchTemplateVersion: string;
    /** When this update changed the group: a refresh started before it is an older one. */
    updatedAt: Date;
    /** Give up (and fail the update) after this long. */
    timeoutMs: number;
    /** How long a refresh may take to show up after the group's update (eventual consistency). @default 60_000 */
    appearWithinMs?: number;
    /** @default 15_000 */
    pollMs?: number;
    /** Tolerated difference between this machine's clock and AWS's. @default 120_000 */
    clockSkewMs?: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** Called when the status or the progress changes. */
    onProgress?: (refresh: RefreshView) => void;
}

export type RefreshOutcome = { kind: "succeeded"; refresh: RefreshView } | { kind: "none" };

const SUCCEEDED = "Successful";
const FAILED = ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"];

/** A refresh that ended without the new release serving everywhere. */
export class RolloutFailedError extends Error {
    constructor(
        message: string,
        readonly refresh?: RefreshView,
    ) {
        super(message);
        this.name = "RolloutFailedError";
    }
}

/**
 * The refresh this update started: the newest one rolling out
 * `launchTemplateVersion` when refreshes carry their desired configuration
 * (the provider passes the template as the desired configuration, which
 * auto rollback needs), else the newest one started after the update
 * (minus clock skew). A refresh of another version, or one started before
 * the update, is someone else's (an earlier `pulumi up`, or a console
 * action) and never taken for ours.
 */
export function ownRefresh(refreshes: RefreshView[], options: Pick<WaitForRefreshOptions, "launchTemplateVersion" | "updatedAt" | "clockSkewMs">): RefreshView | undefined {
    const after = options.updatedAt.getTime() - (options.clockSkewMs ?? 120_000);
    const newestFirst = [...refreshes].sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));
    return newestFirst.find((refresh) => {
        if (refresh.launchTemplateVersion !== undefined) return refresh.launchTemplateVersion === options.launchTemplateVersion && (refresh.startTime?.getTime() ?? Infinity) >= after;
        return (refresh.startTime?.getTime() ?? 0) >= after;
    });
}

function describe(refresh: RefreshView, groupName: string): string {
    const reason = refresh.statusReason ? `: ${refresh.statusReason}` : "";
    return `instance refresh ${refresh.id} of Auto Scaling group ${groupName} ended ${refresh.status}${reason}`;
}

/**
 * Waits until the update's refresh has succeeded. Resolves `none` when no
 * refresh of this update shows up within `appearWithinMs` (nothing to roll
 * out: the group was just created, or the instances already run this
 * version). Rejects with a {@link RolloutFailedError} naming the refresh,
 * its status and AWS's reason when it fails, is cancelled or rolled back,
 * and when `timeoutMs` passes first.
 */
export async function waitForRefresh(list: ListRefreshes, options: WaitForRefreshOptions): Promise<RefreshOutcome> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const pollMs = options.pollMs ?? 15_000;
    const started = now();
    const appearBy = started + (options.appearWithinMs ?? 60_000);
    const deadline = started + options.timeoutMs;
    let last: RefreshView | undefined;
    for (;;) {
        const refresh = ownRefresh(await list(options.groupName), options);
        if (refresh) {
            if (!last || last.status !== refresh.status || last.percentageComplete !== refresh.percentageComplete) options.onProgress?.(refresh);
            last = refresh;
            if (refresh.status === SUCCEEDED) return { kind: "succeeded", refresh };
            if (FAILED.includes(refresh.status)) {
                const rolledBack = refresh.status === "RollbackSuccessful" ? " The group was rolled back to its previous launch template version: the previous release is still serving." : "";
                throw new RolloutFailedError(
                    `${describe(refresh, options.groupName)}.${rolledBack} The new release is not serving. See the group's activity history ` +
                        `(aws autoscaling describe-scaling-activities --auto-scaling-group-name ${options.groupName}) and the new instances' /var/log/webstack-boot.log.`,
                    refresh,
                );
            }
        } else if (now() >= appearBy) {
            return { kind: "none" };
        }
        if (now() >= deadline) {
            const where = last ? `it is ${last.status}${last.percentageComplete !== undefined ? ` at ${last.percentageComplete} %` : ""}` : "it never showed up";
            throw new RolloutFailedError(
                `the instance refresh of Auto Scaling group ${options.groupName} did not finish within ${Math.round(options.timeoutMs / 60_000)} minutes (${where}). ` +
                    "It goes on in AWS: watch it with aws autoscaling describe-instance-refreshes, then run pulumi up again; " +
                    "raise autoscaling.rolloutTimeoutMinutes if rollouts of this fleet take longer.",
                last,
            );
        }
        await sleep(Math.min(pollMs, Math.max(0, deadline - now())));
    }
}
