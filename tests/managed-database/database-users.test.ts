import * as assert from "node:assert/strict";
import { ManagedDatabase } from "../../components/managed-database";
import { resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { bundleLayout, runtimePackages } from "../../components/managed-database/database-users/bundle";
import { Harness, RecordedResource, valueOf } from "../../components/testing";
import { defaultComputedOutputs, OutputContext } from "../../components/testing/computed-outputs";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };
const MASTER_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd";

interface Statement {
    Sid: string;
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string>>;
}

describe("ManagedDatabase rds mode: the application user", () => {
    let harness: Harness;
    let prod: ManagedDatabase;
    let ec2: ManagedDatabase;
    const get = (type: string, name: string) => harness.get(type, name);
    const inputs = (resource: RecordedResource) => harness.inputsOf(resource);
    const statementsOf = (policyName: string): Statement[] => JSON.parse(inputs(get("aws:iam/rolePolicy:RolePolicy", policyName)).policy).Statement;

    before(async () => {
        harness = await Harness.start({
            config: { "aws:region": "eu-west-1" },
            stack: "prod",
            // What AWS reports after creation and the default mocks leave out:
            // the instance's resource id, the master secret's key, the code hash.
            outputs: {
                "aws:rds/instance:Instance": (context: OutputContext) => {
                    const outputs = defaultComputedOutputs["aws:rds/instance:Instance"](context) as { masterUserSecrets?: Array<Record<string, string>> };
                    return { ...outputs, resourceId: `db-${context.name.toUpperCase()}`, masterUserSecrets: outputs.masterUserSecrets?.map((s) => ({ ...s, kmsKeyId: MASTER_KEY })) };
                },
                "aws:lambda/function:Function": (context: OutputContext) => ({ ...defaultComputedOutputs["aws:lambda/function:Function"]?.(context), codeSha256: "c29tZS1oYXNo" }),
            },
        });
        prod = new ManagedDatabase("prod-db", { mode: "rds", ...network });
        new ManagedDatabase("dev-db", { mode: "rds", engine: "mariadb", preset: "development", appUsername: "shop", ...network });
        ec2 = new ManagedDatabase("ec2-db", { mode: "ec2", engine: "mariadb", preset: "development", ...network });
        await harness.settled();
    });

    it("creates the app secret with no version: Pulumi never holds the password", () => {
        assert.deepEqual(harness.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((r) => r.name), []);
        const secret = get("aws:secretsmanager/secret:Secret", "prod-db-app-secret");
        assert.equal(inputs(secret).recoveryWindowInDays, 30);
        assert.equal(secret.options.protect, true);
        assert.equal(inputs(get("aws:secretsmanager/secret:Secret", "dev-db-app-secret")).recoveryWindowInDays, 0);
    });

    it("runs the function in the database's private subnets, in its own group, verifying TLS with the runtime's Amazon CAs", async () => {
        const fn = inputs(get("aws:lambda/function:Function", "prod-db-users"));
        const usersGroup = get("aws:ec2/securityGroup:SecurityGroup", "prod-db-users-sg");
        assert.equal(fn.runtime, "nodejs22.x");
        assert.equal(fn.handler, "index.handler");
        assert.deepEqual(fn.vpcConfig, { subnetIds: network.subnetIds, securityGroupIds: [usersGroup.id] });
        assert.deepEqual(fn.environment.variables, { NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem" });
        assert.equal(fn.loggingConfig.logGroup, get("aws:cloudwatch/logGroup:LogGroup", "prod-db-users-logs").computed?.name);
        // Network: the database lets the function in on its port; the function may go only there and to HTTPS.
        const dbGroupId = await valueOf(prod.securityGroupId);
        const into = inputs(get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "prod-db-from-users"));
        assert.deepEqual([into.securityGroupId, into.referencedSecurityGroupId, into.fromPort, into.toPort], [dbGroupId, usersGroup.id, 5432, 5432]);
        const egress = harness.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map(inputs).filter((rule) => rule.securityGroupId === usersGroup.id);
        assert.deepEqual(egress.map((rule) => `${rule.referencedSecurityGroupId ?? rule.cidrIpv4}:${rule.fromPort}`).sort(), ["0.0.0.0/0:443", `${dbGroupId}:5432`]);
        assert.equal(harness.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((rule) => inputs(rule).securityGroupId === usersGroup.id).length, 0);
    });

    it("invokes the function at deploy time with ARNs and names only, re-run by its triggers, after the database and the network path exist", async () => {
        const run = get("aws:lambda/invocation:Invocation", "prod-db-users-run");
        const event = JSON.parse(inputs(run).input);
        const appSecretArn = get("aws:secretsmanager/secret:Secret", "prod-db-app-secret").computed?.arn;
        assert.deepEqual(event, {
            engine: "postgres",
            host: await valueOf(prod.host),
            port: 5432,
            database: "app",
            username: "app_user",
            masterSecretArn: await valueOf(prod.masterSecretArn),
            appSecretArn,
        });
        assert.doesNotMatch(inputs(run).input, /password/i);
        assert.deepEqual(inputs(run).triggers, {
            instance: "db-PROD-DB-INSTANCE",
            username: "app_user",
            appSecret: appSecretArn,
            masterSecret: await valueOf(prod.masterSecretArn),
            code: "c29tZS1oYXNo",
        });
        assert.equal(inputs(run).functionName, get("aws:lambda/function:Function", "prod-db-users").computed?.name);
        for (const [type, name] of [
            ["aws:rds/instance:Instance", "prod-db-instance"],
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "prod-db-from-users"],
            ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "prod-db-users-to-db"],
        ]) {
            assert.ok(run.options.dependsOn.includes(get(type, name).urn), name);
        }
    });

    it("lets the function read the master secret, write only the app secret, and decrypt only through Secrets Manager", async () => {
        const appSecretArn = get("aws:secretsmanager/secret:Secret", "prod-db-app-secret").computed?.arn;
        const masterSecretArn = await valueOf(prod.masterSecretArn);
        const statements = statementsOf("prod-db-users-access");
        const pairs = statements.flatMap((s) => s.Action.flatMap((action) => s.Resource.map((resource) => `${action} ${resource}`))).sort();
        assert.deepEqual(pairs, [
            `kms:Decrypt ${MASTER_KEY}`,
            "secretsmanager:GetRandomPassword *",
            `secretsmanager:GetSecretValue ${appSecretArn}`,
            `secretsmanager:GetSecretValue ${masterSecretArn}`,
            `secretsmanager:PutSecretValue ${appSecretArn}`,
        ].sort());
        const decrypt = statements.find((s) => s.Action.includes("kms:Decrypt"));
        assert.deepEqual(decrypt?.Condition, { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] } });
        const role = get("aws:iam/role:Role", "prod-db-users-role");
        assert.equal(JSON.parse(inputs(role).assumeRolePolicy).Statement[0].Principal.Service, "lambda.amazonaws.com");
        const attached = harness.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(inputs).filter((a) => a.role === role.computed?.name).map((a) => a.policyArn);
        assert.deepEqual(attached, ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]);
    });

    it("hands the app its own user and secret, and keeps the master apart", async () => {
        const env = prod.appEnvironment();
        assert.equal(await valueOf(env.DB_USER), "app_user");
        assert.equal(await valueOf(env.DB_PASSWORD_SECRET_ARN), get("aws:secretsmanager/secret:Secret", "prod-db-app-secret").computed?.arn);
        assert.notEqual(await valueOf(env.DB_PASSWORD_SECRET_ARN), await valueOf(prod.masterSecretArn));
        assert.equal(await valueOf(prod.masterUsername), "app");
        assert.equal(inputs(get("aws:rds/instance:Instance", "prod-db-instance")).username, "app", "the master user name is unchanged, so no instance replacement");
        assert.equal(JSON.parse(inputs(get("aws:lambda/invocation:Invocation", "dev-db-users-run")).input).username, "shop");
    });

    it("bundles the engine's client and its dependencies, not the other engine's", () => {
        const postgres = Object.keys(bundleLayout("postgres"));
        assert.ok(postgres.includes("index.js") && postgres.includes("statements.js") && postgres.includes("secrets.js"));
        for (const pkg of runtimePackages("pg").keys()) assert.ok(postgres.includes(`node_modules/${pkg}`), pkg);
        assert.ok(postgres.includes("node_modules/pg-protocol"));
        assert.ok(!postgres.includes("node_modules/mysql2"));
        const mariadb = Object.keys(bundleLayout("mariadb"));
        assert.ok(mariadb.includes("node_modules/mysql2") && mariadb.includes("node_modules/iconv-lite"));
        assert.ok(!mariadb.includes("node_modules/pg"));
    });

    it("turns on Enhanced Monitoring (60 s, with RDS's role) and IAM authentication in production only", () => {
        const prodDb = inputs(get("aws:rds/instance:Instance", "prod-db-instance"));
        const monitoringRole = get("aws:iam/role:Role", "prod-db-monitoring-role");
        assert.equal(prodDb.monitoringInterval, 60);
        assert.equal(prodDb.monitoringRoleArn, monitoringRole.computed?.arn);
        assert.equal(prodDb.iamDatabaseAuthenticationEnabled, true);
        assert.equal(JSON.parse(inputs(monitoringRole).assumeRolePolicy).Statement[0].Principal.Service, "monitoring.rds.amazonaws.com");
        assert.equal(inputs(get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "prod-db-monitoring-policy")).policyArn, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        const devDb = inputs(get("aws:rds/instance:Instance", "dev-db-instance"));
        assert.equal(devDb.monitoringInterval, 0);
        assert.equal(devDb.monitoringRoleArn, undefined);
        assert.equal(devDb.iamDatabaseAuthenticationEnabled, false);
        assert.equal(harness.ofType("aws:iam/role:Role").filter((r) => r.name === "dev-db-monitoring-role").length, 0);
    });

    it("ec2 mode has no database-users function and no master secret output", async () => {
        assert.deepEqual(harness.resources.filter((r) => r.name.startsWith("ec2-db-users")).map((r) => r.name), []);
        assert.equal(await valueOf(ec2.masterSecretArn), undefined);
        assert.equal(await valueOf(ec2.masterUsername), undefined);
        assert.equal(harness.ofType("aws:secretsmanager/secret:Secret").filter((r) => r.name === "ec2-db-app-secret").length, 0);
    });
});

