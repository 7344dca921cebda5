import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkComponentName } from "../internal/component-name";
import { defaultTagContext } from "../internal/context";
import { invalid } from "../internal/errors";
import { standardTags } from "../internal/tags";
import { databaseEnvironment, DatabaseEnvironment } from "./app-environment";
import { DatabaseMode, ManagedDatabaseArgs, resolveManagedDatabaseArgs, ResolvedManagedDatabaseArgs } from "./args";
import { createEc2Database } from "./ec2";
import { Engine } from "./engines";
import { createRdsDatabase } from "./rds";
import { allowClient, allowHttpsOut, createDatabaseSecurityGroup } from "./security-group";

/**
 * A PostgreSQL, MySQL or MariaDB database in private subnets, run by Amazon RDS
 * (`mode: "rds"`) or installed on an EC2 instance (`mode: "ec2"`), with the
 * same outputs either way so nothing downstream changes when a stage
 * switches modes.
 *
 * ```ts
 * const db = new ManagedDatabase("db", {
 *     vpcId: vpc.vpcId,
 *     subnetIds: [privateA.id, privateB.id],
 *     allowedSecurityGroupIds: [webServers.id],
 * });
 * export const env = db.appEnvironment(); // DB_HOST, DB_PORT, ..., DB_PASSWORD_SECRET_ARN
 * ```
 *
 * Safe without being asked: encrypted gp3 storage, no public address, a
 * security group open only to the client groups on the engine port, TLS
 * required, the password generated and kept in Secrets Manager (never in
 * state, config or user data), daily backups; with the default
 * `preset: "production"` also Multi-AZ (rds), deletion protection, a final
 * snapshot and Pulumi `protect` on everything that holds data. In rds mode
 * the app connects as its own least-privilege user (`appUsername`), created
 * at deploy time by a small Lambda function whose password only Secrets
 * Manager and the database see; the master user is for administration.
 *
 * ## Cost (eu-west-1 on-demand, 2025 prices, per month, at the defaults)
 *
 * - rds, production: db.t4g.small Multi-AZ ≈ $53, 20 GiB gp3 Multi-AZ ≈ $5,
 *   backups up to the storage size free, Secrets Manager secret $0.40,
 *   Performance Insights (7 days) free, Enhanced Monitoring at 60 s
 *   (CloudWatch Logs, cents), the app user's secret $0.40, the
 *   database-users function (a few invocations per deploy: free tier):
 *   about **$60**.
 * - rds, development: single-AZ ≈ $26 + $2.6 storage + $0.40 secret:
 *   about **$29**. In subnets without NAT, the database-users function
 *   reaches Secrets Manager through the stage's interface endpoint
 *   (≈ $7.3 per AZ), billed to the network.
 * - rds log groups (`logRetentionDays`): CloudWatch Logs ≈ $0.57 per GB
 *   ingested and $0.03 per GB-month kept, cents for a quiet database.
 * - ec2: t4g.small ≈ $13, 8 GiB root + 20 GiB data gp3 ≈ $2.5, snapshots
 *   (incremental) ≈ $1, secret $0.40: about **$17**. In subnets without a
 *   NAT gateway, the VPC endpoints the instance needs (S3 gateway free;
 *   Secrets Manager, SSM, SSM messages, EC2 messages ≈ $7.3 each per AZ)
 *   are billed to the network, not to this component.
 */
