import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedManagedDatabaseArgs } from "./args";
import { supportsPerformanceInsights } from "./engines";
import { DatabaseEndpoint } from "./endpoint";
import { createDatabaseUsers } from "./database-users";
import { createRdsLogGroups } from "./log-groups";
import { createMonitoringRole } from "./monitoring-role";
import { finalSnapshotIdentifier } from "./naming";

/**
 * rds mode: a subnet group over the private subnets, a parameter group that
 * refuses unencrypted connections, the log groups of the exported logs, the
 * instance itself (with Enhanced Monitoring and IAM authentication in
 * production), and the application user (database-users/): the endpoint's
 * `passwordSecretArn` is the app user's secret, `masterSecretArn` RDS's.
 */
export function createRdsDatabase(
    name: string,
    args: ResolvedManagedDatabaseArgs,
    securityGroupId: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): DatabaseEndpoint & { instance: aws.rds.Instance; masterSecretArn: pulumi.Output<string> } {
    const subnetGroup = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        { subnetIds: args.subnetIds, description: `Private subnets of database ${name}`, tags },
        { parent },
    );
    const family = args.facts.parameterGroupFamily(args.majorVersion);
    // No `name`: the provider auto-names the group, so a new major version
    // (a new family, which replaces the group) gets a group with a new name,
    // created before the old one is deleted; the instance moves to it in the
    // same modification as the version. A fixed name would force a
    // delete-first replacement of a group the instance still uses.
    const parameterGroup = new aws.rds.ParameterGroup(
        `${name}-params`,
        {
            family,
            description: `Database ${name}: TLS required`,
            parameters: [{ name: args.facts.tlsParameter.name, value: args.facts.tlsParameter.value }],
            tags,
        },
        { parent },
    );
    const logGroups = createRdsLogGroups(name, args.identifier, args.facts.logExports, args.logRetentionDays, args.production, tags, parent);
    const instanceClass = `db.t4g.${args.size}`;
    const monitoringRole = args.monitoringInterval > 0 ? createMonitoringRole(name, tags, parent) : undefined;
    const performanceInsights = supportsPerformanceInsights(args.engine, instanceClass);
    const instance = new aws.rds.Instance(
        `${name}-instance`,
        {
            // Explicit, so the log groups can be named before the instance
            // exists. Changing it replaces the instance: keep it stable.
            identifier: args.identifier,
            engine: args.engine,
            // A major version ("16") is accepted as a prefix when minor
            // upgrades are on (rds.Instance engineVersion docs).
            engineVersion: args.version,
            autoMinorVersionUpgrade: true,
            // Always set, so the plan shows whether a major upgrade may
            // happen; RDS refuses a major version change without it.
            allowMajorVersionUpgrade: args.allowMajorVersionUpgrade,
            instanceClass,
            dbName: args.databaseName,
            username: args.username,
            // RDS generates the password and keeps it in a Secrets Manager
            // secret it rotates; it is never in Pulumi state or config.
            manageMasterUserPassword: true,
            // The secret under the database's key (else aws/secretsmanager).
            masterUserSecretKmsKeyId: args.kmsKeyArn,
            port: args.port,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroupId],
            publiclyAccessible: false,
            parameterGroupName: parameterGroup.name,
            storageType: "gp3",
            allocatedStorage: args.storageGb,
            maxAllocatedStorage: args.maxStorageGb,
            storageEncrypted: true,
            // A key ARN, never an alias: kmsKeyId is ForceNew, and an alias
            // (stored by RDS as the key ARN) would replace the instance on
            // every run (hashicorp/terraform-provider-aws#15390,
            // terraform-aws-modules/terraform-aws-rds#454). Undefined: aws/rds.
            kmsKeyId: args.kmsKeyArn,
            multiAz: args.multiAz,
            backupRetentionPeriod: args.backupRetentionDays,
            copyTagsToSnapshot: true,
            // Keep automated backups after the instance is deleted in production.
            deleteAutomatedBackups: !args.production,
            deletionProtection: args.production,
            skipFinalSnapshot: !args.production,
            finalSnapshotIdentifier: args.production ? finalSnapshotIdentifier(name) : undefined,
            performanceInsightsEnabled: performanceInsights,
            // 7 days is the free retention period.
            performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
            // "Once KMS key is set, it can never be changed" (@pulumi/aws rds.Instance docs).
            performanceInsightsKmsKeyId: performanceInsights ? args.kmsKeyArn : undefined,
            enabledCloudwatchLogsExports: args.facts.logExports,
            // Security checklist rule 40 (CKV_AWS_118, RDS.6): OS metrics
            // every monitoringInterval seconds; RDS needs the role with it.
            monitoringInterval: args.monitoringInterval,
            monitoringRoleArn: monitoringRole?.arn,
            // Security checklist rule 38 (CKV_AWS_161, RDS.10).
            iamDatabaseAuthenticationEnabled: args.iamAuthentication,
            tags,
        },
        {
            parent,
            // RDS must find the log groups already there (see log-groups.ts).
            dependsOn: logGroups,
            protect: args.production,
            retainOnDelete: args.production,
            // The final snapshot name carries the creation time, so it is
            // unique per instance; later runs must not rewrite it.
            ignoreChanges: ["finalSnapshotIdentifier"],
        },
    );
    const masterSecret = instance.masterUserSecrets.apply((secrets) => secrets?.[0]);
    const masterSecretArn = masterSecret.apply((secret) => secret?.secretArn ?? "");
    const users = createDatabaseUsers(
        name,
        args,
        { instance, masterSecretArn, masterSecretKmsKeyId: masterSecret.apply((secret) => secret?.kmsKeyId), databaseSecurityGroupId: securityGroupId },
        tags,
        parent,
    );
    return {
        instance,
        host: instance.address,
        port: instance.port,
        // The app's secret, once the user exists: whatever reads it (the web
        // tier's role and environment) is created after the invocation.
        passwordSecretArn: users.appSecretArnWhenReady,
        masterSecretArn,
    };
}
