import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy } from "../../internal/iam";
import { ResolvedManagedDatabaseArgs } from "../args";
import { allowClient } from "../security-group";
import { bundleArchive } from "./bundle";

/**
 * nodejs22.x, not nodejs20.x: Lambda deprecated Node.js 20 on 2026-04-30 and
 * blocks creating functions on it from 2026-08-31 (AWS Lambda Developer
 * Guide, "Building Lambda functions with Node.js", supported runtimes).
 */
export const DATABASE_USERS_RUNTIME = aws.lambda.Runtime.NodeJS22dX;

/**
 * Node.js 20+ Lambda runtimes no longer load the Amazon CA certificates
 * (RDS's among them) unless NODE_EXTRA_CA_CERTS points at the runtime's
 * bundle (AWS Lambda Developer Guide, "Building Lambda functions with
 * Node.js", CA certificate loading); with it, the function verifies the RDS
 * server certificate and name instead of trusting any certificate.
 */
export const RUNTIME_CA_BUNDLE = "/var/runtime/ca-cert.pem";

/** What the database-users function is invoked with: ARNs and names, never a secret (it is kept in state). */
export interface DatabaseUsersEvent {
    engine: string;
    host: string;
    port: number;
    database: string;
    username: string;
    masterSecretArn: string;
    appSecretArn: string;
}

export interface DatabaseUsersInputs {
    instance: aws.rds.Instance;
    /** RDS's managed master secret. */
    masterSecretArn: pulumi.Output<string>;
    /** The KMS key of the master secret, when known (RDS reports it with the secret). */
    masterSecretKmsKeyId: pulumi.Output<string | undefined>;
    databaseSecurityGroupId: pulumi.Input<string>;
}

export interface DatabaseUsers {
    appSecret: aws.secretsmanager.Secret;
    fn: aws.lambda.Function;
    invocation: aws.lambda.Invocation;
    /** The app secret's ARN, known only once the invocation has filled it and created the user. */
    appSecretArnWhenReady: pulumi.Output<string>;
}

/**
 * rds mode's application user (issue 10, finding 6): a secret with no value
 * (Pulumi never holds the password), and a small function in the private
 * subnets that fills it and creates the user, invoked at deploy time.
 *
 * Second `pulumi up`: nothing changes; the invocation runs again only when
 * a trigger changes (instance replaced, user name, secret, function code),
 * and then re-applies the grants only. Instance replaced: the new instance
 * has no app user; the trigger re-runs the function, which finds the secret
 * filled and creates the user with that password. Failure halfway: the
 * handler writes the secret before it creates the user, so the next run
 * converges (see handler.js).
 */
