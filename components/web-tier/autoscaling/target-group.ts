import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NGINX_HTTP_PORT } from "../host/security-group";
import { ResolvedLoadBalancer } from "./args";

export interface TargetGroupArgs {
    vpcId: pulumi.Input<string>;
    settings: ResolvedLoadBalancer;
    tags: Record<string, string>;
}

/**
 * A fleet's target group: instances on nginx's port 80, health-checked on
 * the app's health path through nginx, so an instance takes traffic only
 * once the release switch has the app up behind nginx. The load balancer
 * checks the targets of every target group a listener or rule names, and
 * only those (ELB user guide, "Target groups for your Application Load
 * Balancers").
 *
 * `opts` carries the parent, and `aliases` when a resource is renamed
 * (the rolling fleet's group becomes blue's).
 */
export function createTargetGroup(logicalName: string, args: TargetGroupArgs, opts: pulumi.CustomResourceOptions): aws.lb.TargetGroup {
    const check = args.settings.healthCheck;
    return new aws.lb.TargetGroup(
        logicalName,
        {
            vpcId: args.vpcId,
            targetType: "instance",
            port: NGINX_HTTP_PORT,
            protocol: "HTTP",
            // Short: in-flight API requests finish in seconds, and AWS's 300 s
            // would add five minutes to every batch of a rolling deploy.
            deregistrationDelay: args.settings.deregistrationDelaySeconds,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path: check.path,
                matcher: "200",
                interval: check.intervalSeconds,
                timeout: check.timeoutSeconds,
                healthyThreshold: check.healthyThreshold,
                unhealthyThreshold: check.unhealthyThreshold,
            },
            tags: args.tags,
        },
        opts,
    );
}
