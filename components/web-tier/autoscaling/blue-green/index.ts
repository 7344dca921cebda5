import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../../args";
import { ModeInputs } from "../../mode";
import { ReleaseSettingsParameter } from "../../release/release-settings";
import { ResolvedAutoscaling } from "../args";
import { createFleetStack, FleetStack } from "../fleet-stack";
import { ALB_TLS_POLICY, createListeners, LoadBalancer } from "../load-balancer";
import { createTargetGroup } from "../target-group";
import { ResolvedBlueGreen, ResolvedColor } from "./args";
import { createHealthGate } from "./health-gate/health-gate";
import { createPreviewListener, previewPort, weightedForward } from "./listener-traffic";
import { createReleasePinCheck } from "./release-pin/release-pin-check";
import { Color, COLORS } from "./traffic";

/** What the stack outputs say of one color, so the next change is easy to write. */
export interface ColorSummary {
    /** The sha256 of the release it runs ("" with no release). */
    release: string;
    /** Percent of the requests it receives. */
    traffic: number;
    /** Its group's sizes (0 when it has no release, or is idle with `idle: zero`). */
    minSize: number;
    maxSize: number;
    /** The instances it starts with; the CPU target and the schedules move it afterwards. */
    desiredCapacity: number;
    /** Its Auto Scaling group ("" with no release). */
    autoScalingGroupName: string;
}

export type BlueGreenSummary = Record<Color, ColorSummary>;

/** The settings parameter a color's hosts read: `/<app>/<stage>/<name>/<color>/release`, beside the web tier's `/…/<name>/release`. */
export function colorSettingsParameterName(settingsParameterName: string, color: Color): string {
    return settingsParameterName.replace(/\/release$/, `/${color}/release`);
}

/**
 * A color's sizes: the web tier's when it runs instances, else 0 with no
 * schedule (a schedule would start some). The group ignores later changes
 * of `desiredCapacity` (fleet.ts), and needs none here: a new `maxSize` below
 * the group's size lowers the desired capacity to it, and a new `minSize`
 * above it raises the desired capacity to it (EC2 Auto Scaling API
 * reference, UpdateAutoScalingGroup: "Note the following about changing
 * DesiredCapacity, MaxSize, or MinSize").
 */
function colorSizes(color: ResolvedColor, autoscaling: ResolvedAutoscaling): ResolvedAutoscaling {
    return color.running ? autoscaling : { ...autoscaling, minSize: 0, maxSize: 0, desiredCapacity: 0, schedules: [] };
}

/**
 * Strategy `blue-green`: two fleets, `blue` and `green`, behind the one ALB.
 *
 * - Each color has its own target group, settings parameter (its release:
 *   the current one, or a pinned archive already in the bucket), launch
 *   template and Auto Scaling group (fleet-stack.ts). A color with no
 *   release has a target group only.
 * - The preview listener (listener-traffic.ts) names both target groups
 *   from the start, so the ALB health-checks both colors before either
 *   takes traffic.
 * - A pinned release is checked in the bucket at deploy time (release-pin/)
 *   before the color's settings change.
 * - The health gate (health-gate/) waits, after the receiving colors'
 *   rollouts, until every target of each color that will receive traffic
 *   is healthy; the serving listener depends on it, so a gate that fails
 *   leaves the weights where they were.
 * - An idle color with `idle: zero` is scaled to zero after the listener
 *   has moved the traffic away (its group depends on the listener).
 *
 * Blue's resources are the rolling fleet's renamed (renamed.ts), so
 * switching a web tier from `rolling` to `blue-green` keeps the fleet that
 * serves as blue.
 */
