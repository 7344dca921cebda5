/**
 * The health gate of the blue/green deploy: `pulumi up` moves the listener
 * weights only once every target of each color that will receive traffic is
 * healthy, and fails with each unhealthy target and its reason otherwise.
 */
export { createHealthGate, checkGateTimeout, DEFAULT_GATE_TIMEOUT_MINUTES, HealthGate, HealthGateArgs, HealthGateColorArgs, HealthGateInputs, HealthGateOutputs } from "./health-gate";
export { HealthGateError, waitForHealthyTargets, WaitForHealthyTargetsOptions, HealthyTargetsSummary, GatedTargetGroup, TargetHealthClient, GateProgress } from "./wait-for-healthy-targets";
