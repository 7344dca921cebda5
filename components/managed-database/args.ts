import * as pulumi from "@pulumi/pulumi";
import { Architecture, architectures } from "../internal/amazon-linux";
import { invalid } from "../internal/errors";
import { checkKeyArn } from "../internal/kms-key-arn";
import { Engine, EngineFacts, engineFacts, engines, majorVersion } from "./engines";
import { defaultRdsIdentifier, RDS_IDENTIFIER } from "./naming";

export const databaseModes = ["rds", "ec2"] as const;
/** `rds`: Amazon RDS runs the engine. `ec2`: webstack installs it on an EC2 instance. */
export type DatabaseMode = (typeof databaseModes)[number];

export const databaseSizes = ["micro", "small", "medium", "large", "xlarge"] as const;
/** Burstable Graviton (or x86) sizes: `db.t4g.<size>` in rds mode, `t4g.<size>` in ec2 mode. */
export type DatabaseSize = (typeof databaseSizes)[number];

export const safetyPresets = ["production", "development"] as const;
/** What the component does without being asked; see {@link ManagedDatabaseArgs.preset}. */
export type SafetyPreset = (typeof safetyPresets)[number];

// Re-exported: the stage schema and the package's index import them from here.
export { architectures } from "../internal/amazon-linux";
export type { Architecture } from "../internal/amazon-linux";

