import * as pulumi from "@pulumi/pulumi";

/** The trust policy that lets one AWS service (e.g. `ec2.amazonaws.com`) assume a role. */
export function serviceTrustPolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

/**
 * The ARN of an AWS managed policy, e.g. `AmazonSSMManagedInstanceCore` or
 * `service-role/AWSDataLifecycleManagerServiceRole`. The partition comes
 * from the provider (`aws`, `aws-cn`, `aws-us-gov`), never hard-coded.
 */
export function awsManagedPolicyArn(partition: pulumi.Input<string>, policyPath: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:iam::aws:policy/${policyPath}`;
}

