import { asList, CheckedResource, isTrue, PlanView } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";
import { publicSubnetIds } from "./ec2";

const DB_INSTANCE = "aws:rds/instance:Instance";
const SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";

function perDatabase(view: PlanView, rule: number, check: (database: Record<string, unknown>, resource: CheckedResource) => string[]): Violation[] {
    return view.ofType(DB_INSTANCE).flatMap((database) => check(database.inputs, database).map((problem) => violation(rule, database, problem)));
}

/** Parameters that refuse unencrypted connections, per engine family. */
const FORCE_TLS: Record<string, string[]> = { "rds.force_ssl": ["1"], require_secure_transport: ["1", "ON", "on"] };

export const rdsRules: ChecklistRule[] = [
    {
        number: 33,
        mirrors: "CKV_AWS_17 · RDS.2",
        title: "not publicly accessible, in a subnet group of private subnets",
        dev: "keep",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) => {
            const publicSubnets = publicSubnetIds(view);
            return perDatabase(view, 33, (database) => {
                const problems: string[] = [];
                if (database.publiclyAccessible !== false) problems.push(`publiclyAccessible is ${String(database.publiclyAccessible ?? "unset")}, not false`);
                const group = view.referenced(database.dbSubnetGroupName, SUBNET_GROUP);
                if (!group) problems.push("has no subnet group of this stage");
                else if (asList(group.inputs.subnetIds).some((subnet) => publicSubnets.has(String(subnet)))) problems.push(`subnet group ${group.name} holds a public subnet`);
                return problems;
            });
        },
    },
    {
        number: 34,
        mirrors: "CKV_AWS_16 · RDS.3 · AwsSolutions-RDS2",
        title: "storage encrypted, with the stage's KMS key in production",
        dev: "looser",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) =>
            perDatabase(view, 34, (database) => {
                if (!isTrue(database.storageEncrypted)) return ["storageEncrypted is not true"];
                return view.production && !database.kmsKeyId ? ["storage uses the AWS-managed key, not the stage's key (kmsKeyId)"] : [];
            }),
    },
    {
        number: 35,
        mirrors: "CKV_AWS_157 · RDS.5 · AwsSolutions-RDS3",
        title: "Multi-AZ",
        dev: "relax",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) => perDatabase(view, 35, (database) => (isTrue(database.multiAz) ? [] : ["multiAz is not true"])),
    },
    {
        number: 36,
        mirrors: "RDS.11 · CKV_AWS_133 · AwsSolutions-RDS13",
        title: "automated backups kept 7 days or more (1 or more outside production), set explicitly",
        dev: "looser",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) =>
            perDatabase(view, 36, (database) => {
                const minimum = view.production ? 7 : 1;
                const days = Number(database.backupRetentionPeriod ?? 0);
                return days >= minimum ? [] : [`backupRetentionPeriod is ${String(database.backupRetentionPeriod ?? "unset")}, below ${minimum}`];
            }),
    },
    {
        number: 37,
        mirrors: "CKV_AWS_293 · RDS.8 · AwsSolutions-RDS10",
        title: "deletion protection on, final snapshot taken",
        dev: "relax",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) =>
            perDatabase(view, 37, (database) => [
                ...(isTrue(database.deletionProtection) ? [] : ["deletionProtection is not true"]),
                ...(database.skipFinalSnapshot === false ? [] : ["skipFinalSnapshot is not false"]),
            ]),
    },
    {
        number: 38,
        mirrors: "CKV_AWS_161 · RDS.10",
        title: "IAM database authentication on",
        dev: "relax",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) => perDatabase(view, 38, (database) => (isTrue(database.iamDatabaseAuthenticationEnabled) ? [] : ["iamDatabaseAuthenticationEnabled is not true"])),
    },
    {
        number: 39,
        mirrors: "CKV_AWS_226 · RDS.13",
        title: "automatic minor version upgrades",
        dev: "keep",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) => perDatabase(view, 39, (database) => (isTrue(database.autoMinorVersionUpgrade) ? [] : ["autoMinorVersionUpgrade is not true"])),
    },
    {
        number: 40,
        mirrors: "CKV_AWS_353 · CKV_AWS_118 · RDS.6",
        title: "Performance Insights and enhanced monitoring (60 s, with its role)",
        dev: "relax",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) =>
            perDatabase(view, 40, (database) => [
                ...(isTrue(database.performanceInsightsEnabled) ? [] : ["performanceInsightsEnabled is not true"]),
                ...(Number(database.monitoringInterval) === 60 ? [] : [`monitoringInterval is ${String(database.monitoringInterval ?? "unset")}, not 60`]),
                ...(database.monitoringRoleArn ? [] : ["has no monitoringRoleArn"]),
            ]),
    },
    {
        number: 41,
        mirrors: "CKV2_AWS_60 · RDS.17",
        title: "tags copied to snapshots",
        dev: "keep",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) => perDatabase(view, 41, (database) => (isTrue(database.copyTagsToSnapshot) ? [] : ["copyTagsToSnapshot is not true"])),
    },
    {
        number: 42,
        mirrors: "CKV2_AWS_69 · RDS.38/39",
        title: "the parameter group refuses unencrypted connections",
        dev: "keep",
        severity: "mandatory",
        types: [DB_INSTANCE],
        check: (view) =>
            perDatabase(view, 42, (database) => {
                const group = view.referenced(database.parameterGroupName, PARAMETER_GROUP);
                if (!group) return ["uses a parameter group this stage does not manage (the engine default allows plain connections)"];
                const parameters = asList(group.inputs.parameters) as { name?: string; value?: unknown }[];
                const forced = parameters.some((parameter) => FORCE_TLS[parameter.name ?? ""]?.includes(String(parameter.value)));
                return forced ? [] : [`parameter group ${group.name} does not force TLS (rds.force_ssl / require_secure_transport)`];
            }),
    },
];
