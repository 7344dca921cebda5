import * as pulumi from "@pulumi/pulumi";
import type { AwsClientSettings } from "../../../../internal/aws-settings";
import { invalid } from "../../../../internal/errors";
import { stackKeysFrom } from "../../../../static-site/site-sync-resource";
import { syncAwsSettings } from "../../../../static-site/sync-aws-settings";
import type { StaticKeys } from "../../../../static-site/sync/aws-clients";
import { COLORS, Color, servingColors, TrafficShares } from "../traffic";

/**
 * The blue/green health gate: a deploy-time step (dynamic resource) that
 * waits, before the listener weights change, until every target of each
 * color that will receive traffic is `healthy` (see
 * wait-for-healthy-targets.ts), and fails `pulumi up` when they are not
 * within the timeout.
 *
 * Ordering is what makes it a gate: its inputs are the serving colors'
 * target group ARNs (Outputs), so it runs after those groups exist, and the
 * listeners are created with `dependsOn: [gate]`, so the engine does not
 * touch them until the gate succeeded. A failed gate therefore leaves the
 * listener weights as they were: traffic keeps going where it went before.
 * Because the ALB health-checks only the targets of target groups a listener
 * rule names (ALB User Guide, "Target groups for your Application Load
 * Balancers"), a serving color's target group must already be named by some
 * listener rule (the weighted forward at weight 0, or the test listener)
 * when the gate waits for it; otherwise its targets stay `unused`
 * (Target.NotInUse) and the gate times out saying so.
 *
 * Second `pulumi up` with the same shares, releases and target groups:
 * `diff` reports no change, no AWS call. A failed wait fails the update and
 * leaves the old inputs in the state, so the next `pulumi up` waits again.
 * A new timeout, poll interval, region or client setting alone changes
 * nothing. Delete is a no-op: the gate only reads.
 */

/** One serving color as the gate's inputs hold it. */
export interface HealthGateColorInputs {
    /** The color's target group ARN (pass the target group's `arn` Output). */
    targetGroupArn: pulumi.Input<string>;
    /** The color's launch template version (`latestVersion`, as a string): a trigger. */
    launchTemplateVersion: pulumi.Input<string>;
    /** What identifies the color's release (its archive key or sha256, or its settings revision): a trigger. */
    release?: pulumi.Input<string>;
    /** At least this many healthy targets (the group's desired or minimum capacity). Not a trigger. */
    expectedCount?: pulumi.Input<number>;
}

/** The gate's inputs (what the state keeps). */
export interface HealthGateInputs {
    /** Only the colors that will receive traffic (a share above 0). */
    colors: pulumi.Input<Partial<Record<Color, pulumi.Input<HealthGateColorInputs>>>>;
    /** The traffic shares the listeners are about to take: a trigger. */
    shares: pulumi.Input<TrafficShares>;
    /** Give up after this many minutes. Not a trigger. */
    timeoutMinutes: pulumi.Input<number>;
    /** The target groups' region. Not a trigger. */
    region: pulumi.Input<string>;
    /** Who the ELBv2 client is (names only, never a key: this is stored in the state). Not a trigger. */
    aws: pulumi.Input<AwsClientSettings>;
    /**
     * How often the targets are polled. Not a trigger.
     * @default 15000 (an ALB health-checks instance targets every 30 s by default)
     */
    pollIntervalMs?: pulumi.Input<number>;
}

/** What the state keeps next to the inputs. */
export interface HealthGateOutputs {
    /** Healthy targets per serving color when the gate last opened. */
    healthyTargets: Partial<Record<Color, number>>;
}

type PlainColor = { [K in keyof HealthGateColorInputs]: pulumi.Unwrap<HealthGateColorInputs[K]> };
type PlainInputs = Omit<{ [K in keyof HealthGateInputs]: pulumi.Unwrap<HealthGateInputs[K]> }, "colors"> & { colors: Partial<Record<Color, PlainColor>> };

/**
 * Module paths the serialized provider `require`s when it runs (in Pulumi's
 * dynamic-provider process), as the rollout waiter does: the serialized
 * text stays small and the code that runs is the tested module.
 */
