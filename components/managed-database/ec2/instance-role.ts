import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../../internal/iam";
import { sessionManagerStatements } from "../../internal/session-manager-policy";

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
 * no SSH key; components/internal/session-manager-policy.ts, in place of
 * AmazonSSMManagedInstanceCore, which reads every parameter of the region)
 * and the one secret that holds the password. It reads nothing else. The instance may
 * write that secret, so it can store the password it generates at first
 * boot, and no other.
 */
export function createInstanceRole(
    name: string,
    secretArn: pulumi.Input<string>,
    partition: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
    kmsKeyArn?: pulumi.Input<string>,
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
    // No association runs on the database instance: Session Manager and Run Command only.
    const region = aws.getRegionOutput({}, { parent }).region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const sessionManager = new aws.iam.RolePolicy(
        `${name}-session-manager`,
        { role: role.name, policy: aws.iam.getPolicyDocumentOutput({ statements: sessionManagerStatements({ partition, region, accountId }) }, { parent }).json },
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
                    ...secretKeyStatements(kmsKeyArn, region),
                ],
            }),
        },
        { parent },
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags }, { parent });
    return { profile, policies: [passwordAccess, sessionManager] };
}

/**
 * With a customer managed key, reading the secret needs kms:Decrypt and
 * writing it kms:GenerateDataKey on that key (Secrets Manager user guide,
 * "Secret encryption and decryption", permissions for the KMS key; the AWS
 * managed aws/secretsmanager key grants them itself). Only through Secrets
 * Manager in this region (`kms:ViaService`, AWS KMS developer guide).
 */
export function secretKeyStatements(kmsKeyArn: pulumi.Input<string> | undefined, region: pulumi.Input<string>): object[] {
    if (kmsKeyArn === undefined) return [];
    return [
        {
            Sid: "DatabasePasswordKeyViaSecretsManager",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
        },
    ];
}
