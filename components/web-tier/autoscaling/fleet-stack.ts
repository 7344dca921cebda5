import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../args";
import { renderUserData } from "../host/user-data";
import { ModeInputs } from "../mode";
import { ReleaseSettingsParameter } from "../release/release-settings";
import { ResolvedAutoscaling } from "./args";
import { createFleet } from "./fleet";
import { createLaunchTemplate } from "./launch-template";
import { createRolloutWaiter, RolloutWaiter } from "./rollout";
import { createScaling } from "./scaling";

export interface FleetStackArgs {
    /** The settings parameter this fleet's hosts read at boot, and the resource that wrote it. */
    settingsParameterName: string;
    settings: ReleaseSettingsParameter;
    /** The app servers' groups (the ALB's app group first). */
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    targetGroupArn: pulumi.Input<string>;
    /** Sizes, scaling and rollout (blue/green's idle color gets sizes 0 and no schedules). */
    autoscaling: ResolvedAutoscaling;
    /** What must happen before the group is created or changed, besides the settings and the role. */
    dependsOn?: pulumi.Resource[];
}

export interface FleetStack {
    launchTemplate: aws.ec2.LaunchTemplate;
    group: aws.autoscaling.Group;
    waiter: RolloutWaiter;
}

/**
 * One fleet running the release a settings parameter names: the launch
 * template (its user data carries the parameter's version, so every release
 * or setting is a new template version), the Auto Scaling group pinned to
 * that version with its instance refresh, CPU and scheduled scaling, and the
 * rollout waiter that ends `pulumi up` only when the refresh has finished.
 *
 * `prefix` names the resources (`<prefix>-launch-template`, `<prefix>-fleet`,
 * ...): the web tier's name for the rolling fleet, `<name>-blue` and
 * `<name>-green` for blue/green. `formerPrefix` keeps a renamed fleet's
 * resources (see renamed.ts).
 */
export function createFleetStack(
    prefix: string,
    resolved: ResolvedWebTierArgs,
    inputs: ModeInputs,
    args: FleetStackArgs,
    parent: pulumi.Resource,
    formerPrefix?: string,
): FleetStack {
    const { access, region, tags } = inputs;
    // Private subnets when the stage gives them (they have NAT); else public ones with a public address each.
    const inPrivateSubnets = resolved.network.privateSubnetIds !== undefined;
    const userData = pulumi
        .all([region, args.settings.parameter.version])
        .apply(([r, settingsVersion]) => renderUserData({ name: prefix, nodeVersion: resolved.app.nodeVersion, settingsParameter: args.settingsParameterName, region: r, settingsVersion }));
    const launchTemplate = createLaunchTemplate(
        prefix,
        {
            instance: resolved.instance,
            keyName: resolved.ssh.keyName,
            securityGroupIds: args.securityGroupIds,
            instanceProfileArn: access.profile.arn,
            kmsKeyId: resolved.kmsKeyArn,
            userData,
            publicIp: !inPrivateSubnets,
            tags,
        },
        parent,
        formerPrefix,
    );
    const group = createFleet(
        prefix,
        {
            launchTemplate,
            subnetIds: resolved.network.privateSubnetIds ?? resolved.network.publicSubnetIds,
            targetGroupArns: [args.targetGroupArn],
            autoscaling: args.autoscaling,
            tags,
            // New instances read the settings and the archives at boot.
            dependsOn: [args.settings.parameter, ...inputs.published.bootDependencies, access.policy, ...(args.dependsOn ?? [])],
        },
        parent,
        formerPrefix,
    );
    createScaling(prefix, group, args.autoscaling, parent, formerPrefix);
    // Its inputs are the group's name and the template's version (Outputs), so it runs once the group's update has started the refresh.
    const waiter = createRolloutWaiter(
        prefix,
        { autoScalingGroupName: group.name, launchTemplateVersion: launchTemplate.latestVersion, timeoutMinutes: args.autoscaling.rolloutTimeoutMinutes, region },
        parent,
        formerPrefix,
    );
    return { launchTemplate, group, waiter };
}
