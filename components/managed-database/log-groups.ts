import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * rds mode: the CloudWatch log groups of the exported logs, created before
 * the instance. RDS writes each exported log to
 * `/aws/rds/instance/<identifier>/<log type>` and creates that group itself,
 * with no retention (events kept forever), if it does not exist yet (RDS
 * User Guide, "Publishing database logs to Amazon CloudWatch Logs"). Owning
 * the groups gives them a retention, tags, and a place in the plan.
 */
export function createRdsLogGroups(
    name: string,
    identifier: string,
    logTypes: string[],
    retentionDays: number,
    production: boolean,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.cloudwatch.LogGroup[] {
    return logTypes.map(
        (logType) =>
            new aws.cloudwatch.LogGroup(
                `${name}-log-${logType}`,
                { name: `/aws/rds/instance/${identifier}/${logType}`, retentionInDays: retentionDays, tags },
                // In production the instance outlives `pulumi destroy`
                // (retainOnDelete); its logs must too, or RDS would recreate
                // the groups without a retention.
                { parent, retainOnDelete: production },
            ),
    );
}