export class ManagedDatabase extends pulumi.ComponentResource {
    /** `rds` or `ec2`. */
    readonly mode: pulumi.Output<DatabaseMode>;
    readonly engine: pulumi.Output<Engine>;
    /** The address clients connect to: the RDS endpoint, or the instance's private IP. */
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: pulumi.Output<string>;
    /**
     * The user the application connects as: in rds mode the application
     * user (`appUsername`, least privilege), in ec2 mode `username`.
     */
    readonly username: pulumi.Output<string>;
    /**
     * The Secrets Manager secret with the application user's password, as
     * JSON with `username` and `password` keys (in rds mode also `engine`,
     * `host`, `port`, `dbname`). Grant `secretsmanager:GetSecretValue` on it
     * to the app, and on nothing else. In rds mode it resolves once the
     * database-users function has created the user.
     */
    readonly passwordSecretArn: pulumi.Output<string>;
    /**
     * rds mode: the master user (`username`), for administration; undefined
     * in ec2 mode (administer through the instance's local superuser).
     */
    readonly masterUsername: pulumi.Output<string | undefined>;
    /**
     * rds mode: RDS's managed secret of the master user, for administration
     * only: never give it to the app. Undefined in ec2 mode.
     */
    readonly masterSecretArn: pulumi.Output<string | undefined>;
    /** The database's own security group. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The client groups allowed in at creation (`allowedSecurityGroupIds`). */
    readonly clientSecurityGroupIds: pulumi.Output<string[]>;

    private readonly componentName: string;
    private readonly resolved: ResolvedManagedDatabaseArgs;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: ManagedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate first: bad input fails before any resource is registered.
        checkComponentName(name, "ManagedDatabase");
        const resolved = resolveManagedDatabaseArgs(args, name, pulumi.getStack());
        super("webstack:index:ManagedDatabase", name, {}, opts);
        this.componentName = name;
        this.resolved = resolved;
        this.tags = standardTags(defaultTagContext(), "managed-database", resolved.tags);

        const securityGroup = createDatabaseSecurityGroup(name, resolved.vpcId, this.tags, this);
        resolved.allowedSecurityGroupIds.forEach((clientGroupId, index) =>
            allowClient(`${name}-client-${index}`, securityGroup.id, clientGroupId, resolved.port, this.tags, this),
        );
        if (resolved.mode === "ec2") allowHttpsOut(name, securityGroup.id, this.tags, this);

        const endpoint =
            resolved.mode === "rds"
                ? createRdsDatabase(name, resolved, securityGroup.id, this.tags, this)
                : createEc2Database(name, resolved, securityGroup.id, this.tags, this);

        this.mode = pulumi.output(resolved.mode);
        this.engine = pulumi.output(resolved.engine);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.databaseName = pulumi.output(resolved.databaseName);
        this.username = pulumi.output(resolved.mode === "rds" ? resolved.appUsername : resolved.username);
        this.passwordSecretArn = endpoint.passwordSecretArn;
        this.masterUsername = pulumi.output(resolved.mode === "rds" ? resolved.username : undefined);
        this.masterSecretArn = endpoint.masterSecretArn ?? pulumi.output(undefined);
        this.securityGroupId = securityGroup.id;
        this.clientSecurityGroupIds = pulumi.output(resolved.allowedSecurityGroupIds);
        this.registerOutputs({
            mode: this.mode,
            engine: this.engine,
            host: this.host,
            port: this.port,
            databaseName: this.databaseName,
            username: this.username,
            passwordSecretArn: this.passwordSecretArn,
            masterUsername: this.masterUsername,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
            clientSecurityGroupIds: this.clientSecurityGroupIds,
        });
    }

    /**
     * Lets another security group reach the engine port, e.g. the web tier's
     * instances created after the database. `name` keeps the rule's logical
     * name (`<database>-from-<name>`) stable and unique.
     */
    allowFrom(name: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) {
            invalid("allowFrom(name)", name, "the rule name must be letters, digits and hyphens", 'use a short name such as "web"');
        }
        return allowClient(`${this.componentName}-from-${name}`, this.securityGroupId, securityGroupId, this.resolved.port, this.tags, this);
    }

    /**
     * The environment variables the web tier gives the app:
     * `DB_ENGINE`, `DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER` and
     * `DB_PASSWORD_SECRET_ARN` (a reference; the app reads the password from it).
     */
    appEnvironment(): DatabaseEnvironment {
        // The component's own outputs have the shape databaseEnvironment reads.
        return databaseEnvironment(this);
    }
}