const GATE_MODULE = require.resolve("./wait-for-healthy-targets");
const AWS_CLIENTS_MODULE = require.resolve("../../../../static-site/sync/aws-clients");
const ELBV2_MODULE = require.resolve("@aws-sdk/client-elastic-load-balancing-v2");

/** Poll every 15 s by default: an ALB health check runs every 30 s by default for instance targets. */
const POLL_INTERVAL_MS = 15_000;

/** Waits for the serving colors' targets; progress lines go to stderr, which the engine streams (pulumi/pulumi#6065). */
async function runGate(inputs: PlainInputs, keys: StaticKeys | undefined): Promise<HealthGateOutputs> {
    if (GATE_MODULE.endsWith(".ts")) require("ts-node").register({ transpileOnly: true });
    const gate = require(GATE_MODULE) as typeof import("./wait-for-healthy-targets");
    const clients = require(AWS_CLIENTS_MODULE) as typeof import("../../../../static-site/sync/aws-clients");
    const sdk = require(ELBV2_MODULE) as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    const aws = inputs.aws ?? { stackKeys: true };
    const client = new sdk.ElasticLoadBalancingV2Client({
        region: inputs.region,
        credentials: clients.credentialsFor(aws, inputs.region, keys),
        // The SDK's standard retry (3 attempts, exponential backoff with
        // jitter) covers one call; the gate skips a poll when it still fails.
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 10_000, socketTimeout: 30_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
        ...(aws.endpoints?.elbv2 ? { endpoint: aws.endpoints.elbv2 } : {}),
    });
    const targetGroups = (["blue", "green"] as const)
        .filter((color) => inputs.colors[color] !== undefined)
        .map((color) => {
            const c = inputs.colors[color]!;
            return { color, targetGroupArn: c.targetGroupArn, ...(c.expectedCount !== undefined ? { expectedCount: c.expectedCount } : {}) };
        });
    const label = "[webstack health gate]";
    let lastLine = "";
    try {
        const summary = await gate.waitForHealthyTargets({
            client,
            targetGroups,
            timeoutMs: inputs.timeoutMinutes * 60_000,
            pollIntervalMs: inputs.pollIntervalMs ?? POLL_INTERVAL_MS,
            region: inputs.region,
            onProgress: (p) => {
                const line = p.groups
                    .map((g) => {
                        const waiting = g.notHealthy.map((t) => `${t.id} ${t.state}${t.reason ? ` (${t.reason})` : ""}`).join(", ");
                        return `${g.color}: ${g.healthy} healthy (${g.required} needed)${waiting ? `, waiting for ${waiting}` : ""}${g.draining ? `, ${g.draining} draining` : ""}`;
                    })
                    .join("; ");
                if (line !== lastLine) console.error(`${label} ${line} (${Math.round(p.elapsedMs / 1000)} s)`);
                lastLine = line;
            },
            onNote: (note) => console.error(`${label} ${note}`),
        });
        for (const c of summary.colors) console.error(`${label} ${c.color}: ${c.healthyCount} healthy target(s) after ${Math.round(c.elapsedMs / 1000)} s`);
        return { healthyTargets: Object.fromEntries(summary.colors.map((c) => [c.color, c.healthyCount])) };
    } finally {
        client.destroy();
    }
}

/** True when the gate must wait again: the shares, a serving color or its target group, release or launch template version changed. */
export function gateChanged(olds: PlainInputs, news: PlainInputs): boolean {
    if (COLORS.some((color) => olds.shares?.[color] !== news.shares?.[color])) return true;
    for (const color of COLORS) {
        const before = olds.colors?.[color];
        const after = news.colors?.[color];
        if ((before === undefined) !== (after === undefined)) return true;
        if (before === undefined || after === undefined) continue;
        if (before.targetGroupArn !== after.targetGroupArn) return true;
        if (String(before.launchTemplateVersion) !== String(after.launchTemplateVersion)) return true;
        if ((before.release ?? "") !== (after.release ?? "")) return true;
    }
    return false;
}

