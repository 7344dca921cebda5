import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs } from "../internal/access-logs";

/** The region CloudFront's standard logs (v2) are configured in. */
export const CLOUDFRONT_LOGS_REGION = "us-east-1";

/**
 * CloudFront standard logging v2: the distribution's access logs delivered
 * to the log bucket by CloudWatch Logs vended log delivery, named
 * `${name}-log-source`, `${name}-log-dest` and `${name}-logs`. (Delivery
 * source and destination names hold 60 characters (CloudFormation schema
 * AWS::Logs::DeliverySource Name): a 41-character component name, the
 * suffix and Pulumi's 8-character auto-name suffix fit.)
 *
 * Why v2 and not the distribution's `loggingConfig` (standard logging,
 * legacy): legacy logging writes through bucket ACLs, and "your bucket must
 * have access control list (ACL) enabled" (CloudFront developer guide,
 * "Configure standard logging (legacy)"; since April 2023 new buckets have
 * ACLs off, and CloudFormation fails with "The S3 bucket that you specified
 * for CloudFront logs does not enable ACL access"). Every webstack bucket is
 * BucketOwnerEnforced (checklist rule 2), so legacy logging would need a
 * bucket with ACLs back on. v2 delivers through `delivery.logs.amazonaws.com`
 * granted by the bucket policy (CloudWatch Logs user guide, "Logs sent to
 * Amazon S3" [V2]), which works with ACLs disabled.
 *
 * The three resources live in us-east-1: CloudFront's delivery sources can
 * only be created there (CloudFront developer guide, "Configure standard
 * logging (v2)": with the CloudWatch API "you must specify the US East
 * (N. Virginia) Region"); the bucket may be in another region (S3
 * destinations can even be opt-in regions, same page). Hence the log
 * bucket's policy names `arn:aws:logs:us-east-1:<account>:delivery-source:*`.
 *
 * Keys: `AWSLogs/<account>/CloudFront/` (added by AWS) then
 * `<prefix>cloudfront/${name}/<distribution id>/<yyyy>/<MM>/<dd>/<HH>/`.
 * A distribution may have one delivery source only ("This ResourceId has
 * already been used in another Delivery Source"), and a destination cannot
 * be deleted while a delivery uses it: the source and the delivery are
 * deleted before their replacements are created (a replaced distribution
 * gets a new ARN, so its source is replaced with it).
 */
export function deliverCdnLogs(
    name: string,
    distribution: aws.cloudfront.Distribution,
    logs: Required<AccessLogs>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.cloudwatch.LogDelivery {
    const region = CLOUDFRONT_LOGS_REGION;
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const source = new aws.cloudwatch.LogDeliverySource(
        `${name}-log-source`,
        { region, logType: "ACCESS_LOGS", resourceArn: distribution.arn, tags },
        { parent, deleteBeforeReplace: true },
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
        `${name}-log-dest`,
        {
            region,
            // w3c: the same space-separated fields as legacy standard logs, so existing tools keep reading them.
            outputFormat: "w3c",
            deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`arn:${partition}:s3:::${logs.bucket}` },
            tags,
        },
        { parent },
    );
    return new aws.cloudwatch.LogDelivery(
        `${name}-logs`,
        {
            region,
            deliverySourceName: source.name,
            deliveryDestinationArn: destination.arn,
            s3DeliveryConfigurations: [{ suffixPath: `${logs.prefix}cloudfront/${name}/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}`, enableHiveCompatiblePath: false }],
            tags,
        },
        { parent, deleteBeforeReplace: true },
    );
}
