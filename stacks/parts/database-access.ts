import * as pulumi from "@pulumi/pulumi";
import { WebTier } from "../../components/web-tier";
import { StageContext, StackOutputs, StagePart } from "../stage-context";
import { stageDatabase } from "./database";
import { WEB_PART } from "./web";

/**
 * The local port the tunnel listens on: the engine's port + 10000 (15432,
 * 13306), so it does not collide with a database running on the laptop.
 */
export function tunnelLocalPort(databasePort: number): number {
    return databasePort + 10000;
}

/**
 * The command that opens a tunnel from the operator's machine to the
 * database, through the web instance, with Session Manager port forwarding
 * (AWS Systems Manager User Guide, "Start a session": the document
 * `AWS-StartPortForwardingSessionToRemoteHost` takes `host`, `portNumber`
 * and `localPortNumber`). It needs the AWS CLI with the Session Manager
 * plugin on that machine, and IAM permission to start a session on the
 * instance.
 */
export function tunnelCommand(region: string, instanceId: string, host: string, port: number): string {
    return (
        `aws ssm start-session --region ${region} --target ${instanceId}` +
        " --document-name AWS-StartPortForwardingSessionToRemoteHost" +
        ` --parameters host=${host},portNumber=${port},localPortNumber=${tunnelLocalPort(port)}`
    );
}

/**
 * What an administrator needs besides a way in: in rds mode the master user
 * and RDS's managed secret of its password (the app has its own user and
 * secret, `databaseUser` / `databasePasswordSecretArn`, and cannot read this
 * one). Nothing in ec2 mode, whose administrator is the instance's local
 * superuser.
 */
function administration(context: StageContext): StackOutputs {
    const database = stageDatabase(context)?.database;
    if (!database) return {};
    return { databaseMasterUser: database.masterUsername, databaseMasterSecretArn: database.masterSecretArn };
}

/**
 * A way into the stage's database that costs nothing: the database is in
 * private subnets (in dev with no route out and no Session Manager
 * endpoints), but the web instance already runs the SSM agent with
 * Session Manager's permissions, is a member of the database's client
 * security group, and may connect out. Session Manager forwards a local
 * port through it to the database. Runs after the web part; contributes
 * nothing when the stage has no database or no single web instance.
 */
export const databaseAccessPart: StagePart = {
    name: "database-access",
    validate(): void {
        // No settings of its own.
    },
    deploy(context: StageContext): StackOutputs {
        const database = stageDatabase(context)?.database;
        const web = context.components[WEB_PART];
        if (!database || !(web instanceof WebTier) || web.instanceId === undefined) return administration(context);
        return {
            ...administration(context),
            databaseTunnelCommand: pulumi
                .all([web.instanceId, database.host, database.port])
                .apply(([instanceId, host, port]) => tunnelCommand(context.config.region, instanceId, host, port)),
        };
    },
};