interface HealthGateProvider extends pulumi.dynamic.ResourceProvider<PlainInputs, PlainInputs & HealthGateOutputs> {
    stackKeys?: StaticKeys;
}

/** One module-level provider object, serialized once per process. */
export const healthGateProvider: HealthGateProvider = {
    async configure(request) {
        this.stackKeys = stackKeysFrom(request.config);
    },
    async diff(_id, olds, news) {
        // Only what moves traffic or changes what serves it needs a new look:
        // a new timeout, poll interval, region, client setting or expected
        // count alone has nothing new to wait for.
        return { changes: gateChanged(olds, news), replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        const outs = await runGate(inputs, this.stackKeys);
        return { id: `${COLORS.filter((color) => inputs.colors[color]).join("+")}/traffic-gate`, outs: { ...inputs, ...outs } };
    },
    async update(_id, _olds, news) {
        const outs = await runGate(news, this.stackKeys);
        return { outs: { ...news, ...outs } };
    },
    async delete() {
        // Nothing to undo: the gate only reads.
    },
};

/** The gate resource: `pulumi-nodejs:dynamic:Resource` named `${name}-traffic-gate`. */
export class HealthGate extends pulumi.dynamic.Resource {
    declare readonly healthyTargets: pulumi.Output<Partial<Record<Color, number>>>;

    constructor(name: string, inputs: HealthGateInputs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<keyof HealthGateOutputs, undefined> = { healthyTargets: undefined };
        super(healthGateProvider, name, { ...outputs, ...inputs }, opts);
    }
}

/**
 * The default gate timeout: instances that boot, install the release and pass
 * their first health checks (3 successes 30 s apart with the AWS provider's
 * defaults: @pulumi/aws lb.TargetGroup `healthCheck.healthyThreshold`, `interval`) fit.
 */
export const DEFAULT_GATE_TIMEOUT_MINUTES = 10;

/** One color's fleet, as {@link createHealthGate} takes it. */
export interface HealthGateColorArgs {
    /** The color's target group `arn` Output (so the gate runs after the target group). */
    targetGroupArn: pulumi.Input<string>;
    /** The color's launch template `latestVersion` Output: a new one makes the gate wait again. */
    launchTemplateVersion: pulumi.Input<number | string>;
    /**
     * What identifies the color's release (its archive key, sha256 or settings revision): a new one makes the
     * gate wait again. @default none (only the launch template version triggers)
     */
    release?: pulumi.Input<string>;
    /**
     * At least this many healthy targets (the group's desired or minimum capacity).
     * @default 1 (and every registered target healthy)
     */
    expectedCount?: pulumi.Input<number>;
}

/** What {@link createHealthGate} takes. */
export interface HealthGateArgs {
    /** The shares the listeners are about to take (`trafficShares(deploy.traffic)`): the colors above 0 are gated. */
    shares: TrafficShares;
    /** Each color's fleet; every color with a share above 0 needs one. */
    colors: Partial<Record<Color, HealthGateColorArgs>>;
    /** The target groups' region. */
    region: pulumi.Input<string>;
    /**
     * How long `pulumi up` waits for the targets, 1 to 720 minutes (`deploy.gateTimeoutMinutes`).
     * @default 10
     */
    timeoutMinutes?: number;
    /**
     * How often the targets are polled, in milliseconds (tests use a few).
     * @default 15000
     */
    pollIntervalMs?: number;
    /**
     * The AWS client settings. @default those of the `parent`'s aws provider
     * (its profile), else the stack's `aws:` configuration (syncAwsSettings).
     */
    aws?: pulumi.Input<AwsClientSettings>;
    /** What must have happened first: the receiving colors' rollouts, and the rules that make the ALB check their targets. */
    dependsOn?: pulumi.Resource[];
}

/**
 * The health gate of a blue/green web tier, child of `parent` (the WebTier),
 * with the AWS identity of `parent`'s aws provider. Only the colors with a
 * share above 0 are in its inputs, so it depends on their target groups
 * only. Make the listeners depend on it (`dependsOn: [gate]`): a failed gate
 * then leaves the weights untouched.
 * Throws a ConfigError for a bad `timeoutMinutes`, bad shares or a serving
 * color without a fleet, before registering anything.
 *
 * @example
 * const gate = createHealthGate(name, {
 *     shares,
 *     colors: { blue: { targetGroupArn: blueTg.arn, launchTemplateVersion: blueLt.latestVersion, expectedCount: 2 }, green: { ... } },
 *     region,
 *     timeoutMinutes: deploy.gateTimeoutMinutes,
 * }, this);
 * new aws.lb.Listener(`${name}-https`, { ... }, { parent: this, dependsOn: [gate] });
 */
export function createHealthGate(name: string, args: HealthGateArgs, parent: pulumi.Resource): HealthGate {
    const timeoutMinutes = args.timeoutMinutes ?? DEFAULT_GATE_TIMEOUT_MINUTES;
    checkGateTimeout(timeoutMinutes);
    checkShares(args.shares);
    if (args.pollIntervalMs !== undefined && (!Number.isInteger(args.pollIntervalMs) || args.pollIntervalMs < 1)) {
        invalid("pollIntervalMs", args.pollIntervalMs, "it must be a whole number of milliseconds, at least 1", "leave it out (15000) or give e.g. 15000");
    }
    const colors: Partial<Record<Color, HealthGateColorInputs>> = {};
    for (const color of servingColors(args.shares)) {
        const fleet = args.colors[color];
        if (!fleet) {
            invalid(`deploy.${color}`, fleet, `${color} receives ${args.shares[color]} % of the traffic but has no fleet`, `give ${color} a release, or set deploy.traffic.${color} to 0`);
        }
        const count = fleet.expectedCount;
        if (typeof count === "number" && (!Number.isInteger(count) || count < 0)) {
            invalid(`deploy.${color}.capacity`, count, "the expected number of healthy targets is a whole number, 0 or more", `give the ${color} fleet a whole capacity such as 2`);
        }
        colors[color] = {
            targetGroupArn: fleet.targetGroupArn,
            launchTemplateVersion: pulumi.output(fleet.launchTemplateVersion).apply(String),
            ...(fleet.release !== undefined ? { release: fleet.release } : {}),
            ...(count !== undefined ? { expectedCount: count } : {}),
        };
    }
    return new HealthGate(
        `${name}-traffic-gate`,
        {
            colors,
            shares: { blue: args.shares.blue, green: args.shares.green },
            timeoutMinutes,
            region: args.region,
            aws: args.aws ?? syncAwsSettings(parent),
            ...(args.pollIntervalMs !== undefined ? { pollIntervalMs: args.pollIntervalMs } : {}),
        },
        { parent, dependsOn: args.dependsOn },
    );
}

/**
 * `timeoutMinutes` must be a whole number from 1 to 720, as the rollout
 * timeout: health checks take at most 10 × 300 s to turn a target healthy
 * (`healthyThreshold` 2-10, `interval` 5-300 s: @pulumi/aws lb.TargetGroup
 * `healthCheck`), and 12 hours bounds a `pulumi up`.
 */
export function checkGateTimeout(value: unknown, setting = "deploy.gateTimeoutMinutes"): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 720) {
        invalid(setting, value, "it must be a whole number of minutes from 1 to 720", `set ${setting} to e.g. ${DEFAULT_GATE_TIMEOUT_MINUTES}`);
    }
}

/** Shares as trafficShares() returns them: whole percents that add up to 100. */
function checkShares(shares: TrafficShares): void {
    for (const color of COLORS) {
        const share = shares?.[color];
        if (typeof share !== "number" || !Number.isInteger(share) || share < 0 || share > 100) {
            invalid(`deploy.traffic.${color}`, share, "a traffic share is a whole percent from 0 to 100", `set deploy.traffic.${color} to e.g. 10 (the other color gets the rest)`);
        }
    }
    if (shares.blue + shares.green !== 100) {
        invalid("deploy.traffic", shares, `the shares add up to ${shares.blue + shares.green}, not 100`, "give one color only (the other gets the rest), e.g. deploy.traffic: { green: 10 }");
    }
}
