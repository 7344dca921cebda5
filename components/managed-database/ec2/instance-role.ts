import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy, SSM_INSTANCE_CORE_POLICY } from "../../internal/iam";

export interface InstanceRole {
    profile: aws.iam.InstanceProfile;
    /**
     * What the role may do: the instance is created after these, because its
     * boot script calls Secrets Manager at once (IAM changes may still take
     * a few seconds to apply; the script retries for that).
     */
    policies: pulumi.Resource[];
}

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
): InstanceRole {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: `Database instance ${name}`,
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
            tags,
        },
        { parent },
    );
    const sessionManager = new aws.iam.RolePolicyAttachment(
        `${name}-ssm`,
        { role: role.name, policyArn: awsManagedPolicyArn(partition, SSM_INSTANCE_CORE_POLICY) },
        { parent },
    );
    const passwordAccess = new aws.iam.RolePolicy(
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
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags }, { parent });
    return { profile, policies: [passwordAccess, sessionManager] };
}
