import * as pulumi from "@pulumi/pulumi";
import type { AwsClientSettings } from "../../../internal/aws-settings";
import { stackKeysFrom } from "../../../static-site/site-sync-resource";
import type { StaticKeys } from "../../../static-site/sync/aws-clients";
import type { RefreshView } from "./wait-for-refresh";

/**
 * `pulumi up` ends only when the fleet serves the new release: a dynamic
 * resource, `${name}-rollout`, whose create and update wait for the
 * instance refresh the Auto Scaling group's update started. The provider
 * does not wait for it ("This resource does not wait for the instance
 * refresh to complete": @pulumi/aws autoscaling Group, `instanceRefresh`),
 * so without this a rollout that AWS rolls back still reports success.
 *
 * The resource changes whenever the launch template version does, and
 * depends on the group (it takes the group's name), so it runs after the
 * group's update has started the refresh. Deleting it does nothing.
 */
export interface RolloutWaiterInputs {
    autoScalingGroupName: pulumi.Input<string>;
    /** The launch template version the group now runs (its `latestVersion`): the trigger. */
    launchTemplateVersion: pulumi.Input<number | string>;
    timeoutMinutes: pulumi.Input<number>;
    region: pulumi.Input<string>;
    /** Who the Auto Scaling client is (the stack's `aws:` settings or the explicit provider's); names only, never keys. */
    aws: pulumi.Input<AwsClientSettings>;
}

export interface RolloutWaiterOutputs {
    /** The refresh the last update waited for ("" when it needed none). */
    instanceRefreshId: string;
    /** "Successful", or "none" when there was no refresh to wait for. */
    rolloutStatus: string;
}

type PlainInputs = { [K in keyof RolloutWaiterInputs]: pulumi.Unwrap<RolloutWaiterInputs[K]> };

// Loaded by path in the provider's process (see site-sync-resource.ts for why).
const WAITER_MODULE = require.resolve("./wait-for-refresh");
const CLIENTS_MODULE = require.resolve("../../../static-site/sync/aws-clients");
const AUTO_SCALING_MODULE = require.resolve("@aws-sdk/client-auto-scaling");

/** On create the group is new: a refresh would show up at once, so waiting for one is short. */
const APPEAR_ON_CREATE_MS = 10_000;
const APPEAR_ON_UPDATE_MS = 60_000;

async function waitForRollout(inputs: PlainInputs, appearWithinMs: number, keys: StaticKeys | undefined): Promise<RolloutWaiterOutputs> {
    if (WAITER_MODULE.endsWith(".ts")) require("ts-node").register({ transpileOnly: true });
    const waiter = require(WAITER_MODULE) as typeof import("./wait-for-refresh");
    const clients = require(CLIENTS_MODULE) as typeof import("../../../static-site/sync/aws-clients");
    const sdk = require(AUTO_SCALING_MODULE) as typeof import("@aws-sdk/client-auto-scaling");
    const aws = inputs.aws ?? { stackKeys: true };
    const client = new sdk.AutoScalingClient({
        region: inputs.region,
        credentials: clients.credentialsFor(aws, inputs.region, keys),
        // The SDK's standard retry mode retries throttling and 5xx with backoff.
        maxAttempts: 8,
        ...(aws.endpoints?.autoscaling ? { endpoint: aws.endpoints.autoscaling } : {}),
    });
    const label = `[webstack rollout ${inputs.autoScalingGroupName}]`;
    try {
        const list = async (groupName: string): Promise<RefreshView[]> => {
            const refreshes: RefreshView[] = [];
            let nextToken: string | undefined;
            do {
                const page = await client.send(new sdk.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, NextToken: nextToken }));
                for (const r of page.InstanceRefreshes ?? []) {
                    const version = r.DesiredConfiguration?.LaunchTemplate?.Version;
                    refreshes.push({
                        id: r.InstanceRefreshId ?? "",
                        status: r.Status ?? "Pending",
                        statusReason: r.StatusReason,
                        startTime: r.StartTime,
                        percentageComplete: r.PercentageComplete,
                        instancesToUpdate: r.InstancesToUpdate,
                        ...(version ? { launchTemplateVersion: version } : {}),
                    });
                }
                nextToken = page.NextToken;
                // The newest refreshes come first; older pages cannot hold this update's.
            } while (nextToken && refreshes.length < 50);
            return refreshes;
        };
        const outcome = await waiter.waitForRefresh(list, {
            groupName: inputs.autoScalingGroupName,
            launchTemplateVersion: String(inputs.launchTemplateVersion),
            updatedAt: new Date(),
            timeoutMs: inputs.timeoutMinutes * 60_000,
            appearWithinMs,
            // Progress goes to stderr, which the engine shows (see site-sync-resource.ts).
            onProgress: (r) => console.error(`${label} instance refresh ${r.id}: ${r.status}${r.percentageComplete !== undefined ? ` ${r.percentageComplete} %` : ""}${r.instancesToUpdate !== undefined ? `, ${r.instancesToUpdate} instance(s) to update` : ""}`),
        });
        if (outcome.kind === "none") {
            console.error(`${label} no instance refresh to wait for (new group, or its instances already run version ${inputs.launchTemplateVersion})`);
            return { instanceRefreshId: "", rolloutStatus: "none" };
        }
        return { instanceRefreshId: outcome.refresh.id, rolloutStatus: outcome.refresh.status };
    } finally {
        client.destroy();
    }
}

/** The inputs whose change means a new rollout to wait for. */
const TRIGGERS = ["autoScalingGroupName", "launchTemplateVersion"] as const;

interface RolloutWaiterProvider extends pulumi.dynamic.ResourceProvider<PlainInputs, PlainInputs & RolloutWaiterOutputs> {
    stackKeys?: StaticKeys;
}

export const rolloutWaiterProvider: RolloutWaiterProvider = {
    async configure(request) {
        this.stackKeys = stackKeysFrom(request.config);
    },
    async diff(_id, olds, news) {
        const changed = TRIGGERS.filter((key) => String(olds[key] ?? "") !== String(news[key] ?? ""));
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        const outs = await waitForRollout(inputs, APPEAR_ON_CREATE_MS, this.stackKeys);
        return { id: `${inputs.autoScalingGroupName}/rollout`, outs: { ...inputs, ...outs } };
    },
    async update(_id, _olds, news) {
        return { outs: { ...news, ...(await waitForRollout(news, APPEAR_ON_UPDATE_MS, this.stackKeys)) } };
    },
    async delete() {
        // Nothing to undo: the refresh belongs to the group.
    },
};

/** The waiter resource: `pulumi-nodejs:dynamic:Resource` named `${webTier}-rollout`. */
export class RolloutWaiter extends pulumi.dynamic.Resource {
    declare readonly instanceRefreshId: pulumi.Output<string>;
    declare readonly rolloutStatus: pulumi.Output<string>;

    constructor(name: string, inputs: RolloutWaiterInputs, opts?: pulumi.CustomResourceOptions) {
        super(rolloutWaiterProvider, name, { instanceRefreshId: undefined, rolloutStatus: undefined, ...inputs }, opts);
    }
}
