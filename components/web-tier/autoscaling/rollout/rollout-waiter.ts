import * as pulumi from "@pulumi/pulumi";
import type { AwsClientSettings } from "../../../internal/aws-settings";
import { invalid } from "../../../internal/errors";
import { renamedFrom } from "../renamed";
import { stackKeysFrom } from "../../../static-site/site-sync-resource";
import { syncAwsSettings } from "../../../static-site/sync-aws-settings";
import type { StaticKeys } from "../../../static-site/sync/aws-clients";

/**
 * The deploy-time step that makes `pulumi up` end only when the new release
 * serves on every instance: a dynamic resource that runs after the Auto
 * Scaling group's update (its inputs are the group's outputs) and waits for
 * the instance refresh that update started (see wait-for-refresh.ts).
 *
 * Second `pulumi up` with no new launch template version: `diff` reports no
 * change, no AWS call. A failed wait fails the update and leaves the old
 * version in the state, so the next `pulumi up` waits again (finding the
 * refresh a retried group update starts, or checking the group's version).
 * Delete is a no-op: nothing to undo in AWS.
 */
export interface RolloutWaiterInputs {
    /** The group's name: pass the group's `name` Output, so the waiter runs after the group's update. */
    autoScalingGroupName: pulumi.Input<string>;
    /** The launch template version the group is pinned to (`launchTemplate.latestVersion`): the trigger. */
    launchTemplateVersion: pulumi.Input<number | string>;
    /** Give up after this many minutes (the refresh goes on in AWS). */
    timeoutMinutes: pulumi.Input<number>;
    /** The group's region. */
    region: pulumi.Input<string>;
    /** Who the Auto Scaling client is (names only, never a key: this is stored in the state). */
    aws: pulumi.Input<AwsClientSettings>;
    /**
     * When this program run began (ms since the epoch): refreshes started
     * earlier are not this update's. Not a trigger (see `diff`).
     */
    deployStartedAt: pulumi.Input<number>;
    /**
     * How often the refresh is polled. Not a trigger.
     * @default 15000 (an instance refresh replaces instances in minutes)
     */
    pollIntervalMs?: pulumi.Input<number>;
}

/** What the state keeps next to the inputs (diff sees the old outputs only). */
export interface RolloutWaiterOutputs {
    /** The refresh the last successful wait saw end Successful ("" when there was none). */
    instanceRefreshId: string;
    /** "succeeded" or "no-refresh". */
    outcome: string;
}

type PlainInputs = { [K in keyof RolloutWaiterInputs]: pulumi.Unwrap<RolloutWaiterInputs[K]> };

/**
 * Module paths the serialized provider `require`s when it runs (in Pulumi's
 * dynamic-provider process), as site-sync-resource.ts does: the serialized
 * text stays small and the code that runs is the tested module.
 */
const WAITER_MODULE = require.resolve("./wait-for-refresh");
const AWS_CLIENTS_MODULE = require.resolve("../../../static-site/sync/aws-clients");
const AUTO_SCALING_MODULE = require.resolve("@aws-sdk/client-auto-scaling");

/** Poll every 15 s by default: an instance refresh replaces instances in minutes. */
const POLL_INTERVAL_MS = 15_000;

