import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedAutoscaling } from "./args";
import { renamedFrom } from "./renamed";

export interface FleetScaling {
    cpuPolicy: aws.autoscaling.Policy;
    schedules: aws.autoscaling.Schedule[];
}

/**
 * Target tracking on the group's average CPU, and the scheduled actions.
 *
 * A scheduled action's sizes default to 0 in the provider (@pulumi/aws
 * autoscaling Schedule: "Set to `-1` if you don't want to change ... Defaults
 * to `0`"), so a size the schedule does not name is written as -1: a
 * schedule that raises `minSize` alone must not empty the fleet.
 */
export function createScaling(name: string, group: aws.autoscaling.Group, autoscaling: ResolvedAutoscaling, parent: pulumi.Resource, formerName?: string): FleetScaling {
    const cpuPolicy = new aws.autoscaling.Policy(
        `${name}-cpu-target`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            // Scale-in too: the fleet shrinks back towards minSize when the load drops.
            targetTrackingConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: autoscaling.cpuTargetPercent,
                disableScaleIn: false,
            },
        },
        { parent, aliases: renamedFrom(formerName, "-cpu-target") },
    );
    const unchanged = -1;
    const schedules = autoscaling.schedules.map(
        (schedule) =>
            new aws.autoscaling.Schedule(
                `${name}-schedule-${schedule.name}`,
                {
                    autoscalingGroupName: group.name,
                    scheduledActionName: `${name}-${schedule.name}`,
                    recurrence: schedule.recurrence,
                    timeZone: schedule.timeZone,
                    minSize: schedule.minSize ?? unchanged,
                    maxSize: schedule.maxSize ?? unchanged,
                    desiredCapacity: schedule.desiredCapacity ?? unchanged,
                },
                { parent },
            ),
    );
    return { cpuPolicy, schedules };
}
