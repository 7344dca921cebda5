import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../args";
import { renderUserData } from "../host/user-data";
import { ModeInputs, ModeOutputs } from "../mode";
import { createFleet } from "./fleet";
import { createLaunchTemplate } from "./launch-template";
import { createLoadBalancer } from "./load-balancer";
import { createRolloutWaiter } from "./rollout";
import { createScaling } from "./scaling";

/**
 * Mode `autoscaling`: the instance payload on a fleet. The ALB (and its
 * security groups, logs, listeners, WAF) in the public subnets; a launch
 * template whose user data names the release, so that every release or
 * setting is a new version; an Auto Scaling group pinned to that version
 * whose instance refresh replaces the instances (launch before terminate,
 * ELB health gate, automatic rollback); CPU and scheduled scaling; and a
 * waiter that ends `pulumi up` only when the refresh has finished.
 */
export function createAutoscalingMode(name: string, resolved: ResolvedWebTierArgs, inputs: ModeInputs, parent: pulumi.Resource): ModeOutputs {
    const { published, access, region, tags } = inputs;
    const lb = createLoadBalancer(
        name,
        {
            vpcId: resolved.network.vpcId,
            publicSubnetIds: resolved.network.publicSubnetIds,
            settings: resolved.loadBalancer,
            domain: resolved.domain,
            behindCloudFront: resolved.network.behindCloudFront,
            sshAllowedCidrs: resolved.ssh.allowedCidrs,
            accessLogs: resolved.accessLogs,
            versioning: resolved.versioning,
            region,
            tags,
        },
        parent,
    );
    // Private subnets when the stage gives them (they have NAT); else public ones with a public address each.
    const inPrivateSubnets = resolved.network.privateSubnetIds !== undefined;
    const userData = pulumi
        .all([region, published.current.parameter.version])
        .apply(([r, settingsVersion]) => renderUserData({ name, nodeVersion: resolved.app.nodeVersion, settingsParameter: published.settingsParameterName, region: r, settingsVersion }));
    const launchTemplate = createLaunchTemplate(
        name,
        {
            instance: resolved.instance,
            keyName: resolved.ssh.keyName,
            securityGroupIds: pulumi.output(resolved.network.securityGroupIds ?? []).apply((extra) => [lb.appSecurityGroup.id, ...extra]),
            instanceProfileArn: access.profile.arn,
            kmsKeyId: resolved.kmsKeyArn,
            userData,
            publicIp: !inPrivateSubnets,
            tags,
        },
        parent,
    );
    const group = createFleet(
        name,
        {
            launchTemplate,
            subnetIds: resolved.network.privateSubnetIds ?? resolved.network.publicSubnetIds,
            targetGroupArns: [lb.targetGroup.arn],
            autoscaling: resolved.autoscaling,
            tags,
            // New instances read the settings and the archives at boot.
            dependsOn: [...published.bootDependencies, access.policy],
        },
        parent,
    );
    createScaling(name, group, resolved.autoscaling, parent);
    // Its inputs are the group's name and the template's version (Outputs), so it runs once the group's update has started the refresh.
    createRolloutWaiter(name, { autoScalingGroupName: group.name, launchTemplateVersion: launchTemplate.latestVersion, timeoutMinutes: resolved.autoscaling.rolloutTimeoutMinutes, region }, parent);
    return {
        url: lb.url,
        apiOrigin: lb.apiOrigin,
        securityGroupId: lb.appSecurityGroup.id,
        autoScalingGroupName: group.name,
        loadBalancerDnsName: lb.loadBalancer.dnsName,
    };
}
