import type { DescribeInstanceRefreshesCommand, DescribeInstanceRefreshesCommandOutput, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import type { InstanceRefreshClient, WaiterClock } from "../../../components/web-tier/autoscaling/rollout/wait-for-refresh";

/** One scripted answer: the refreshes AWS lists, or an error it throws. */
export type ScriptedAnswer = InstanceRefresh[] | Error;

/**
 * A DescribeInstanceRefreshes client that answers from a queue, in order,
 * and records every request. It fails the test when the queue runs dry
 * (the waiter asked more often than the script expects).
 */
export class ScriptedRefreshClient implements InstanceRefreshClient {
    readonly requests: DescribeInstanceRefreshesCommand["input"][] = [];
    constructor(private readonly answers: ScriptedAnswer[]) {}

    async send(command: DescribeInstanceRefreshesCommand): Promise<DescribeInstanceRefreshesCommandOutput> {
        this.requests.push(command.input);
        const answer = this.answers.shift();
        if (answer === undefined) throw new Error(`script exhausted after ${this.requests.length - 1} answers`);
        if (answer instanceof Error) throw answer;
        const ids = command.input.InstanceRefreshIds;
        const listed = ids ? answer.filter((r) => ids.includes(r.InstanceRefreshId ?? "")) : answer;
        return { InstanceRefreshes: listed, $metadata: {} };
    }
}

/** A clock whose sleeps return at once and advance its time. */
export class FakeClock implements WaiterClock {
    readonly sleeps: number[] = [];
    constructor(public time: number) {}
    now(): number {
        return this.time;
    }
    async sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        this.time += ms;
    }
}

/** An SDK-shaped service error (name, HTTP status). */
export function serviceError(name: string, httpStatusCode: number, message = name): Error {
    return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

export const T0 = Date.parse("2026-12-01T01:00:00Z");

/** A refresh record as DescribeInstanceRefreshes returns it. */
export function refresh(id: string, status: string, startOffsetMs: number, extra: Partial<InstanceRefresh> = {}): InstanceRefresh {
    return {
        InstanceRefreshId: id,
        AutoScalingGroupName: "web-asg",
        Status: status as InstanceRefresh["Status"],
        StartTime: new Date(T0 + startOffsetMs),
        PercentageComplete: 0,
        InstancesToUpdate: 2,
        ...extra,
    };
}
