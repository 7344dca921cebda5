import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../components/internal/tags";
import { StageConfig } from "./config";

/**
 * The stage's customer managed KMS key, in production stages only: every
 * part encrypts its data with it (components' `kmsKeyArn`: S3 buckets, EBS
 * volumes, RDS storage, Secrets Manager secrets, SecureString settings).
 * Other stages have none and keep AWS managed keys (no $1/month per key,
 * nothing to schedule for deletion when the stage goes away).
 */
export interface StageKey {
    key: aws.kms.Key;
    alias: aws.kms.Alias;
    /** The key ARN (an IAM policy or a ForceNew `kmsKeyId` needs the key ARN, never the alias). */
    arn: pulumi.Output<string>;
}

/** The key's deletion window: the longest KMS allows (7-30 days, KMS API reference, ScheduleKeyDeletion PendingWindowInDays). */
export const STAGE_KEY_DELETION_WINDOW_DAYS = 30;

/**
 * What stands for the key while the parts validate (no resource exists
 * then): a well-formed key ARN, so each component checks its args exactly
 * as it will when deployed. Undefined outside production.
 */
export function placeholderStageKeyArn(config: Pick<StageConfig, "production" | "region">): string | undefined {
    return config.production ? `arn:aws:kms:${config.region}:000000000000:key/00000000-0000-0000-0000-000000000000` : undefined;
}

/**
 * `alias/<app>-<stage>`. Alias names allow letters, digits, "/", "_" and
 * "-" after "alias/", and "alias/aws/" is reserved for AWS managed keys
 * (KMS API reference, CreateAlias AliasName): anything else becomes "-".
 */
export function stageKeyAliasName(app: string, stage: string): string {
    return `alias/${app}-${stage}`.replace(/[^A-Za-z0-9/_-]/g, "-").replace(/^alias\/aws\//, "alias/aws-");
}

/**
 * The production stage's key `${stage}-key` (rotation on, 30-day deletion
 * window, protected) and its alias `${stage}-key-alias`, or undefined when
 * the stage is not production.
 *
 * The key is created without a `policy`: KMS then gives it the default key
 * policy, which lets the account's IAM policies grant its use (the
 * deployer's EBS, RDS, Secrets Manager and SSM calls, and the instance
 * roles' kms:ViaService grants). The policy that also lets CloudFront read
 * the site is attached once the distribution exists
 * ({@link attachStageKeyPolicy}), because the distribution's bucket needs the
 * key first. `aws.kms.Key.policy` is optional and computed, so the key
 * shows no diff when the KeyPolicy resource replaces the default.
 */
export function createStageKey(app: string, config: Pick<StageConfig, "stage" | "production" | "tags">): StageKey | undefined {
    if (!config.production) return undefined;
    const tags = standardTags({ app, stage: config.stage }, "stage-key", config.tags);
    const key = new aws.kms.Key(
        `${config.stage}-key`,
        {
            description: `${app} ${config.stage}: encrypts the stage's S3 buckets, EBS volumes, RDS storage, secrets and SecureString parameters`,
            enableKeyRotation: true,
            deletionWindowInDays: STAGE_KEY_DELETION_WINDOW_DAYS,
            tags,
        },
        // Deleting the key makes every encrypted volume, database and
        // snapshot of the stage unreadable: never by a plain `pulumi up`.
        { protect: true },
    );
    const alias = new aws.kms.Alias(`${config.stage}-key-alias`, { name: stageKeyAliasName(app, config.stage), targetKeyId: key.keyId });
    return { key, alias, arn: key.arn };
}

/** Who the stage key policy names (pure, so its rules are tested without mocks). */
export interface StageKeyPolicyInputs {
    partition: string;
    accountId: string;
    /** ARNs of the CloudFront distributions that read SSE-KMS objects of the stage (its site). */
    distributionArns: string[];
}

/**
 * The stage key's policy:
 * - the account root administers and uses the key, so IAM policies in the
 *   account decide who else may (AWS KMS developer guide, "Default key
 *   policy": without it IAM policies grant nothing on the key, and KMS's
 *   lockout safety check refuses a policy that locks the caller out);
 * - CloudFront may decrypt, only on behalf of the stage's own distributions
 *   (`AWS:SourceArn`), so its OAC can read the SSE-KMS site objects
 *   (CloudFront developer guide, "Restrict access to an Amazon S3 origin",
 *   SSE-KMS key policy statement; reading needs kms:Decrypt only, the
 *   Encrypt/GenerateDataKey of that example are for uploads through
 *   CloudFront, which the site does not take).
 * EBS, RDS, Secrets Manager and SSM need no statement of their own: they use
 * the key with the caller's IAM permissions (and grants they create), which
 * the first statement makes effective.
 */
export function stageKeyPolicy(inputs: StageKeyPolicyInputs): object {
    const statements: object[] = [
        {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${inputs.partition}:iam::${inputs.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (inputs.distributionArns.length > 0) {
        statements.push({
            Sid: "CloudFrontReadsStageSite",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "AWS:SourceArn": inputs.distributionArns } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** `arn:<partition>:cloudfront::<account>:distribution/<id>` (CloudFront is global: no region in the ARN). */
export function distributionArn(partition: string, accountId: string, distributionId: string): string {
    return `arn:${partition}:cloudfront::${accountId}:distribution/${distributionId}`;
}

/**
 * Attaches {@link stageKeyPolicy} to the stage key, named `${stage}-key-policy`,
 * with the distributions (ids) the stage's parts created. Runs after the
 * parts. Until it exists the key has the default policy (root only), so the
 * site answers 403 for a few seconds on the first deploy, never longer.
 */
export function attachStageKeyPolicy(stage: string, stageKey: StageKey, distributionIds: pulumi.Input<string | undefined>[]): aws.kms.KeyPolicy {
    const partition = aws.getPartitionOutput({}).partition;
    const accountId = aws.getCallerIdentityOutput({}).accountId;
    const policy = pulumi.all([partition, accountId, pulumi.all(distributionIds)]).apply(([p, account, ids]) =>
        JSON.stringify(
            stageKeyPolicy({
                partition: p,
                accountId: account,
                distributionArns: ids.filter((id): id is string => typeof id === "string" && id !== "").map((id) => distributionArn(p, account, id)),
            }),
        ),
    );
    return new aws.kms.KeyPolicy(`${stage}-key-policy`, { keyId: stageKey.key.keyId, policy });
}
