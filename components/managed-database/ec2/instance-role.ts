import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy, SSM_INSTANCE_CORE_POLICY } from "../../internal/iam";

/**
 * The database instance's role: Session Manager (the only way in, there is
 * no SSH key) and the one secret that holds the password. The instance may
 * write that secret, so it can store the password it generates at first
 * boot, and no other.
 */
export function createInstanceRole(
    name: string,
    secretArn: pulumi.Input<string>,
    partition: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.iam.InstanceProfile {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: `Database instance ${name}`,
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
            tags,
        },
        { parent },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-ssm`,
        { role: role.name, policyArn: awsManagedPolicyArn(partition, SSM_INSTANCE_CORE_POLICY) },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-password-access`,
        {
            role: role.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DatabasePassword",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret"],
                        Resource: secretArn,
                    },
                ],
            }),
        },
        { parent },
    );
    return new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags }, { parent });
}
