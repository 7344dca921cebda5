import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The prefix every query log group gets. Route 53 publishes query logs only
 * to a log group in us-east-1, in the zone's account, and AWS recommends one
 * prefix for all of them "so you can use the same resource policy for all
 * the log groups that you create for query logging" (Route 53 API
 * reference, CreateQueryLoggingConfig, "Log Group and Resource Policy").
 */
export const QUERY_LOG_GROUP_PREFIX = "/aws/route53/";

/** The only region Route 53 publishes query logs to (CreateQueryLoggingConfig: "You must create the log group in the us-east-1 region"). */
export const QUERY_LOG_REGION = "us-east-1";

export interface QueryLoggingInputs {
    /** The component's name: children are `${name}-query-logs`, `-query-logs-policy`, `-query-log`. */
    name: string;
    zoneId: pulumi.Input<string>;
    /** The zone's name (known when the zone is created), for the log group's name. */
    zoneName: string;
    retentionInDays: number;
    /** Create the account-wide resource policy for `/aws/route53/*`. */
    resourcePolicy: boolean;
    production: boolean;
    tags: Record<string, string>;
    /** A provider for us-east-1. */
    provider: aws.Provider;
    parent: pulumi.Resource;
}

export interface QueryLogging {
    logGroup: aws.cloudwatch.LogGroup;
    queryLog: aws.route53.QueryLog;
}

/** The log group's name: the prefix, the zone, and the component (two components never share one). */
export function queryLogGroupName(zoneName: string, componentName: string): string {
    return `${QUERY_LOG_GROUP_PREFIX}${zoneName}/${componentName}`;
}

/**
 * Query logging for a zone DnsAndTls created: the log group (us-east-1,
 * `/aws/route53/<zone>/<component>`, with a retention), the resource policy
 * that lets Route 53 write there, and the zone's query logging configuration.
 *
 * - The resource policy is account-wide (CloudWatch Logs allows 10 per
 *   region per account, aws_cloudwatch_log_resource_policy docs), so it
 *   covers every `/aws/route53/*` group rather than this one: one policy
 *   serves every zone, and `resourcePolicy: false` reuses one that exists.
 *   Route 53 writes on behalf of a hosted zone of this account only:
 *   aws:SourceAccount and aws:SourceArn, the confused-deputy guard the same
 *   API reference ("To avoid the confused deputy problem ...") offers; the
 *   ARN is `hostedzone/*` because one policy serves every zone's group.
 * - The configuration is created after the policy (Route 53 checks its
 *   permissions when the configuration is made) and is immutable, one per
 *   zone: a change replaces it, deleting the old one first, since a second
 *   configuration for the same zone is refused.
 * - On a second `pulumi up` nothing changes; turning logging off deletes the
 *   configuration, then the policy and the group (kept in production).
 */
export function createQueryLogging(inputs: QueryLoggingInputs): QueryLogging {
    const { name, provider, parent, tags } = inputs;
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-query-logs`,
        { name: queryLogGroupName(inputs.zoneName, name), retentionInDays: inputs.retentionInDays, tags },
        // Query logs are the record of who asked what: they outlive a
        // production stack's `pulumi destroy`, as RDS logs do.
        { parent, provider, retainOnDelete: inputs.production },
    );
    const dependsOn: pulumi.Resource[] = [];
    if (inputs.resourcePolicy) {
        const identity = aws.getCallerIdentityOutput({}, { parent, provider });
        const partition = aws.getPartitionOutput({}, { parent, provider }).partition;
        dependsOn.push(
            new aws.cloudwatch.LogResourcePolicy(
                `${name}-query-logs-policy`,
                {
                    policyName: `${name}-route53-query-logs`,
                    policyDocument: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "Route53QueryLogsToAwsRoute53Groups",
                                Effect: "Allow",
                                Principal: { Service: "route53.amazonaws.com" },
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: pulumi.interpolate`arn:${partition}:logs:${QUERY_LOG_REGION}:${identity.accountId}:log-group:${QUERY_LOG_GROUP_PREFIX}*`,
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": identity.accountId },
                                    ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:route53:::hostedzone/*` },
                                },
                            },
                        ],
                    }),
                },
                { parent, provider },
            ),
        );
    }
    const queryLog = new aws.route53.QueryLog(
        `${name}-query-log`,
        { zoneId: inputs.zoneId, cloudwatchLogGroupArn: logGroup.arn },
        { parent, provider, dependsOn, deleteBeforeReplace: true },
    );
    return { logGroup, queryLog };
}