describe("ManagedDatabase args: application user and monitoring", () => {
    const base = { mode: "rds" as const, ...network };
    const settingOf = (fn: () => unknown) => {
        try {
            fn();
        } catch (error) {
            return (error as { setting?: string }).setting;
        }
        return "no error";
    };

    it("defaults: app_user; monitoring 60 s and IAM auth in production, off in development", () => {
        const prod = resolveManagedDatabaseArgs(base);
        assert.deepEqual([prod.appUsername, prod.monitoringInterval, prod.iamAuthentication], ["app_user", 60, true]);
        const dev = resolveManagedDatabaseArgs({ ...base, preset: "development" });
        assert.deepEqual([dev.monitoringInterval, dev.iamAuthentication], [0, false]);
        const devOn = resolveManagedDatabaseArgs({ ...base, preset: "development", monitoringInterval: 30, iamAuthentication: true });
        assert.deepEqual([devOn.monitoringInterval, devOn.iamAuthentication], [30, true]);
    });

    it("refuses an app user equal to the master user, a bad name, a bad interval, a non-boolean IAM switch", () => {
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, username: "shop", appUsername: "SHOP" })), "appUsername");
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, appUsername: "app-user" })), "appUsername");
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, engine: "mysql", appUsername: "a_very_long_user_name" })), "appUsername");
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, appUsername: "rdsadmin" })), "appUsername");
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, monitoringInterval: 45 })), "monitoringInterval");
        assert.equal(settingOf(() => resolveManagedDatabaseArgs({ ...base, iamAuthentication: "yes" as unknown as boolean })), "iamAuthentication");
        // ec2 mode: username is the app user, appUsername unused, so equal names are fine.
        assert.equal(resolveManagedDatabaseArgs({ ...base, mode: "ec2", engine: "postgres", username: "shop", appUsername: "shop" }).username, "shop");
    });
});
