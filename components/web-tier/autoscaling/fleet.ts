import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedAutoscaling } from "./args";
import { renamedFrom } from "./renamed";

export interface FleetArgs {
    launchTemplate: aws.ec2.LaunchTemplate;
    /** One subnet per AZ: private ones when the stage has NAT, else public ones. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    targetGroupArns: pulumi.Input<string>[];
    autoscaling: ResolvedAutoscaling;
    tags: Record<string, string>;
    /** What new instances read at boot: the release settings and the role's policy. */
    dependsOn: pulumi.Resource[];
}

/**
 * The Auto Scaling group.
 *
 * - It runs the launch template's `latestVersion`, a number, never
 *   `$Latest`: the provider starts no instance refresh for `$Latest`
 *   (@pulumi/aws autoscaling Group, `instanceRefresh.triggers` note), and
 *   a refresh can roll back only to a numbered version (EC2 Auto Scaling
 *   user guide, "Undo changes with a manual or auto rollback").
 * - A new version starts a rolling instance refresh that keeps 100 % of the
 *   desired capacity healthy and launches before it terminates (up to
 *   `maxHealthyPercentage`), skips instances already on the new version,
 *   and rolls back by itself when it fails. The provider does not wait for
 *   it: the rollout waiter (rollout/) does.
 * - Instances are healthy when the ALB says so (`healthCheckType: "ELB"`),
 *   after a grace period for the first boot; an instance whose app stops
 *   answering the health path is replaced.
 * - `desiredCapacity` is set at creation only (ignored afterwards): the CPU
 *   target and the schedules move it, and a later `pulumi up` must not
 *   undo their work by resetting it (terraform-aws-autoscaling offers the
 *   same as `ignore_desired_capacity_changes`). `minSize` and `maxSize`
 *   changes do apply; AWS then brings the desired capacity into range.
 * - `waitForCapacityTimeout`: the provider waits this long on creation for
 *   `minSize` instances to be healthy in the target group; a fleet that
 *   never gets healthy fails `pulumi up` instead of reporting success.
 */
export function createFleet(name: string, args: FleetArgs, parent: pulumi.Resource, formerName?: string): aws.autoscaling.Group {
    const { autoscaling } = args;
    return new aws.autoscaling.Group(
        `${name}-fleet`,
        {
            vpcZoneIdentifiers: args.subnetIds,
            launchTemplate: { id: args.launchTemplate.id, version: pulumi.interpolate`${args.launchTemplate.latestVersion}` },
            minSize: autoscaling.minSize,
            maxSize: autoscaling.maxSize,
            desiredCapacity: autoscaling.desiredCapacity,
            targetGroupArns: args.targetGroupArns,
            healthCheckType: "ELB",
            healthCheckGracePeriod: autoscaling.healthCheckGracePeriodSeconds,
            defaultInstanceWarmup: autoscaling.instanceWarmupSeconds,
            // The provider waits for minSize healthy instances in the target group (ELB capacity) on creation.
            waitForCapacityTimeout: "15m",
            minElbCapacity: autoscaling.minSize,
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: autoscaling.maxHealthyPercentage,
                    instanceWarmup: String(autoscaling.instanceWarmupSeconds),
                    autoRollback: true,
                    skipMatching: true,
                },
            },
            // Group metrics in CloudWatch (free at 1-minute granularity for groups).
            enabledMetrics: ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances"],
            metricsGranularity: "1Minute",
            tags: Object.entries({ ...args.tags, Name: name }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
        },
        { parent, dependsOn: args.dependsOn, ignoreChanges: ["desiredCapacity"], aliases: renamedFrom(formerName, "-fleet") },
    );
}
