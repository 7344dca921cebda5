import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../../internal/iam";
import { sessionManagerStatements, ssmDefaultKeyArn } from "../../internal/session-manager-policy";

export interface InstanceRoleArgs {
    /** The bucket holding the releases. */
    bucketName: pulumi.Input<string>;
    /** The key prefix this web tier's archives live under ("" or "<name>/"). */
    keyPrefix: string;
    /** SSM parameter names the instance reads: its release settings and the app's secrets. */
    parameterNames: pulumi.Input<string>[];
    /** Customer managed keys of the parameters, besides alias/aws/ssm's key (app.secretsKeyArns). */
    decryptKeyArns: pulumi.Input<string>[];
    /** Secrets Manager secrets the app may read. */
    secretsManagerArns: pulumi.Input<string>[];
    /**
     * The web tier's customer managed key (WebTier `kmsKeyArn`): it encrypts
     * the release bucket, the SecureString settings and, in a stage, the
     * database's secret. Undefined: AWS managed keys only.
     */
    kmsKeyArn?: pulumi.Input<string>;
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
 * The instance's identity: what the SSM agent needs for Session Manager and
 * this web tier's deploy association (components/internal/session-manager-policy.ts,
 * in place of AmazonSSMManagedInstanceCore, which reads every parameter of
 * the region), plus reads of exactly this web tier's archives, parameters,
 * secrets and the key that encrypts its SecureStrings, and nothing else.
 */
export function createInstanceRole(name: string, args: InstanceRoleArgs, parent: pulumi.Resource): InstanceRole {
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const role = new aws.iam.Role(
        `${name}-role`,
        { description: `EC2 instance role of web tier ${name}`, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"), tags: args.tags },
        { parent },
    );
    const region = args.region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const statements: pulumi.Input<aws.types.input.iam.GetPolicyDocumentStatementArgs>[] = [
        // The deploy document is auto-named `${name}-deploy-<random>` (deploy-document.ts).
        ...sessionManagerStatements({ partition, region, accountId, associationDocumentPrefixes: [`${name}-deploy-`] }),
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
    // The release settings (a SecureString as soon as one environment value
    // is a secret, which can change on any update) and the app's secrets are
    // encrypted with the AWS managed key alias/aws/ssm. Its key policy already
    // lets the account's principals use it through SSM; the grant is named
    // anyway, on that one key, and the condition limits it to decryption SSM
    // performs on the instance's behalf (AWS KMS developer guide, "kms:ViaService").
    // Secrets under a customer managed key need that key named: app.secretsKeyArns.
    statements.push({
        sid: "DecryptParametersViaSsm",
        actions: ["kms:Decrypt"],
        resources: [ssmDefaultKeyArn(parent), ...args.decryptKeyArns, ...(args.kmsKeyArn === undefined ? [] : [args.kmsKeyArn])],
        conditions: [viaService("ssm", region)],
    });
    if (args.secretsManagerArns.length > 0) {
        statements.push({ sid: "ReadAppSecrets", actions: ["secretsmanager:GetSecretValue"], resources: args.secretsManagerArns });
    }
    statements.push(...keyStatements(args.kmsKeyArn, args.secretsManagerArns.length > 0, region));
    const document = aws.iam.getPolicyDocumentOutput({ statements }, { parent });
    const policy = new aws.iam.RolePolicy(`${name}-access`, { role: role.name, policy: document.json }, { parent: role });
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: args.tags }, { parent });
    return { role, profile, policy };
}

/** `kms:ViaService` = `<service>.<region>.amazonaws.com`: the key is used only by that service on the caller's behalf (AWS KMS developer guide, "kms:ViaService"). */
function viaService(service: string, region: pulumi.Input<string>): aws.types.input.iam.GetPolicyDocumentStatementConditionArgs {
    return { test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`${service}.${region}.amazonaws.com`] };
}

/**
 * Decryption with the web tier's own key, each through the one service
 * that needs it, never directly:
 * - S3: GetObject of an SSE-KMS object needs kms:Decrypt on its key (S3
 *   user guide, "Using server-side encryption with AWS KMS keys", required
 *   permissions); an S3 Bucket Key does not change that.
 * - Secrets Manager: GetSecretValue of a secret under a customer managed
 *   key needs kms:Decrypt on it (Secrets Manager API reference,
 *   GetSecretValue, "Required permissions").
 * (SSM's SecureStrings are covered by DecryptParametersViaSsm.)
 */
function keyStatements(kmsKeyArn: pulumi.Input<string> | undefined, readsSecrets: boolean, region: pulumi.Input<string>): aws.types.input.iam.GetPolicyDocumentStatementArgs[] {
    if (kmsKeyArn === undefined) return [];
    const statements: aws.types.input.iam.GetPolicyDocumentStatementArgs[] = [
        { sid: "DecryptReleasesViaS3", actions: ["kms:Decrypt"], resources: [kmsKeyArn], conditions: [viaService("s3", region)] },
    ];
    if (readsSecrets) {
        statements.push({ sid: "DecryptAppSecretsViaSecretsManager", actions: ["kms:Decrypt"], resources: [kmsKeyArn], conditions: [viaService("secretsmanager", region)] });
    }
    return statements;
}