/** Waits for the refresh; progress lines go to stderr, which the engine streams (pulumi/pulumi#6065). */
async function runWait(inputs: PlainInputs, expectRefresh: boolean, settledRefreshIds: string[], keys: StaticKeys | undefined): Promise<RolloutWaiterOutputs> {
    if (WAITER_MODULE.endsWith(".ts")) require("ts-node").register({ transpileOnly: true });
    const waiter = require(WAITER_MODULE) as typeof import("./wait-for-refresh");
    const clients = require(AWS_CLIENTS_MODULE) as typeof import("../../../static-site/sync/aws-clients");
    const sdk = require(AUTO_SCALING_MODULE) as typeof import("@aws-sdk/client-auto-scaling");
    const aws = inputs.aws ?? { stackKeys: true };
    const client = new sdk.AutoScalingClient({
        region: inputs.region,
        credentials: clients.credentialsFor(aws, inputs.region, keys),
        // The SDK's standard retry (3 attempts, exponential backoff with
        // jitter) covers one call; the waiter skips a poll when it still fails.
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 10_000, socketTimeout: 30_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
        ...(aws.endpoints?.autoscaling ? { endpoint: aws.endpoints.autoscaling } : {}),
    });
    const group = inputs.autoScalingGroupName;
    const poll = inputs.pollIntervalMs ?? POLL_INTERVAL_MS;
    const label = `[webstack rollout ${group}]`;
    let lastLine = "";
    try {
        const result = await waiter.waitForRefresh({
            client,
            autoScalingGroupName: group,
            region: inputs.region,
            launchTemplateVersion: String(inputs.launchTemplateVersion),
            notBefore: inputs.deployStartedAt,
            settledRefreshIds,
            expectRefresh,
            timeoutMs: inputs.timeoutMinutes * 60_000,
            pollIntervalMs: poll,
            // Four looks for a refresh the update must have started (DescribeInstanceRefreshes is eventually consistent).
            appearWithinMs: 4 * poll,
            groupLaunchTemplateVersion: async () => {
                const answer = await client.send(new sdk.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
                const found = answer.AutoScalingGroups?.[0];
                return found?.LaunchTemplate?.Version ?? found?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version;
            },
            onProgress: (p) => {
                const line = `${p.instanceRefreshId} ${p.status}: ${p.percentageComplete}% done, ${p.instancesToUpdate} instance(s) to update`;
                if (line !== lastLine) console.error(`${label} ${line} (${Math.round(p.elapsedMs / 1000)} s)`);
                lastLine = line;
            },
            onNote: (note) => console.error(`${label} ${note}`),
        });
        return { instanceRefreshId: result.instanceRefreshId ?? "", outcome: result.outcome };
    } finally {
        client.destroy();
    }
}

interface RolloutWaiterProvider extends pulumi.dynamic.ResourceProvider<PlainInputs, PlainInputs & RolloutWaiterOutputs> {
    stackKeys?: StaticKeys;
}

/** One module-level provider object, serialized once per process. */
export const rolloutWaiterProvider: RolloutWaiterProvider = {
    async configure(request) {
        this.stackKeys = stackKeysFrom(request.config);
    },
    async diff(_id, olds, news) {
        // Only a new launch template version starts a refresh (the AWS provider
        // starts one when `launchTemplate` changes): a new timeout, region or
        // client setting alone has nothing to wait for.
        const changes = String(olds.launchTemplateVersion) !== String(news.launchTemplateVersion);
        return { changes, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        // A new waiter: the group is new (its creation starts no refresh), or
        // the waiter was added to an existing group, whose refresh, if this
        // update started one, is already listed: one look is enough.
        const outs = await runWait(inputs, false, [], this.stackKeys);
        return { id: `${inputs.autoScalingGroupName}/rollout`, outs: { ...inputs, ...outs } };
    },
    async update(_id, olds, news) {
        const previous = olds as PlainInputs & Partial<RolloutWaiterOutputs>;
        // A replaced group (another name) starts with the new version: no refresh.
        const sameGroup = previous.autoScalingGroupName === news.autoScalingGroupName;
        const settled = previous.instanceRefreshId ? [previous.instanceRefreshId] : [];
        const outs = await runWait(news, sameGroup, settled, this.stackKeys);
        return { outs: { ...news, ...outs } };
    },
    async delete() {
        // Nothing to undo: the waiter only reads.
    },
};

/** The waiter resource: `pulumi-nodejs:dynamic:Resource` named `${name}-rollout`. */
export class RolloutWaiter extends pulumi.dynamic.Resource {
    declare readonly instanceRefreshId: pulumi.Output<string>;
    declare readonly outcome: pulumi.Output<string>;

    constructor(name: string, inputs: RolloutWaiterInputs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<keyof RolloutWaiterOutputs, undefined> = { instanceRefreshId: undefined, outcome: undefined };
        super(rolloutWaiterProvider, name, { ...outputs, ...inputs }, opts);
    }
}

/** The default rollout timeout: a refresh of a few instances with 5 min warm-up each fits. */
export const DEFAULT_ROLLOUT_TIMEOUT_MINUTES = 30;

/** What {@link createRolloutWaiter} takes. */
export interface RolloutWaiterArgs {
    /** The group's `name` Output (so the waiter runs after the group's update). */
    autoScalingGroupName: pulumi.Input<string>;
    /** The launch template's `latestVersion` Output. */
    launchTemplateVersion: pulumi.Input<number | string>;
    /** The group's region. */
    region: pulumi.Input<string>;
    /**
     * How long `pulumi up` waits for the refresh, 1 to 720 minutes.
     * @default 30
     */
    timeoutMinutes?: number;
    /**
     * The AWS client settings. @default those of the `parent`'s aws provider
     * (its profile), else the stack's `aws:` configuration (syncAwsSettings).
     */
    aws?: pulumi.Input<AwsClientSettings>;
}

/**
 * The rollout waiter of an Auto Scaling group, child of `parent` (the
 * WebTier), with the AWS identity of `parent`'s aws provider.
 * Throws a ConfigError for a bad `timeoutMinutes` before registering anything.
 *
 * @example
 * createRolloutWaiter(name, { autoScalingGroupName: group.name, launchTemplateVersion: template.latestVersion, region }, this);
 */
export function createRolloutWaiter(name: string, args: RolloutWaiterArgs, parent: pulumi.Resource, formerName?: string): RolloutWaiter {
    const timeoutMinutes = args.timeoutMinutes ?? DEFAULT_ROLLOUT_TIMEOUT_MINUTES;
    checkRolloutTimeout(timeoutMinutes);
    return new RolloutWaiter(
        `${name}-rollout`,
        {
            autoScalingGroupName: args.autoScalingGroupName,
            launchTemplateVersion: pulumi.output(args.launchTemplateVersion).apply(String),
            timeoutMinutes,
            region: args.region,
            aws: args.aws ?? syncAwsSettings(parent),
            deployStartedAt: Date.now(),
        },
        { parent, aliases: renamedFrom(formerName, "-rollout") },
    );
}

/**
 * `timeoutMinutes` must be a whole number from 1 to 720. An instance
 * refresh itself has no fixed limit; 12 hours bounds a `pulumi up`.
 */
export function checkRolloutTimeout(value: unknown, setting = "rollout.timeoutMinutes"): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 720) {
        invalid(setting, value, "it must be a whole number of minutes from 1 to 720", `set ${setting} to e.g. ${DEFAULT_ROLLOUT_TIMEOUT_MINUTES}`);
    }
}
