import type { DescribeTargetHealthCommand, DescribeTargetHealthCommandOutput, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { TargetHealthClient } from "../../../components/web-tier/autoscaling/blue-green/health-gate/wait-for-healthy-targets";

/** One scripted DescribeTargetHealth answer: the targets the load balancer lists, or an error it throws. */
export type ScriptedHealth = TargetHealthDescription[] | Error;

/**
 * A DescribeTargetHealth client that answers each target group from its own
 * queue, in order, and records every request. It throws (failing the wait
 * under test) when a queue runs dry or an unknown group is asked for, so a
 * test also proves how many polls were made.
 */
export class ScriptedTargetHealthClient implements TargetHealthClient {
    readonly requests: DescribeTargetHealthCommand["input"][] = [];
    constructor(private readonly answers: Record<string, ScriptedHealth[]>) {}

    async send(command: DescribeTargetHealthCommand): Promise<DescribeTargetHealthCommandOutput> {
        this.requests.push(command.input);
        const arn = command.input.TargetGroupArn ?? "";
        const queue = this.answers[arn];
        if (!queue) throw new Error(`unexpected target group ${arn}`);
        const answer = queue.shift();
        if (answer === undefined) throw new Error(`script for ${arn} exhausted`);
        if (answer instanceof Error) throw answer;
        return { TargetHealthDescriptions: answer, $metadata: {} };
    }

    /** Requests made for one target group. */
    callsFor(arn: string): number {
        return this.requests.filter((r) => r.TargetGroupArn === arn).length;
    }
}

/** A target as DescribeTargetHealth lists it. */
export function target(id: string, state: string, reason?: string, description?: string): TargetHealthDescription {
    return {
        Target: { Id: id, Port: 80 },
        HealthCheckPort: "80",
        TargetHealth: { State: state as NonNullable<TargetHealthDescription["TargetHealth"]>["State"], ...(reason ? { Reason: reason as never } : {}), ...(description ? { Description: description } : {}) },
    };
}

export const BLUE_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef";
export const GREEN_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/fedcba9876543210";
