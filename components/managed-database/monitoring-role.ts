import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy } from "../internal/iam";

/**
 * The role RDS Enhanced Monitoring publishes OS metrics to CloudWatch Logs
 * with: trusted by monitoring.rds.amazonaws.com, with the AWS managed policy
 * AmazonRDSEnhancedMonitoringRole (RDS User Guide, "Setting up and enabling
 * Enhanced Monitoring"). Security checklist rule 40 (CKV_AWS_118, RDS.6).
 */
export function createMonitoringRole(name: string, tags: Record<string, string>, parent: pulumi.Resource): aws.iam.Role {
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const role = new aws.iam.Role(
        `${name}-monitoring-role`,
        { description: `RDS Enhanced Monitoring of database ${name}`, assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com"), tags },
        { parent },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-monitoring-policy`,
        { role: role.name, policyArn: awsManagedPolicyArn(partition, "service-role/AmazonRDSEnhancedMonitoringRole") },
        { parent: role },
    );
    return role;
}
