import type { InstanceRefresh } from "@aws-sdk/client-auto-scaling";

/**
 * What each instance refresh status means for a deploy. The names are those
 * of `InstanceRefreshStatus` in @aws-sdk/client-auto-scaling (models/enums)
 * and of the API reference (Amazon EC2 Auto Scaling API Reference,
 * InstanceRefresh.Status): Pending, InProgress, Baking, Successful, Failed,
 * Cancelling, Cancelled, RollbackInProgress, RollbackSuccessful,
 * RollbackFailed.
 */
export type RefreshPhase =
    /** Still running (Pending, InProgress, Baking, Cancelling, RollbackInProgress, or a status this code does not know yet). */
    | "running"
    /** Successful: every instance runs the new launch template version. */
    | "succeeded"
    /** Failed, Cancelled, RollbackSuccessful, RollbackFailed: the deploy did not happen. */
    | "failed";

const FAILED_STATUSES: ReadonlySet<string> = new Set(["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]);

/**
 * The phase of a status. An unknown status counts as running (AWS added
 * Baking and the Rollback* statuses after the first release of the API):
 * the timeout still bounds the wait.
 */
export function refreshPhase(status: string | undefined): RefreshPhase {
    if (status === "Successful") return "succeeded";
    if (status !== undefined && FAILED_STATUSES.has(status)) return "failed";
    return "running";
}

/** Why a refresh ended without success, and what the operator does next; used as the deploy's error text. */
export function failureMessage(refresh: InstanceRefresh, group: string, region: string): string {
    const id = refresh.InstanceRefreshId ?? "(no id)";
    const reason = refresh.StatusReason || refresh.RollbackDetails?.RollbackReason || "AWS gave no status reason";
    const watch = `aws autoscaling describe-scaling-activities --auto-scaling-group-name ${group} --region ${region}`;
    // After an auto-rollback AWS puts the group back on the previous launch
    // template version (User Guide, "Undo changes with a rollback"), while the
    // Pulumi state already records the new one: without a refresh of the
    // state, the next `pulumi up` sees no change on the group and starts no
    // instance refresh.
    const retry = "fix the cause, then run `pulumi up --refresh` (the refresh re-reads the group's launch template version, so a new instance refresh starts)";
    switch (refresh.Status) {
        case "RollbackSuccessful":
            // AWS rolls back to "the configuration that you last saved on the
            // group before starting the instance refresh" (User Guide, "Undo
            // changes with a manual or auto rollback"). The AWS provider saves
            // the new launch template version on the group *before* it starts
            // the refresh (terraform-provider-aws#34189, open), so that can be
            // the new version itself: the message says what AWS did, not
            // which release now serves.
            return (
                `Instance refresh ${id} of Auto Scaling group ${group} was rolled back (RollbackSuccessful): ` +
                `AWS put back the configuration the group had when the refresh started. Reason: ${reason}. ` +
                `Check which launch template version the group runs and see the failed instances with \`${watch}\`; ${retry}.`
            );
        case "RollbackFailed":
            return (
                `Instance refresh ${id} of Auto Scaling group ${group} failed and its rollback failed too: the group may run a mix of releases. ` +
                `Reason: ${reason}. Inspect it with \`${watch}\`, start a rollback or a new refresh by hand, then ${retry}.`
            );
        case "Cancelled":
            return (
                `Instance refresh ${id} of Auto Scaling group ${group} was cancelled (by hand, or by a newer refresh of another deploy): ` +
                `instances already replaced keep the new release, the others the old one. Reason: ${reason}. Then ${retry}.`
            );
        default:
            return (
                `Instance refresh ${id} of Auto Scaling group ${group} ${refresh.Status === "Failed" ? "failed" : `ended as ${refresh.Status}`}: ` +
                `instances already replaced keep the new release. Reason: ${reason}. See \`${watch}\`; ${retry}.`
            );
    }
}