/** The arguments of {@link ManagedDatabase}. */
export interface ManagedDatabaseArgs {
    /**
     * Who runs the engine. `rds`: an Amazon RDS instance (managed backups,
     * patching, Multi-AZ failover). `ec2`: an EC2 instance that installs the
     * engine at boot, with its data on a separate EBS volume snapshotted
     * daily. Both give the same outputs, so switching needs no other change.
     * @default "rds"
     */
    mode?: DatabaseMode;
    /**
     * The database engine: `postgres`, `mysql` (rds mode only) or `mariadb`.
     * Amazon Linux 2023 ships no MySQL server, so ec2 mode refuses `mysql`
     * rather than install MariaDB in its place: ask for `mariadb` (MySQL
     * protocol and clients) explicitly. Switching `mode` never changes the
     * engine.
     * @default "postgres"
     */
    engine?: Engine;
    /**
     * The engine version: a major version (`"16"`, `"8.0"`, `"10.11"`) or a
     * full one (`"16.4"`). rds mode takes PostgreSQL 13-17, MySQL 8.0/8.4 or
     * MariaDB 10.11/11.4/11.8 and applies minor upgrades itself; ec2 mode
     * takes PostgreSQL 15/16 or MariaDB 10.5/10.11 (the versions AL2023
     * packages) and uses only the major version. Changing the major version
     * needs `allowMajorVersionUpgrade` (rds mode).
     * @default "16" for postgres, "8.0" for mysql, "10.11" for mariadb
     */
    version?: string;
    /**
     * rds mode: lets a change of `version` to another major version upgrade
     * the instance (RDS refuses it otherwise: "The AllowMajorVersionUpgrade
     * flag must be present when upgrading to a new major version"). The new
     * version's parameter group is created before the old one is deleted.
     * Set it for the deploy that upgrades, then remove it. Not available in
     * ec2 mode, which does not upgrade data directories (see the docs).
     * @default false
     * @example { version: "17", allowMajorVersionUpgrade: true } // from 16
     */
    allowMajorVersionUpgrade?: boolean;
    /**
     * rds mode: the RDS instance identifier, which also names its log groups
     * (`/aws/rds/instance/<identifier>/<log>`). Unique per account and
     * region; changing it replaces the instance. 1-63 lowercase letters,
     * digits and hyphens, starting with a letter, no `--`, no trailing `-`.
     * @default the stack and component names, e.g. "dev-db" for component
     * "db" in stack "dev" ("prod-db" stays "prod-db" in stack "prod"),
     * lowercased, other characters turned to "-"
     */
    identifier?: string;
    /**
     * rds mode: days the CloudWatch log groups of the exported logs keep
     * their events. One of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90,
     * 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
     * 3653 (never "0", keep forever).
     * @default 365 with the production preset, 30 with development
     */
    logRetentionDays?: number;
    /**
     * Resources the database's deploy-time work waits for, e.g. the VPC
     * interface endpoints it reaches Secrets Manager through in subnets
     * without NAT: in ec2 mode the instance (its first boot), in rds mode
     * the invocation of the database-users function (which runs in the
     * private subnets). A component's own `dependsOn` option does not reach
     * its children in Pulumi (pulumi/pulumi#8721), hence this argument.
     * @default []
     * @example { instanceDependsOn: [secretsManagerEndpoint] }
     */
    instanceDependsOn?: pulumi.Resource[];
    /**
     * The database created for the application: a letter, then letters,
     * digits or underscores, at most 63 characters.
     * @default "app"
     */
    databaseName?: string;
    /**
     * rds mode: the master user, kept for administration (its password is
     * RDS's managed secret, `masterSecretArn`); changing it replaces the
     * instance. ec2 mode: the application user. Same rules as
     * `databaseName`, at most 16 characters for mysql and mariadb; not a
     * name the engine or RDS reserves (`postgres`, `root`, `rdsadmin`, ...).
     * @default "app"
     */
    username?: string;
    /**
     * rds mode: the application user the app connects as (`DB_USER`), with
     * only the privileges an app needs, created at deploy time by the
     * database-users function; its password is generated into its own
     * secret (`passwordSecretArn`) and never enters Pulumi state. Same rules
     * as `username`, and different from it. Changing it creates the new user
     * with a new password; the old user is left in the database (drop it by
     * hand). Ignored in ec2 mode, where `username` is the application user.
     * @default "app_user"
     * @example { username: "admin_user", appUsername: "shop" }
     */
    appUsername?: string;
    /**
     * rds mode: RDS Enhanced Monitoring, OS metrics every this many
     * seconds, sent by RDS to CloudWatch Logs through a role the component
     * creates. One of 0 (off), 1, 5, 10, 15, 30, 60.
     * @default 60 with the production preset, 0 with development
     */
    monitoringInterval?: number;
    /**
     * rds mode: IAM database authentication, so users mapped to IAM
     * (`GRANT rds_iam` / `AWSAuthenticationPlugin`) can log in with
     * short-lived tokens. The app keeps its password user; this only allows
     * the mechanism.
     * @default true with the production preset, false with development
     */
    iamAuthentication?: boolean;
    /**
     * The instance size: `db.t4g.<size>` in rds mode, `t4g.<size>` in ec2
     * mode (`t3.<size>` with `architecture: "x86_64"`).
     * @default "small"
     */
    size?: DatabaseSize;
    /**
     * Storage to start with, in GiB (gp3, encrypted). At least 20, the RDS
     * minimum for gp3 with these engines; in ec2 mode it is the size of the
     * data volume.
     * @default 20
     */
    storageGb?: number;
    /**
     * rds mode: the ceiling for storage autoscaling, in GiB. RDS requires it
     * to be at least 10 % above `storageGb`. Ignored in ec2 mode (grow the
     * data volume by changing `storageGb`).
     * @default 5 × storageGb, at most 65536
     */
    maxStorageGb?: number;
    /**
     * How many days backups are kept: RDS automated backups in rds mode, the
     * daily EBS snapshots of the data volume in ec2 mode. 1-35 (the RDS
     * limit); at least 7 with the production preset.
     * @default 14 with the production preset, 1 with development
     */
    backupRetentionDays?: number;
    /**
     * rds mode: a standby in a second AZ that RDS fails over to. Not
     * available in ec2 mode.
     * @default true with the production preset, false with development
     */
    multiAz?: boolean;
    /** The VPC the database lives in. @example vpc.vpcId */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets of the VPC, at least two, each in a different AZ (RDS
     * subnet groups require two AZs). Give the VPC's private subnets, one per
     * AZ; the component cannot see AZs from ids, so it checks only that two
     * distinct ids are given. ec2 mode places the instance and its data
     * volume in the first one. A list, or an Output of one such as awsx's
     * `vpc.privateSubnetIds` (whose length is then checked at deploy time).
     * @example vpc.privateSubnetIds // or [subnetA.id, subnetB.id]
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Security groups whose members may connect on the engine port (e.g. the
     * web tier's instances). At least one; more can be added later with
     * `allowFrom()`. Nothing else can reach the database.
     * @example [appServers.id]
     */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /**
     * The stage's safety preset. `production`: deletion protection, a final
     * snapshot, Pulumi `protect` on data, Multi-AZ, 14 days of backups.
     * `development` keeps encryption, private networking and TLS but drops
     * the cost-heavy choices (single AZ, 1 day of backups, no final
     * snapshot) so a dev stage can be torn down.
     * @default "production"
     */
    preset?: SafetyPreset;
    /** ec2 mode: the instance's CPU architecture (Graviton is cheaper). @default "arm64" */
    architecture?: Architecture;
    /**
     * A customer managed KMS key (its key ARN, not an alias) that encrypts
     * the database's data and its password:
     * - rds: the storage (`kmsKeyId`, and so its snapshots and automated
     *   backups), the RDS-managed password secret
     *   (`masterUserSecretKmsKeyId`) and Performance Insights data;
     * - ec2: the data and root EBS volumes (DLM snapshots of the data volume
     *   are encrypted with the volume's key), and the password secret; the
     *   instance role may use the key through Secrets Manager only.
     *
     * **Set it when the database is first created.** Changing or adding it
     * later REPLACES the RDS instance or the EBS data volume with a new,
     * EMPTY one (RDS cannot change the key of an existing instance, EBS
     * cannot re-encrypt a volume; the provider marks both `kmsKeyId`
     * ForceNew), and in production Pulumi refuses because they are
     * protected. To move existing data to a new key, restore a snapshot
     * copied with the new key (see docs/managed-database.md).
     * @default undefined: AWS managed keys (aws/rds, aws/ebs, aws/secretsmanager)
     * @example stageKey.arn
     */
    kmsKeyArn?: pulumi.Input<string>;
    /** Tags on every resource, in addition to webstack's standard tags. @default {} */
    tags?: Record<string, string>;
}

/** ManagedDatabaseArgs with every default filled in and every rule checked. */
export interface ResolvedManagedDatabaseArgs {
    mode: DatabaseMode;
    engine: Engine;
    facts: EngineFacts;
    /** As given (or the default major version). */
    version: string;
    majorVersion: string;
    allowMajorVersionUpgrade: boolean;
    /** The RDS instance identifier (rds mode). */
    identifier: string;
    logRetentionDays: number;
    instanceDependsOn: pulumi.Resource[];
    databaseName: string;
    /** The master user (rds) or the application user (ec2). */
    username: string;
    /** rds mode: the application user the database-users function creates. */
    appUsername: string;
    /** rds mode: Enhanced Monitoring interval in seconds, 0 when off. */
    monitoringInterval: number;
    /** rds mode: IAM database authentication on. */
    iamAuthentication: boolean;
    size: DatabaseSize;
    port: number;
    storageGb: number;
    maxStorageGb: number;
    backupRetentionDays: number;
    multiAz: boolean;
    production: boolean;
    architecture: Architecture;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** The customer managed key of the data and password; undefined for AWS managed keys. */
    kmsKeyArn?: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** AWS's upper bound on gp3 volumes and RDS gp3 storage (64 TiB). */
const MAX_GP3_GB = 65536;
/** RDS backup retention limit (CreateDBInstance BackupRetentionPeriod: 0-35). */
const MAX_RETENTION_DAYS = 35;
const MIN_PRODUCTION_RETENTION_DAYS = 7;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_DATABASE_NAMES: Record<Engine, string[]> = {
    postgres: ["postgres", "template0", "template1", "rdsadmin"],
    mysql: ["mysql", "sys", "information_schema", "performance_schema", "innodb"],
    mariadb: ["mysql", "sys", "information_schema", "performance_schema", "innodb"],
};
/** RDS CreateDBInstance MonitoringInterval: "Valid Values: 0, 1, 5, 10, 15, 30, 60". */
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
/** CloudWatch Logs PutRetentionPolicy: the retention values it accepts (0, forever, left out on purpose). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

function oneOf<T extends string>(setting: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        invalid(setting, value, "not a supported value", `use one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    return value as T;
}

function wholeNumber(setting: string, value: unknown, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value)) invalid(setting, value, "expected a whole number", `give ${setting} as a whole number, e.g. ${fallback}`);
    return value;
}

function resolveEngine(mode: DatabaseMode, value: unknown): Engine {
    const engine = oneOf("engine", value, engines, "postgres");
    if (mode === "ec2" && engineFacts[engine].ec2Versions.length === 0) {
        // AL2023 has no MySQL server; installing MariaDB instead would change
        // the engine under the user's feet (and on a layout flip).
        invalid("engine", engine, "Amazon Linux 2023 ships no MySQL server, so the ec2 mode cannot install MySQL", 'use engine: "mariadb" (MySQL-compatible, packaged by AL2023), or mode: "rds" to keep MySQL');
    }
    return engine;
}

function resolveVersion(mode: DatabaseMode, engine: Engine, facts: EngineFacts, given: unknown): { version: string; major: string } {
    const version = given ?? facts.defaultVersion;
    if (typeof version !== "string" || !/^\d+(\.\d+){0,2}$/.test(version)) {
        invalid("version", given, "expected a version number such as \"16\" or \"16.4\"", `use one of ${facts.rdsVersions.join(", ")}`);
    }
    const major = majorVersion(engine, version);
    const supported = mode === "rds" ? facts.rdsVersions : facts.ec2Versions;
    if (!supported.includes(major)) {
        const where = mode === "rds" ? "RDS offers" : "the ec2 mode installs from Amazon Linux 2023";
        invalid("version", given, `${engine} ${major} is not a version ${where}`, `use one of ${supported.join(", ")}`);
    }
    return { version, major };
}

function resolveName(setting: "databaseName" | "username" | "appUsername", value: unknown, engine: Engine, facts: EngineFacts): string {
    const name = value ?? "app";
    const maxLength = setting === "databaseName" ? 63 : facts.maxUsernameLength;
    if (typeof name !== "string" || !IDENTIFIER.test(name) || name.length > maxLength) {
        invalid(setting, value, `must start with a letter, use only letters, digits and underscores, and be at most ${maxLength} characters`, `use a name such as "app"`);
    }
    const reserved = setting === "databaseName" ? RESERVED_DATABASE_NAMES[engine] : facts.reservedUsernames;
    if (reserved.includes(name.toLowerCase())) {
        invalid(setting, value, `${engine} or RDS reserves this name`, `use another name, e.g. "app"`);
    }
    return name;
}

function resolveStorage(args: ManagedDatabaseArgs, facts: EngineFacts, engine: Engine): { storageGb: number; maxStorageGb: number } {
    const storageGb = wholeNumber("storageGb", args.storageGb, facts.minStorageGb);
    if (storageGb < facts.minStorageGb) {
        invalid("storageGb", storageGb, `${engine} on gp3 needs at least ${facts.minStorageGb} GiB`, `set storageGb to ${facts.minStorageGb} or more`);
    }
    if (storageGb > MAX_GP3_GB) invalid("storageGb", storageGb, `gp3 storage is at most ${MAX_GP3_GB} GiB`, `set storageGb to ${MAX_GP3_GB} or less`);
    const maxStorageGb = wholeNumber("maxStorageGb", args.maxStorageGb, Math.min(storageGb * 5, MAX_GP3_GB));
    // RDS User Guide, "Managing capacity automatically with Amazon RDS storage
    // autoscaling": the maximum storage threshold must be at least 10 % more
    // than the allocated storage.
    const floor = Math.ceil(storageGb * 1.1);
    if (maxStorageGb < floor || maxStorageGb > MAX_GP3_GB) {
        invalid("maxStorageGb", maxStorageGb, `RDS needs the autoscaling ceiling between 10 % above storageGb (${floor}) and ${MAX_GP3_GB} GiB`, `set maxStorageGb to at least ${floor}, or leave it out`);
    }
    return { storageGb, maxStorageGb };
}

function resolveRetention(value: unknown, production: boolean): number {
    const days = wholeNumber("backupRetentionDays", value, production ? 14 : 1);
    if (days < 1) invalid("backupRetentionDays", days, "webstack never turns backups off", "keep at least 1 day of backups");
    if (days > MAX_RETENTION_DAYS) invalid("backupRetentionDays", days, `RDS keeps automated backups for at most ${MAX_RETENTION_DAYS} days`, `set backupRetentionDays to ${MAX_RETENTION_DAYS} or less (take manual snapshots for longer)`);
    if (production && days < MIN_PRODUCTION_RETENTION_DAYS) {
        invalid("backupRetentionDays", days, `the production preset keeps at least ${MIN_PRODUCTION_RETENTION_DAYS} days of backups`, `set backupRetentionDays to ${MIN_PRODUCTION_RETENTION_DAYS} or more (or preset: "development" for a non-production stage)`);
    }
    return days;
}

function resolveAppUsername(mode: DatabaseMode, value: unknown, username: string, engine: Engine, facts: EngineFacts): string {
    const appUsername = resolveName("appUsername", value ?? "app_user", engine, facts);
    if (mode === "rds" && appUsername.toLowerCase() === username.toLowerCase()) {
        invalid("appUsername", value ?? appUsername, "the application user must differ from the master user (username), or the app would connect as master", `set appUsername to another name, e.g. "${username === "app_user" ? "app_rw" : "app_user"}"`);
    }
    return appUsername;
}

function resolveMonitoringInterval(value: unknown, production: boolean): number {
    const seconds = wholeNumber("monitoringInterval", value, production ? 60 : 0);
    if (!MONITORING_INTERVALS.includes(seconds)) {
        invalid("monitoringInterval", seconds, "RDS Enhanced Monitoring takes only certain intervals", `use one of ${MONITORING_INTERVALS.join(", ")} (0 turns it off)`);
    }
    return seconds;
}

function resolveIamAuthentication(value: unknown, production: boolean): boolean {
    if (value === undefined) return production;
    if (typeof value !== "boolean") invalid("iamAuthentication", value, "expected true or false", "set iamAuthentication to true or false, or leave it out");
    return value;
}

function resolveMajorUpgrade(mode: DatabaseMode, value: unknown): boolean {
    if (value === undefined) return false;
    if (typeof value !== "boolean") invalid("allowMajorVersionUpgrade", value, "expected true or false", "set allowMajorVersionUpgrade to true for the deploy that upgrades, or leave it out");
    if (value && mode === "ec2") {
        invalid("allowMajorVersionUpgrade", value, "the ec2 mode does not upgrade a data directory to another major version (pg_upgrade / mariadb-upgrade are manual)", 'leave allowMajorVersionUpgrade out in ec2 mode and upgrade by hand (see docs/managed-database.md), or use mode: "rds"');
    }
    return value;
}

function resolveLogRetention(value: unknown, production: boolean): number {
    const days = wholeNumber("logRetentionDays", value, production ? 365 : 30);
    if (!LOG_RETENTION_DAYS.includes(days)) {
        invalid("logRetentionDays", days, "CloudWatch Logs accepts only certain retention periods (webstack never keeps logs forever)", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    return days;
}

function resolveIdentifier(value: unknown, name: string, stack: string | undefined): string {
    const fallback = defaultRdsIdentifier(name, stack);
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !RDS_IDENTIFIER.test(value)) {
        invalid("identifier", value, "RDS identifiers are 1-63 lowercase letters, digits and hyphens, start with a letter, have no \"--\" and do not end with \"-\"", `use a name such as "${fallback}"`);
    }
    return value;
}

function resolveDependencies(value: unknown): pulumi.Resource[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => pulumi.Resource.isInstance(item))) {
        invalid("instanceDependsOn", value, "expected a list of Pulumi resources", "pass the resources themselves (e.g. a VPC endpoint), not their ids");
    }
    return value;
}

function resolveSubnets(value: unknown): pulumi.Input<pulumi.Input<string>[]> {
    // An Output of a list (awsx's vpc.privateSubnetIds) is counted once known.
    if (pulumi.Output.isInstance(value)) return (value as pulumi.Output<string[]>).apply(checkSubnetList);
    return checkSubnetList(value);
}

function checkSubnetList(value: unknown): pulumi.Input<string>[] {
    if (!Array.isArray(value) || value.length < 2) {
        invalid("subnetIds", value, "the database needs private subnets in at least two availability zones (an RDS subnet group requires two AZs)", "pass the VPC's private subnet ids, one per AZ");
    }
    const known = value.filter((id): id is string => typeof id === "string");
    if (known.some((id) => id.trim() === "")) invalid("subnetIds", value, "a subnet id is empty", "pass real subnet ids such as subnet-0abc...");
    if (new Set(known).size !== known.length) invalid("subnetIds", value, "the same subnet is listed twice", "pass one private subnet per availability zone");
    return value;
}

function resolveClients(value: unknown): pulumi.Input<string>[] {
    if (!Array.isArray(value) || value.length === 0) {
        invalid("allowedSecurityGroupIds", value, "no client can reach the database", "list the security groups of the servers that use it, e.g. [webServers.id]");
    }
    const known = value.filter((id): id is string => typeof id === "string");
    if (known.some((id) => !/^sg-[0-9a-f]+$/.test(id))) invalid("allowedSecurityGroupIds", value, "expected security group ids (sg-...)", "pass security group ids, not names or CIDR blocks");
    return value;
}

/**
 * Validates ManagedDatabase's arguments and fills in defaults. Pure: it
 * registers no resource, so bad input fails before anything is created.
 * `name` and `stack` (the component's and the stack's names) give the
 * default RDS identifier.
 * @throws ConfigError naming the argument, the bad value and the fix.
 */
export function resolveManagedDatabaseArgs(args: ManagedDatabaseArgs, name = "db", stack?: string): ResolvedManagedDatabaseArgs {
    if (args === undefined || args === null || typeof args !== "object") {
        invalid("args", args, "ManagedDatabase needs its arguments", "pass at least vpcId, subnetIds and allowedSecurityGroupIds");
    }
    const mode = oneOf("mode", args.mode, databaseModes, "rds");
    const engine = resolveEngine(mode, args.engine);
    const facts = engineFacts[engine];
    const preset = oneOf("preset", args.preset, safetyPresets, "production");
    const production = preset === "production";
    const { version, major } = resolveVersion(mode, engine, facts, args.version);
    const size = oneOf("size", args.size, databaseSizes, "small");
    const username = resolveName("username", args.username, engine, facts);
    const architecture = oneOf("architecture", args.architecture, architectures, "arm64");
    if (args.multiAz === true && mode === "ec2") {
        invalid("multiAz", args.multiAz, "the ec2 mode runs one instance and has no standby", 'use mode: "rds" for Multi-AZ, or leave multiAz out');
    }
    if (args.multiAz !== undefined && typeof args.multiAz !== "boolean") invalid("multiAz", args.multiAz, "expected true or false", "set multiAz to true or false");
    if (args.vpcId === undefined || args.vpcId === null || args.vpcId === "") {
        invalid("vpcId", args.vpcId, "the database needs a VPC", "pass the id of the VPC that holds subnetIds");
    }
    return {
        mode,
        engine,
        facts,
        version,
        majorVersion: major,
        allowMajorVersionUpgrade: resolveMajorUpgrade(mode, args.allowMajorVersionUpgrade),
        identifier: resolveIdentifier(args.identifier, name, stack),
        logRetentionDays: resolveLogRetention(args.logRetentionDays, production),
        instanceDependsOn: resolveDependencies(args.instanceDependsOn),
        databaseName: resolveName("databaseName", args.databaseName, engine, facts),
        username,
        appUsername: resolveAppUsername(mode, args.appUsername, username, engine, facts),
        monitoringInterval: resolveMonitoringInterval(args.monitoringInterval, production),
        iamAuthentication: resolveIamAuthentication(args.iamAuthentication, production),
        size,
        port: facts.port,
        ...resolveStorage(args, facts, engine),
        backupRetentionDays: resolveRetention(args.backupRetentionDays, production),
        multiAz: mode === "rds" && (args.multiAz ?? production),
        production,
        architecture,
        vpcId: args.vpcId,
        subnetIds: resolveSubnets(args.subnetIds),
        allowedSecurityGroupIds: resolveClients(args.allowedSecurityGroupIds),
        kmsKeyArn: checkKeyArn("kmsKeyArn", args.kmsKeyArn),
        tags: args.tags ?? {},
    };
}