export function createBlueGreenFleets(
    name: string,
    resolved: ResolvedWebTierArgs,
    blueGreen: ResolvedBlueGreen,
    inputs: ModeInputs,
    shared: { lb: LoadBalancer; securityGroupIds: pulumi.Input<pulumi.Input<string>[]> },
    parent: pulumi.Resource,
): { summary: pulumi.Output<BlueGreenSummary>; fleets: Partial<Record<Color, FleetStack>> } {
    const { lb } = shared;
    const { published, tags } = inputs;
    const targetGroups = Object.fromEntries(
        COLORS.map((color) => [
            color,
            createTargetGroup(`${name}-${color}-tg`, { vpcId: resolved.network.vpcId, settings: resolved.loadBalancer, tags }, { parent, ...(color === "blue" ? { aliases: [{ name: `${name}-tg` }] } : {}) }),
        ]),
    ) as Record<Color, ReturnType<typeof createTargetGroup>>;
    const targetGroupArns = { blue: targetGroups.blue.arn, green: targetGroups.green.arn };
    const preview = createPreviewListener(
        name,
        {
            loadBalancerArn: lb.loadBalancer.arn,
            port: previewPort(lb.https),
            certificateArn: lb.certificateArn,
            sslPolicy: ALB_TLS_POLICY,
            candidate: blueGreen.candidate,
            targetGroupArns,
            tags,
        },
        parent,
    );

    const settingsOf = (color: ResolvedColor): ReleaseSettingsParameter => {
        const pinned = (sha256: string) => {
            // Fails `pulumi up` before the color's settings change when the archive is not in the bucket.
            const check = createReleasePinCheck(name, color.color, { bucket: published.bucketName, key: published.keyOf(sha256), sha256, region: inputs.region }, parent);
            return { key: published.keyOf(sha256), sha256, proof: [check] };
        };
        const archive = color.release === "current" ? { key: published.releaseKey, sha256: published.releaseSha256, proof: [published.releaseObject] } : pinned(color.release as string);
        return published.publishSettings(`${name}-${color.color}`, colorSettingsParameterName(published.settingsParameterName, color.color), archive, archive.proof);
    };
    const fleetOf = (color: ResolvedColor, dependsOn: pulumi.Resource[]): FleetStack =>
        createFleetStack(
            `${name}-${color.color}`,
            resolved,
            inputs,
            {
                settingsParameterName: colorSettingsParameterName(published.settingsParameterName, color.color),
                settings: settingsOf(color),
                securityGroupIds: shared.securityGroupIds,
                targetGroupArn: targetGroups[color.color].arn,
                autoscaling: colorSizes(color, resolved.autoscaling),
                // The ALB checks the group's instances once the preview rules name its target group.
                dependsOn: [...preview.rules, ...dependsOn],
            },
            parent,
            color.color === "blue" ? name : undefined,
        );

    const withRelease = COLORS.map((color) => blueGreen.colors[color]).filter((color) => color.release !== undefined);
    // Colors that keep instances come first: the gate and the listener wait for them.
    const fleets: Partial<Record<Color, FleetStack>> = {};
    for (const color of withRelease.filter((c) => c.running)) fleets[color.color] = fleetOf(color, []);
    const gate = createHealthGate(
        name,
        {
            shares: blueGreen.shares,
            colors: Object.fromEntries(
                COLORS.flatMap((color) => {
                    const fleet = fleets[color];
                    if (!fleet) return [];
                    const release = blueGreen.colors[color].release === "current" ? published.releaseSha256 : blueGreen.colors[color].release;
                    return [[color, { targetGroupArn: targetGroups[color].arn, launchTemplateVersion: fleet.launchTemplate.latestVersion, release, expectedCount: resolved.autoscaling.minSize }]];
                }),
            ),
            region: inputs.region,
            timeoutMinutes: blueGreen.gateTimeoutMinutes,
            // After the receiving colors' rollouts, and once the preview rules make the ALB check their targets.
            dependsOn: [...preview.rules, ...COLORS.flatMap((color) => (blueGreen.shares[color] > 0 && fleets[color] ? [fleets[color].waiter] : []))],
        },
        parent,
    );
    // The weights move only once the gate has seen the receiving colors healthy; a failed gate leaves them as they were.
    const serving = createListeners(name, lb, weightedForward(blueGreen.shares, targetGroupArns), tags, parent, [gate]);
    // A color scaled to zero shrinks only once the listener has moved its traffic away.
    for (const color of withRelease.filter((c) => !c.running)) fleets[color.color] = fleetOf(color, [serving.servingListener]);

    const summary = pulumi.all(COLORS.map((color) => fleets[color]?.group.name ?? pulumi.output(""))).apply((groupNames) =>
        Object.fromEntries(
            COLORS.map((color, index) => {
                const resolvedColor = blueGreen.colors[color];
                const sizes = colorSizes(resolvedColor, resolved.autoscaling);
                const release = resolvedColor.release === "current" ? published.releaseSha256 : (resolvedColor.release ?? "");
                const running = resolvedColor.release !== undefined;
                return [
                    color,
                    {
                        release,
                        traffic: resolvedColor.share,
                        minSize: running ? sizes.minSize : 0,
                        maxSize: running ? sizes.maxSize : 0,
                        desiredCapacity: running ? sizes.desiredCapacity : 0,
                        autoScalingGroupName: groupNames[index],
                    },
                ];
            }),
        ) as BlueGreenSummary,
    );
    return { summary, fleets };
}
