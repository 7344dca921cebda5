import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Color, COLORS, TrafficShares } from "./traffic";

/**
 * The serving listener's default action: forward to both colors' target
 * groups, weighted by their shares. A weight-0 group gets no requests but
 * stays named in the listener, so the ALB keeps health-checking it (ELB user
 * guide, "Target groups for your Application Load Balancers": targets of a
 * group that a listener or rule names are checked). Weights may be 0 to 999
 * (ELB API reference, TargetGroupTuple); the shares are percents.
 *
 * Stickiness is off and written out: with it on, a client would stay on
 * one color for the stickiness duration, so a rollback would not reach it.
 */
export function weightedForward(shares: TrafficShares, targetGroupArns: Record<Color, pulumi.Input<string>>): aws.types.input.lb.ListenerDefaultAction {
    return {
        type: "forward",
        forward: {
            targetGroups: COLORS.map((color) => ({ arn: targetGroupArns[color], weight: shares[color] })),
            stickiness: { enabled: false, duration: 1 },
        },
    };
}

/** The preview listener's port: 8443 (HTTPS) with a domain, else 8080 (HTTP). */
export function previewPort(https: boolean): number {
    return https ? 8443 : 8080;
}

/** The header that picks a color on the preview listener (ALB header conditions compare case-insensitively). */
export const COLOR_HEADER = "X-Webstack-Color";

/**
 * The preview listener: a second port on the ALB that answers from the
 * candidate color (the one receiving the new release) whatever the traffic
 * shares, and from one color with `X-Webstack-Color: blue|green`. Its rules
 * name both target groups, so the ALB health-checks both colors from their
 * creation on, before the serving listener sends them anything: the health
 * gate and the groups' ELB capacity wait can see their targets healthy.
 * Same TLS as the serving listener with a domain; only `previewCidrs` may
 * reach its port (alb-security-groups.ts).
 */
export function createPreviewListener(
    name: string,
    args: {
        loadBalancerArn: pulumi.Input<string>;
        port: number;
        certificateArn?: pulumi.Input<string>;
        sslPolicy: string;
        candidate: Color;
        targetGroupArns: Record<Color, pulumi.Input<string>>;
        tags: Record<string, string>;
    },
    parent: pulumi.Resource,
): { listener: aws.lb.Listener; rules: aws.lb.ListenerRule[] } {
    const tls = args.certificateArn !== undefined ? { protocol: "HTTPS", sslPolicy: args.sslPolicy, certificateArn: args.certificateArn } : { protocol: "HTTP" };
    const listener = new aws.lb.Listener(
        `${name}-preview`,
        { loadBalancerArn: args.loadBalancerArn, port: args.port, ...tls, defaultActions: [{ type: "forward", targetGroupArn: args.targetGroupArns[args.candidate] }], tags: args.tags },
        { parent },
    );
    const rules = COLORS.map(
        (color, index) =>
            new aws.lb.ListenerRule(
                `${name}-preview-${color}`,
                {
                    listenerArn: listener.arn,
                    priority: index + 1,
                    conditions: [{ httpHeader: { httpHeaderName: COLOR_HEADER, values: [color] } }],
                    actions: [{ type: "forward", targetGroupArn: args.targetGroupArns[color] }],
                    tags: args.tags,
                },
                { parent },
            ),
    );
    return { listener, rules };
}
