import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn } from "../../internal/iam";
import { InstanceRole } from "../host/instance-role";

/**
 * AWS managed policies (AWS Managed Policy Reference):
 * - `service-role/AWSElasticBeanstalkEnhancedHealth`: the service role reads the instances' and the load balancer's health;
 * - `AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy`: the service role performs managed platform updates
 *   (the successor of the deprecated AWSElasticBeanstalkService, "Managing Elastic Beanstalk service roles");
 * - `AWSElasticBeanstalkWebTier`: the instances upload logs to S3 and CloudWatch Logs, and report enhanced health.
 */
export const SERVICE_ROLE_POLICIES = ["service-role/AWSElasticBeanstalkEnhancedHealth", "AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy"] as const;
export const INSTANCE_ROLE_POLICIES = ["AWSElasticBeanstalkWebTier"] as const;

/**
 * Beanstalk assumes its service role with the external id "elasticbeanstalk"
 * (Elastic Beanstalk developer guide, "Managing Elastic Beanstalk service
 * roles": the trust policy of aws-elasticbeanstalk-service-role).
 */
export function beanstalkServiceTrustPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "elasticbeanstalk.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "elasticbeanstalk" } },
            },
        ],
    });
}

export interface BeanstalkRolesArgs {
    partition: pulumi.Input<string>;
    /** The web tier's hosts' role (index.ts creates it in every mode); Beanstalk's instances use its profile. */
    access: InstanceRole;
    /** The release bucket and the key prefix of the source bundles, which the version lifecycle deletes. */
    bucketName: pulumi.Input<string>;
    bundlePrefix: string;
    /** `beanstalk.secrets` and ARNs in `app.secrets`: what the instances must read at start besides the `app.secrets` names `access` already covers. */
    secretArns: pulumi.Input<string>[];
    kmsKeyArn?: pulumi.Input<string>;
    region: pulumi.Input<string>;
    tags: Record<string, string>;
}

export interface BeanstalkRoles {
    serviceRole: aws.iam.Role;
    /** Everything that must exist before the environment uses the roles. */
    attachments: pulumi.Resource[];
}

/**
 * The service role, and Beanstalk's additions to the hosts' role. The hosts'
 * role is reused as it is (it already reads this web tier's archives,
 * parameters, secrets and keys, and carries Session Manager); Beanstalk adds
 * AWSElasticBeanstalkWebTier and reads of ARN secrets, which the platform
 * fetches at instance start ("Fetching secrets and parameters to Elastic
 * Beanstalk environment variables": the instance profile needs
 * secretsmanager:GetSecretValue and ssm:GetParameter on them).
 */
export function createBeanstalkRoles(name: string, args: BeanstalkRolesArgs, parent: pulumi.Resource): BeanstalkRoles {
    const serviceRole = new aws.iam.Role(
        `${name}-eb-service`,
        { description: `Elastic Beanstalk service role of web tier ${name}`, assumeRolePolicy: beanstalkServiceTrustPolicy(), tags: args.tags },
        { parent },
    );
    const attachments: pulumi.Resource[] = SERVICE_ROLE_POLICIES.map(
        (policy) => new aws.iam.RolePolicyAttachment(`${name}-eb-service-${shortName(policy)}`, { role: serviceRole.name, policyArn: awsManagedPolicyArn(args.partition, policy) }, { parent: serviceRole }),
    );
    // The version lifecycle deletes old bundles with the service role (Elastic Beanstalk developer guide, "Configuring application version lifecycle settings").
    const bundles = pulumi.interpolate`arn:${args.partition}:s3:::${args.bucketName}/${args.bundlePrefix}*`;
    attachments.push(
        new aws.iam.RolePolicy(
            `${name}-eb-service-bundles`,
            { role: serviceRole.name, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Sid: "DeleteOldBundles", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: [bundles] }] }) },
            { parent: serviceRole },
        ),
    );
    for (const policy of INSTANCE_ROLE_POLICIES) {
        attachments.push(new aws.iam.RolePolicyAttachment(`${name}-eb-instance-${shortName(policy)}`, { role: args.access.role.name, policyArn: awsManagedPolicyArn(args.partition, policy) }, { parent: args.access.role }));
    }
    if (args.secretArns.length > 0) {
        attachments.push(
            new aws.iam.RolePolicy(`${name}-eb-secrets`, { role: args.access.role.name, policy: secretsPolicy(args.secretArns, args.kmsKeyArn, args.region) }, { parent: args.access.role }),
        );
    }
    return { serviceRole, attachments };
}

/** Read exactly these parameters and secrets; decrypt with the web tier's key only through Secrets Manager (SSM's is in the hosts' role already). */
function secretsPolicy(arns: pulumi.Input<string>[], kmsKeyArn: pulumi.Input<string> | undefined, region: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([pulumi.all(arns), kmsKeyArn, region]).apply(([resolved, key, r]) => {
        const parameters = resolved.filter((arn) => arn.includes(":ssm:"));
        const secrets = resolved.filter((arn) => arn.includes(":secretsmanager:"));
        const statements: object[] = [];
        if (parameters.length > 0) statements.push({ Sid: "ReadSecretParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameters });
        if (secrets.length > 0) statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets });
        if (secrets.length > 0 && key) {
            statements.push({ Sid: "DecryptSecretsViaSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [key], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${r}.amazonaws.com` } } });
        }
        return JSON.stringify({ Version: "2012-10-17", Statement: statements });
    });
}

function shortName(policy: string): string {
    return policy.replace(/^.*\//, "").replace(/^AWSElasticBeanstalk/, "").replace(/CustomerRolePolicy$/, "").toLowerCase();
}
