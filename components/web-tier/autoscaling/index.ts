import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../args";
import { ModeInputs, ModeOutputs } from "../mode";
import { createBlueGreenFleets } from "./blue-green";
import { previewPort } from "./blue-green/listener-traffic";
import { createFleetStack } from "./fleet-stack";
import { createListeners, createLoadBalancer, LoadBalancer } from "./load-balancer";
import { createTargetGroup } from "./target-group";

/**
 * Mode `autoscaling`: the instance payload on a fleet. The ALB (and its
 * security groups, logs, listeners, WAF) in the public subnets, and behind
 * it either
 * - `rolling`: one fleet (fleet-stack.ts) whose instance refresh replaces
 *   the instances for every release (launch before terminate, ELB health
 *   gate, automatic rollback), or
 * - `blue-green`: two fleets and a listener that splits the traffic between
 *   them once a health gate has passed (blue-green/).
 */
export function createAutoscalingMode(name: string, resolved: ResolvedWebTierArgs, inputs: ModeInputs, parent: pulumi.Resource): ModeOutputs {
    const blueGreen = resolved.deploy.blueGreen;
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
            region: inputs.region,
            ...(blueGreen ? { preview: { port: previewPort(resolved.domain !== undefined), cidrs: blueGreen.previewCidrs } } : {}),
            tags: inputs.tags,
        },
        parent,
    );
    const securityGroupIds = pulumi.output(resolved.network.securityGroupIds ?? []).apply((extra) => [lb.appSecurityGroup.id, ...extra]);
    const common = { url: lb.url, apiOrigin: lb.apiOrigin, securityGroupId: lb.appSecurityGroup.id, loadBalancerDnsName: lb.loadBalancer.dnsName };
    if (blueGreen) {
        const fleets = createBlueGreenFleets(name, resolved, blueGreen, inputs, { lb, securityGroupIds }, parent);
        return { ...common, blueGreen: fleets.summary };
    }
    const group = createRollingFleet(name, resolved, inputs, lb, securityGroupIds, parent);
    return { ...common, autoScalingGroupName: group };
}

function createRollingFleet(
    name: string,
    resolved: ResolvedWebTierArgs,
    inputs: ModeInputs,
    lb: LoadBalancer,
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const targetGroup = createTargetGroup(`${name}-tg`, { vpcId: resolved.network.vpcId, settings: resolved.loadBalancer, tags: inputs.tags }, { parent });
    createListeners(name, lb, { type: "forward", targetGroupArn: targetGroup.arn }, inputs.tags, parent);
    const { published } = inputs;
    const fleet = createFleetStack(
        name,
        resolved,
        inputs,
        { settingsParameterName: published.settingsParameterName, settings: published.current, securityGroupIds, targetGroupArn: targetGroup.arn, autoscaling: resolved.autoscaling },
        parent,
    );
    return fleet.group.name;
}
