/**
 * The rollout step of the `autoscaling` mode: `pulumi up` waits for the
 * instance refresh a new launch template version starts, and fails with its
 * status reason when it fails, is cancelled, rolled back or times out.
 */
export { createRolloutWaiter, checkRolloutTimeout, DEFAULT_ROLLOUT_TIMEOUT_MINUTES, RolloutWaiter, RolloutWaiterArgs, RolloutWaiterInputs, RolloutWaiterOutputs } from "./rollout-waiter";
export { RolloutError, waitForRefresh, WaitForRefreshOptions, WaitForRefreshResult, InstanceRefreshClient, RefreshProgress, WaiterClock } from "./wait-for-refresh";
