import type { TrafficArgs } from "../../../components/web-tier/autoscaling/blue-green/traffic";

/** An app version of the worked release: v1 is what blue ran before, v2 the new release. */
export type AppVersion = "v1" | "v2";

/** One `pulumi up` of the worked release in docs/web-tier.md. */
export interface WorkedReleaseStep {
    /** What the step does, as the docs' heading says it. */
    label: string;
    /** The app version each color runs (undefined: no release, the color is idle). */
    blue?: AppVersion;
    green?: AppVersion;
    /** `deploy.traffic` as the stage file writes it. */
    traffic?: TrafficArgs;
}

/**
 * The worked release from blue to green, one entry per `pulumi up`: the
 * harness tests (tests/web-tier/blue-green/) plan each step and the loopback
 * rehearsal (bench/blue-green) moves traffic through the same shares.
 */
export const WORKED_RELEASE: WorkedReleaseStep[] = [
    { label: "blue serves v1", blue: "v1" },
    { label: "green starts v2, no traffic yet (try it through the preview header)", blue: "v1", green: "v2", traffic: { green: 0 } },
    { label: "canary: 10 % to green", blue: "v1", green: "v2", traffic: { green: 10 } },
    { label: "all traffic to green", blue: "v1", green: "v2", traffic: { green: 100 } },
    { label: "rollback: all traffic back to blue", blue: "v1", green: "v2", traffic: { green: 0 } },
];