export function createDatabaseUsers(
    name: string,
    args: ResolvedManagedDatabaseArgs,
    inputs: DatabaseUsersInputs,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): DatabaseUsers {
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const region = aws.getRegionOutput({}, { parent }).region;
    // No SecretVersion: the function writes the only value (PutSecretValue).
    const appSecret = new aws.secretsmanager.Secret(
        `${name}-app-secret`,
        {
            description: `Database ${name}: password of the application user ${args.appUsername} (written by the database-users function, never by Pulumi)`,
            // Production keeps Secrets Manager's default 30-day recovery
            // window; a development stage deletes at once so it can be
            // recreated under the same stack.
            recoveryWindowInDays: args.production ? 30 : 0,
            // The stage key in production (like the master secret); AWS managed otherwise.
            kmsKeyId: args.kmsKeyArn,
            tags,
        },
        { parent, protect: args.production },
    );

    const role = new aws.iam.Role(
        `${name}-users-role`,
        { description: `Database-users function of database ${name}`, assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"), tags },
        { parent },
    );
    // ENI management in the VPC and the function's own logs (AWS Lambda
    // Developer Guide, "Giving Lambda functions access to resources in an
    // Amazon VPC": AWSLambdaVPCAccessExecutionRole).
    const vpcAccess = new aws.iam.RolePolicyAttachment(
        `${name}-users-vpc-access`,
        { role: role.name, policyArn: awsManagedPolicyArn(partition, "service-role/AWSLambdaVPCAccessExecutionRole") },
        { parent: role },
    );
    const statements: pulumi.Input<aws.types.input.iam.GetPolicyDocumentStatementArgs>[] = [
        { sid: "ReadMasterSecret", actions: ["secretsmanager:GetSecretValue"], resources: [inputs.masterSecretArn] },
        { sid: "WriteAppSecret", actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], resources: [appSecret.arn] },
        // GetRandomPassword has no resource type: "*" is the only resource it
        // takes (Service Authorization Reference, AWS Secrets Manager actions).
        { sid: "GeneratePassword", actions: ["secretsmanager:GetRandomPassword"], resources: ["*"] },
    ];
    const policyJson = inputs.masterSecretKmsKeyId.apply((keyId) => {
        const all = [...statements];
        // RDS encrypts the master secret with its KMS key (aws/secretsmanager
        // unless a customer managed key is set); reading it needs Decrypt on
        // that key, limited to decryption Secrets Manager does for the role
        // (AWS KMS Developer Guide, "kms:ViaService"). The AWS managed key's
        // own policy already allows this; a customer managed key needs it named.
        if (keyId) {
            all.push({
                sid: "DecryptMasterSecretViaSecretsManager",
                actions: ["kms:Decrypt"],
                resources: [keyId],
                conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`secretsmanager.${region}.amazonaws.com`] }],
            });
        }
        // Writing a secret under a customer managed key needs GenerateDataKey
        // as well as Decrypt (Secrets Manager user guide, "Secret encryption
        // and decryption in AWS Secrets Manager").
        if (args.kmsKeyArn !== undefined) {
            all.push({
                sid: "EncryptAppSecretViaSecretsManager",
                actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                resources: [args.kmsKeyArn],
                conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`secretsmanager.${region}.amazonaws.com`] }],
            });
        }
        return aws.iam.getPolicyDocumentOutput({ statements: all }, { parent }).json;
    });
    const access = new aws.iam.RolePolicy(`${name}-users-access`, { role: role.name, policy: policyJson }, { parent: role });

    // The function's own group: out to the database port and to HTTPS
    // (Secrets Manager, through NAT or the VPC interface endpoint); nothing in.
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-users-sg`,
        { vpcId: args.vpcId, description: `Database-users function of ${name}: out to the database and Secrets Manager only`, tags: { ...tags, Name: `${name}-users-sg` } },
        { parent },
    );
    const toDatabase = new aws.vpc.SecurityGroupEgressRule(
        `${name}-users-to-db`,
        { securityGroupId: securityGroup.id, referencedSecurityGroupId: inputs.databaseSecurityGroupId, ipProtocol: "tcp", fromPort: args.port, toPort: args.port, description: "the database", tags },
        { parent },
    );
    const toHttps = new aws.vpc.SecurityGroupEgressRule(
        `${name}-users-https-out`,
        { securityGroupId: securityGroup.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "Secrets Manager", tags },
        { parent },
    );
    const intoDatabase = allowClient(`${name}-from-users`, inputs.databaseSecurityGroupId, securityGroup.id, args.port, tags, parent);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-users-logs`, { retentionInDays: args.logRetentionDays, tags }, { parent });
    const fn = new aws.lambda.Function(
        `${name}-users`,
        {
            description: `Creates the application user of database ${name} and keeps its grants`,
            runtime: DATABASE_USERS_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            code: bundleArchive(args.engine),
            role: role.arn,
            timeout: 60,
            memorySize: 256,
            vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
            environment: { variables: { NODE_EXTRA_CA_CERTS: RUNTIME_CA_BUNDLE } },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags,
        },
        { parent, dependsOn: [vpcAccess, access] },
    );

    const event: pulumi.Output<DatabaseUsersEvent> = pulumi.all([inputs.instance.address, inputs.instance.port, inputs.masterSecretArn, appSecret.arn]).apply(
        ([host, port, masterSecretArn, appSecretArn]) => ({
            engine: args.engine,
            host,
            port,
            database: args.databaseName,
            username: args.appUsername,
            masterSecretArn,
            appSecretArn,
        }),
    );
    const invocation = new aws.lambda.Invocation(
        `${name}-users-run`,
        {
            functionName: fn.name,
            input: event.apply((value) => JSON.stringify(value)),
            // CREATE_ONLY (the default) invokes on creation and replacement;
            // a change of a trigger replaces the invocation, so it runs again
            // (aws.lambda.Invocation docs).
            triggers: {
                instance: inputs.instance.resourceId,
                username: args.appUsername,
                appSecret: appSecret.arn,
                masterSecret: inputs.masterSecretArn,
                code: fn.codeSha256,
            },
        },
        { parent, dependsOn: [inputs.instance, intoDatabase, toDatabase, toHttps, ...args.instanceDependsOn] },
    );
    return {
        appSecret,
        fn,
        invocation,
        appSecretArnWhenReady: pulumi.all([appSecret.arn, invocation.result]).apply(([arn]) => arn),
    };
}
