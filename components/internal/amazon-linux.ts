import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What every EC2 instance webstack starts has in common (WebTier's app
 * server, ManagedDatabase's ec2 mode): an Amazon Linux 2023 image for its
 * CPU architecture, and instance metadata behind IMDSv2.
 */

/** The CPU architectures Amazon Linux 2023 publishes images for. */
export const architectures = ["arm64", "x86_64"] as const;
export type Architecture = (typeof architectures)[number];

/**
 * The public SSM parameter that always names the newest Amazon Linux 2023
 * AMI for an architecture (AL2023 User Guide, "Launching AL2023 using the
 * SSM parameter").
 */
export function al2023AmiParameter(architecture: Architecture): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

/**
 * The newest AL2023 AMI id, read at deploy time. Callers set
 * `ignoreChanges: ["ami"]`: the parameter moves every few weeks, and
 * following it would replace the instance on an unrelated `pulumi up`.
 */
export function latestAl2023Ami(architecture: Architecture, parent: pulumi.Resource): pulumi.Output<string> {
    return aws.ssm.getParameterOutput({ name: al2023AmiParameter(architecture) }, { parent }).value;
}

/**
 * IMDSv2 only (`httpTokens: "required"`), hop limit 1 so a request
 * forwarded by anything on the instance (a proxy, a container) cannot reach
 * the metadata service, and no instance tags in the metadata.
 */
export const imdsV2Only = {
    httpTokens: "required",
    httpEndpoint: "enabled",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;
