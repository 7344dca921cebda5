import { FakeQueryApi, FakeQueryRequest } from "../../testing/fake-query-api";

/** One scripted refresh as the Query API lists it. */
export interface FakeRefresh {
    id: string;
    status: string;
    startTime: Date;
    percentageComplete?: number;
    instancesToUpdate?: number;
    statusReason?: string;
    desiredVersion?: string;
}

/** One recorded request: the form parameters and the Authorization header. */
export type FakeRequest = FakeQueryRequest;

/**
 * The Auto Scaling Query API (form-encoded POST, XML answers, API version
 * 2011-01-01) on loopback, for DescribeInstanceRefreshes and
 * DescribeAutoScalingGroups only. Each DescribeInstanceRefreshes call takes
 * the next scripted answer (the last one repeats); an answer may be a Query
 * error code (answered 400, as AWS does for throttling).
 */
export class FakeAutoScalingApi extends FakeQueryApi {
    refreshAnswers: (FakeRefresh[] | { errorCode: string })[] = [];
    groupVersion = "1";

    /** DescribeInstanceRefreshes calls received. */
    refreshCalls(): FakeRequest[] {
        return this.requests.filter((r) => r.params.Action === "DescribeInstanceRefreshes");
    }

    protected answer(params: Record<string, string>): [number, string] {
        const ns = 'xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"';
        const meta = "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>";
        if (params.Action === "DescribeAutoScalingGroups") {
            const name = params["AutoScalingGroupNames.member.1"];
            return [
                200,
                `<DescribeAutoScalingGroupsResponse ${ns}><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>` +
                    `<AutoScalingGroupName>${name}</AutoScalingGroupName><LaunchTemplate><LaunchTemplateId>lt-0abc</LaunchTemplateId><Version>${this.groupVersion}</Version></LaunchTemplate>` +
                    `<MinSize>2</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><HealthCheckType>ELB</HealthCheckType>` +
                    `<CreatedTime>2026-01-01T00:00:00Z</CreatedTime></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>${meta}</DescribeAutoScalingGroupsResponse>`,
            ];
        }
        if (params.Action !== "DescribeInstanceRefreshes") return [400, error("InvalidAction", params.Action)];
        const next = this.refreshAnswers.length > 1 ? this.refreshAnswers.shift()! : this.refreshAnswers[0] ?? [];
        if ("errorCode" in next) return [400, error(next.errorCode, "Rate exceeded")];
        const ids = Object.entries(params).filter(([key]) => key.startsWith("InstanceRefreshIds.member.")).map(([, value]) => value);
        const listed = ids.length ? next.filter((r) => ids.includes(r.id)) : next;
        const members = listed
            .map(
                (r) =>
                    `<member><InstanceRefreshId>${r.id}</InstanceRefreshId><AutoScalingGroupName>${params.AutoScalingGroupName}</AutoScalingGroupName>` +
                    `<Status>${r.status}</Status><StartTime>${r.startTime.toISOString()}</StartTime>` +
                    `<PercentageComplete>${r.percentageComplete ?? 0}</PercentageComplete><InstancesToUpdate>${r.instancesToUpdate ?? 0}</InstancesToUpdate>` +
                    (r.statusReason ? `<StatusReason>${r.statusReason}</StatusReason>` : "") +
                    (r.desiredVersion ? `<DesiredConfiguration><LaunchTemplate><LaunchTemplateId>lt-0abc</LaunchTemplateId><Version>${r.desiredVersion}</Version></LaunchTemplate></DesiredConfiguration>` : "") +
                    "</member>",
            )
            .join("");
        return [
            200,
            `<DescribeInstanceRefreshesResponse ${ns}><DescribeInstanceRefreshesResult><InstanceRefreshes>${members}</InstanceRefreshes></DescribeInstanceRefreshesResult>${meta}</DescribeInstanceRefreshesResponse>`,
        ];
    }
}

function error(code: string, message: string): string {
    return `<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`;
}
