import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy, SSM_INSTANCE_CORE_POLICY } from "../internal/iam";

export interface InstanceRoleArgs {
    /** The bucket holding the releases. */
    bucketName: pulumi.Input<string>;
    /** The key prefix this web tier's archives live under ("" or "<name>/"). */
    keyPrefix: string;
    /** SSM parameter names the instance reads: its release settings and the app's secrets. */
    parameterNames: pulumi.Input<string>[];
    /** Whether any of those parameters is a secret (SecureString), which needs kms:Decrypt through SSM. */
    readsSecureStrings: boolean;
    /** Secrets Manager secrets the app may read. */
    secretsManagerArns: pulumi.Input<string>[];
    /** The stack's region (the web tier looks it up once for the user data, the document and this role). */
    region: pulumi.Input<string>;
    tags: Record<string, string>;
}

export interface InstanceRole {
    role: aws.iam.Role;
    profile: aws.iam.InstanceProfile;
    policy: aws.iam.RolePolicy;
}

/** `arn:...:parameter/name`: the ARN drops the leading "/" of a hierarchical name (SSM API reference, "Parameter ARNs"). */
export function parameterArn(partition: string, region: string, accountId: string, parameterName: string): string {
    return `arn:${partition}:ssm:${region}:${accountId}:parameter/${parameterName.replace(/^\//, "")}`;
}

/**
 * The instance's identity: Session Manager (the AWS managed policy
 * AmazonSSMManagedInstanceCore, which the SSM agent needs to register and
 * run the deploy document) plus an inline policy that reads exactly this
 * web tier's archives and parameters, and nothing else.
 */
export function createInstanceRole(name: string, args: InstanceRoleArgs, parent: pulumi.Resource): InstanceRole {
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const role = new aws.iam.Role(
        `${name}-role`,
        { description: `EC2 instance role of web tier ${name}`, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"), tags: args.tags },
        { parent },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-ssm-core`,
        { role: role.name, policyArn: awsManagedPolicyArn(partition, SSM_INSTANCE_CORE_POLICY) },
        { parent: role },
    );

    const region = args.region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const statements: pulumi.Input<aws.types.input.iam.GetPolicyDocumentStatementArgs>[] = [
        {
            sid: "ReadOwnReleases",
            actions: ["s3:GetObject"],
            resources: [pulumi.interpolate`arn:${partition}:s3:::${args.bucketName}/${args.keyPrefix}*`],
        },
        {
            sid: "ReadOwnParameters",
            actions: ["ssm:GetParameter", "ssm:GetParameters"],
            resources: args.parameterNames.map((parameter) =>
                pulumi.all([partition, region, accountId, parameter]).apply(([p, r, a, n]) => parameterArn(p, r, a, n)),
            ),
        },
    ];
    if (args.readsSecureStrings) {
        // SecureStrings encrypted with a customer managed key need kms:Decrypt;
        // the condition limits it to decryption SSM performs on the
        // instance's behalf (AWS KMS developer guide, "kms:ViaService").
        statements.push({
            sid: "DecryptParametersViaSsm",
            actions: ["kms:Decrypt"],
            resources: ["*"],
            conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`ssm.${region}.amazonaws.com`] }],
        });
    }
    if (args.secretsManagerArns.length > 0) {
        statements.push({ sid: "ReadAppSecrets", actions: ["secretsmanager:GetSecretValue"], resources: args.secretsManagerArns });
    }
    const document = aws.iam.getPolicyDocumentOutput({ statements }, { parent });
    const policy = new aws.iam.RolePolicy(`${name}-access`, { role: role.name, policy: document.json }, { parent: role });
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: args.tags }, { parent });
    return { role, profile, policy };
}
