import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy } from "../../internal/iam";

/** The tag that marks a data volume for its database's snapshot policy. */
export const SNAPSHOT_TAG_KEY = "webstack:database-snapshots";

/**
 * A Data Lifecycle Manager policy that snapshots the data volume every day
 * and deletes each snapshot after `retentionDays` (age-based retention).
 * DLM finds the volume by its tag, so the policy survives volume changes.
 * With a `kmsKeyArn`, each snapshot is encrypted with the volume's key
 * (EBS user guide, "Amazon EBS encryption": snapshots of an encrypted
 * volume are encrypted with its key); the role needs KMS permissions only
 * for cross-Region or cross-account copies, which this policy does not make.
 */
export function createSnapshotPolicy(
    name: string,
    target: { key: string; value: string },
    retentionDays: number,
    partition: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.dlm.LifecyclePolicy {
    const role = new aws.iam.Role(
        `${name}-snapshot-role`,
        {
            description: `Data Lifecycle Manager for database ${name}`,
            assumeRolePolicy: serviceTrustPolicy("dlm.amazonaws.com"),
            tags,
        },
        { parent },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-snapshot-role-policy`,
        // The AWS managed policy DLM documents for EBS snapshot policies.
        { role: role.name, policyArn: awsManagedPolicyArn(partition, "service-role/AWSDataLifecycleManagerServiceRole") },
        { parent },
    );
    return new aws.dlm.LifecyclePolicy(
        `${name}-snapshots`,
        {
            // DLM accepts only letters, digits, spaces, "_" and "-" in a
            // description (CreateLifecyclePolicy API reference, Description).
            description: `Daily snapshots of database ${name}`.replace(/[^0-9A-Za-z _-]/g, "-"),
            executionRoleArn: role.arn,
            state: "ENABLED",
            policyDetails: {
                resourceTypes: ["VOLUME"],
                targetTags: { [target.key]: target.value },
                schedules: [
                    {
                        name: "daily",
                        // `times` takes one HH:MM (UTC); DLM starts within an hour of it.
                        createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" },
                        retainRule: { interval: retentionDays, intervalUnit: "DAYS" },
                        copyTags: true,
                        tagsToAdd: { "webstack:snapshot": "daily" },
                    },
                ],
            },
            tags,
        },
        { parent, dependsOn: [attachment] },
    );
}
