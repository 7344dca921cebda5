import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkedAs } from "../../components/internal/errors";
import { standardTags } from "../../components/internal/tags";
import { ManagedDatabase } from "../../components/managed-database";
import { DatabaseMode, ManagedDatabaseArgs, resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { Layout } from "../config";
import { DatabaseSettings } from "../config/database";
import { StageContext, StagePart } from "../stage-context";

/** The database mode each layout uses unless `webstack:database.mode` says otherwise (DESIGN.md, "Layouts"). */
export const databaseModeForLayout: Record<Layout, DatabaseMode> = { iaas: "ec2", paas: "rds" };

/** The part name later parts find the database under in `context.components`. */
export const DATABASE_PART = "database";

/**
 * The stage's database and the "app clients" security group: attach that
 * group to the app servers (the web tier does) and they can reach the
 * database. The database is created before the web tier, so it cannot name
 * the web tier's own group; this group exists first and is its client from
 * the start. The web tier may also call `database.allowFrom(...)`.
 */
export interface StageDatabase {
    database: ManagedDatabase;
    clientSecurityGroupId: pulumi.Output<string>;
}

/** The stage's database, for parts that run after this one; undefined if the stage has none. */
export function stageDatabase(context: StageContext): StageDatabase | undefined {
    const database = context.components[DATABASE_PART];
    if (!(database instanceof ManagedDatabase)) return undefined;
    return { database, clientSecurityGroupId: database.clientSecurityGroupIds.apply((ids) => ids[0]) };
}

/**
 * One private subnet per AZ. The stage's network gives one per AZ in order
 * (in a stage without NAT they are isolated); indexing the Output keeps a
 * list of known length, so the component can check it at construction.
 */
function privateSubnetIds(context: StageContext): pulumi.Output<string>[] {
    return Array.from({ length: context.config.network.azCount }, (_, index) => context.network.privateSubnetIds.apply((ids) => ids[index]));
}

function databaseArgs(context: StageContext, settings: DatabaseSettings, clientGroupId: pulumi.Input<string>): ManagedDatabaseArgs {
    return {
        ...settings,
        mode: settings.mode ?? databaseModeForLayout[context.config.layout],
        preset: context.config.production ? "production" : "development",
        vpcId: context.network.vpcId,
        subnetIds: privateSubnetIds(context),
        allowedSecurityGroupIds: [clientGroupId],
        // An ec2-mode instance reads its password from Secrets Manager at
        // first boot: in a stage without NAT, through these endpoints.
        instanceDependsOn: context.network.endpoints,
        // The stage key (production): storage, volumes, snapshots, password secret.
        kmsKeyArn: context.kmsKeyArn,
        tags: context.config.tags,
    };
}

export const databasePart: StagePart = {
    name: DATABASE_PART,
    validate(context) {
        checkedAs("webstack:database", () => resolveManagedDatabaseArgs(databaseArgs(context, context.config.database, pulumi.output("sg-placeholder")), `${context.config.stage}-db`, context.config.stage));
    },
    deploy(context) {
        const settings: DatabaseSettings = context.config.database;
        const name = `${context.config.stage}-db`;
        const clients = new aws.ec2.SecurityGroup(`${name}-clients`, {
            vpcId: context.network.vpcId,
            description: `App servers of ${context.config.stage}: members may connect to the database`,
            tags: { ...standardTags({ app: context.app, stage: context.config.stage }, "managed-database", context.config.tags), Name: `${name}-clients` },
        });
        const database = new ManagedDatabase(name, databaseArgs(context, settings, clients.id));
        context.components[DATABASE_PART] = database;
        return {
            databaseMode: database.mode,
            databaseEngine: database.engine,
            databaseHost: database.host,
            databasePort: database.port,
            databaseName: database.databaseName,
            databaseUser: database.username,
            databasePasswordSecretArn: database.passwordSecretArn,
            databaseClientSecurityGroupId: clients.id,
        };
    },
};
