import * as assert from "node:assert/strict";
import { ManagedDatabase } from "../../components/managed-database";
import { Harness, RecordedResource, valueOf } from "../../components/testing";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

describe("ManagedDatabase rds mode", () => {
    let harness: Harness;
    let prod: ManagedDatabase;
    let dev: ManagedDatabase;
    const instance = (name: string) => harness.get("aws:rds/instance:Instance", `${name}-instance`);
    const inputs = (resource: RecordedResource) => harness.inputsOf(resource);

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "prod" });
        prod = new ManagedDatabase("prod-db", { mode: "rds", ...network });
        dev = new ManagedDatabase("dev-db", { mode: "rds", engine: "mysql", size: "micro", preset: "development", ...network });
        prod.allowFrom("web", "sg-0feedbee");
        await harness.settled();
    });

    it("names its children after the component", () => {
        const component = harness.get("webstack:index:ManagedDatabase", "prod-db");
        assert.deepEqual(harness.childrenOf(component).map((r) => `${r.type} ${r.name}`).sort(), [
            "aws:cloudwatch/logGroup:LogGroup prod-db-log-postgresql",
            "aws:cloudwatch/logGroup:LogGroup prod-db-log-upgrade",
            "aws:cloudwatch/logGroup:LogGroup prod-db-users-logs",
            "aws:ec2/securityGroup:SecurityGroup prod-db-sg",
            "aws:ec2/securityGroup:SecurityGroup prod-db-users-sg",
            "aws:iam/role:Role prod-db-monitoring-role",
            "aws:iam/role:Role prod-db-users-role",
            "aws:lambda/function:Function prod-db-users",
            "aws:lambda/invocation:Invocation prod-db-users-run",
            "aws:rds/instance:Instance prod-db-instance",
            "aws:rds/parameterGroup:ParameterGroup prod-db-params",
            "aws:rds/subnetGroup:SubnetGroup prod-db-subnets",
            "aws:secretsmanager/secret:Secret prod-db-app-secret",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule prod-db-users-https-out",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule prod-db-users-to-db",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule prod-db-client-0",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule prod-db-from-users",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule prod-db-from-web",
        ]);
    });

    it("is private, encrypted, TLS-only, with RDS keeping the password", () => {
        for (const name of ["prod-db", "dev-db"]) {
            const db = inputs(instance(name));
            assert.equal(db.publiclyAccessible, false, name);
            assert.equal(db.storageEncrypted, true, name);
            assert.equal(db.storageType, "gp3", name);
            assert.equal(db.manageMasterUserPassword, true, name);
            assert.equal(db.password, undefined, name);
            assert.equal(db.copyTagsToSnapshot, true, name);
            assert.equal(db.autoMinorVersionUpgrade, true, name);
            assert.ok(db.maxAllocatedStorage > db.allocatedStorage, `${name}: storage autoscaling`);
        }
        assert.deepEqual(inputs(harness.get("aws:rds/subnetGroup:SubnetGroup", "prod-db-subnets")).subnetIds, network.subnetIds);
        assert.deepEqual(inputs(harness.get("aws:rds/parameterGroup:ParameterGroup", "prod-db-params")).parameters, [{ name: "rds.force_ssl", value: "1" }]);
        const mysqlParams = inputs(harness.get("aws:rds/parameterGroup:ParameterGroup", "dev-db-params"));
        assert.equal(mysqlParams.family, "mysql8.0");
        assert.deepEqual(mysqlParams.parameters, [{ name: "require_secure_transport", value: "1" }]);
    });

    it("in production: deletion protection, a unique final snapshot, protect, Multi-AZ, 14 days of backups", () => {
        const db = instance("prod-db");
        const settings = inputs(db);
        assert.equal(settings.deletionProtection, true);
        assert.equal(settings.skipFinalSnapshot, false);
        assert.match(settings.finalSnapshotIdentifier, /^prod-db-final-[0-9a-z]+$/);
        assert.equal(settings.multiAz, true);
        assert.ok(settings.backupRetentionPeriod >= 7);
        assert.equal(settings.deleteAutomatedBackups, false);
        assert.equal(db.options.protect, true);
        assert.equal(db.options.retainOnDelete, true);
        assert.ok(db.options.ignoreChanges.includes("finalSnapshotIdentifier"));
        assert.equal(settings.performanceInsightsEnabled, true);
        assert.deepEqual(settings.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
        assert.equal(settings.instanceClass, "db.t4g.small");
    });

    it("in development: single AZ, short backups, no final snapshot, unprotected", () => {
        const db = instance("dev-db");
        const settings = inputs(db);
        assert.equal(settings.multiAz, false);
        assert.equal(settings.deletionProtection, false);
        assert.equal(settings.skipFinalSnapshot, true);
        assert.equal(settings.backupRetentionPeriod, 1);
        assert.equal(db.options.protect, false);
        // MySQL on db.t4g.micro has no Performance Insights (RDS User Guide).
        assert.equal(settings.performanceInsightsEnabled, false);
        assert.deepEqual(settings.enabledCloudwatchLogsExports, ["error", "slowquery"]);
    });

    it("opens only the engine port, only to the client groups", async () => {
        const sg = harness.get("aws:ec2/securityGroup:SecurityGroup", "prod-db-sg");
        assert.equal(inputs(sg).ingress, undefined);
        assert.equal(inputs(sg).vpcId, network.vpcId);
        const sgId = await valueOf(prod.securityGroupId);
        for (const [rule, client] of [["prod-db-client-0", "sg-0a1b2c3d"], ["prod-db-from-web", "sg-0feedbee"]]) {
            const settings = inputs(harness.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", rule));
            assert.deepEqual(
                { from: settings.fromPort, to: settings.toPort, protocol: settings.ipProtocol, client: settings.referencedSecurityGroupId, group: settings.securityGroupId, cidr: settings.cidrIpv4 },
                { from: 5432, to: 5432, protocol: "tcp", client, group: sgId, cidr: undefined },
            );
        }
        assert.equal(inputs(harness.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "dev-db-client-0")).fromPort, 3306);
        const egressOfDatabase = harness.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((rule) => inputs(rule).securityGroupId === sgId);
        assert.deepEqual(egressOfDatabase, [], "an RDS database needs no egress");
    });

    it("exposes the endpoint and the app user's secret, the env vars by reference, and the RDS-managed master secret apart", async () => {
        assert.match(await valueOf(prod.host), /\.eu-west-1\.rds\.amazonaws\.com$/);
        assert.equal(await valueOf(prod.port), 5432);
        const secretArn = await valueOf(prod.passwordSecretArn);
        assert.equal(secretArn, harness.get("aws:secretsmanager/secret:Secret", "prod-db-app-secret").computed?.arn);
        assert.match(String(await valueOf(prod.masterSecretArn)), /^arn:aws:secretsmanager:eu-west-1:\d+:secret:rds!db-/);
        assert.equal(await valueOf(prod.masterUsername), "app");
        const env = prod.appEnvironment();
        assert.deepEqual(
            {
                DB_ENGINE: await valueOf(env.DB_ENGINE),
                DB_HOST: await valueOf(env.DB_HOST),
                DB_PORT: await valueOf(env.DB_PORT),
                DB_NAME: await valueOf(env.DB_NAME),
                DB_USER: await valueOf(env.DB_USER),
                DB_PASSWORD_SECRET_ARN: await valueOf(env.DB_PASSWORD_SECRET_ARN),
            },
            { DB_ENGINE: "postgres", DB_HOST: await valueOf(prod.host), DB_PORT: "5432", DB_NAME: "app", DB_USER: "app_user", DB_PASSWORD_SECRET_ARN: secretArn },
        );
        assert.equal(await valueOf(dev.port), 3306);
    });

    it("tags every taggable resource", () => {
        // Role policies, policy attachments and Lambda invocations take no tags in AWS.
        const untaggable = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:lambda/invocation:Invocation"];
        for (const resource of harness.descendantsOf(harness.get("webstack:index:ManagedDatabase", "prod-db")).filter((r) => !untaggable.includes(r.type))) {
            const tags = inputs(resource).tags;
            assert.equal(tags?.component, "managed-database", `${resource.name} tags`);
            assert.equal(tags?.stage, "prod", `${resource.name} tags`);
            assert.equal(tags?.["managed-by"], "pulumi", `${resource.name} tags`);
        }
    });

    it("fails on bad input before registering anything", async () => {
        assert.throws(() => new ManagedDatabase("bad", { ...network, subnetIds: ["subnet-aaaa"] }), (error: { setting?: string }) => error.setting === "subnetIds");
        assert.throws(() => new ManagedDatabase("worse", { ...network, mode: "ec2", engine: "oracle" as "mysql" }), (error: { setting?: string }) => error.setting === "engine");
        await harness.settled();
        assert.deepEqual(harness.resources.filter((r) => /^(bad|worse)/.test(r.name)).map((r) => r.name), []);
    });
});
