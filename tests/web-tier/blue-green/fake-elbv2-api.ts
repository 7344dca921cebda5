import { FakeQueryApi, FakeQueryRequest } from "../../testing/fake-query-api";

/** One target as the fake lists it. */
export interface FakeTarget {
    id: string;
    state: string;
    reason?: string;
    description?: string;
}

/** One recorded request: the form parameters and the Authorization header. */
export type FakeElbRequest = FakeQueryRequest;

/**
 * The Elastic Load Balancing v2 Query API (form-encoded POST, XML answers,
 * API version 2015-12-01) on loopback, for DescribeTargetHealth only. Each
 * call for a target group takes the next scripted answer of that group (the
 * last one repeats); an answer may be a Query error code (answered 400, as
 * AWS does for throttling and for an unknown target group).
 */
export class FakeElbv2Api extends FakeQueryApi {
    answers: Record<string, (FakeTarget[] | { errorCode: string })[]> = {};

    /** DescribeTargetHealth calls received for one target group. */
    callsFor(arn: string): FakeElbRequest[] {
        return this.requests.filter((r) => r.params.Action === "DescribeTargetHealth" && r.params.TargetGroupArn === arn);
    }

    protected answer(params: Record<string, string>): [number, string] {
        if (params.Action !== "DescribeTargetHealth") return [400, error("InvalidAction", params.Action)];
        const queue = this.answers[params.TargetGroupArn];
        if (!queue) return [400, error("TargetGroupNotFound", "One or more target groups not found")];
        const next = queue.length > 1 ? queue.shift()! : queue[0];
        if ("errorCode" in next) return [400, error(next.errorCode, "Rate exceeded")];
        const members = next
            .map(
                (t) =>
                    `<member><HealthCheckPort>80</HealthCheckPort><Target><Id>${t.id}</Id><Port>80</Port></Target><TargetHealth><State>${t.state}</State>` +
                    (t.reason ? `<Reason>${t.reason}</Reason>` : "") +
                    (t.description ? `<Description>${t.description}</Description>` : "") +
                    "</TargetHealth></member>",
            )
            .join("");
        return [
            200,
            `<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult>` +
                `<TargetHealthDescriptions>${members}</TargetHealthDescriptions></DescribeTargetHealthResult>` +
                "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeTargetHealthResponse>",
        ];
    }
}

function error(code: string, message: string): string {
    return `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`;
}
