import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { ManagedDatabase } from "../../components/managed-database";
import { ManagedDatabaseArgs, resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { defaultRdsIdentifier, rdsIdentifier } from "../../components/managed-database/naming";
import { Harness } from "../../components/testing";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

function settingOf(args: Partial<ManagedDatabaseArgs>): string {
    try {
        resolveManagedDatabaseArgs({ ...network, ...args } as ManagedDatabaseArgs);
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.setting;
    }
    assert.fail(`${JSON.stringify(args)} was accepted`);
}

/** Issue 9 items 3 (major version upgrades) and 7 (log groups with a retention). */
describe("ManagedDatabase rds mode: major upgrades and log groups", () => {
    let harness: Harness;
    const instance = (name: string) => harness.get("aws:rds/instance:Instance", `${name}-instance`);
    const inputs = (name: string) => harness.inputsOf(instance(name));

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "prod" });
        new ManagedDatabase("prod-db", { mode: "rds", ...network });
        new ManagedDatabase("upgraded", { mode: "rds", version: "17", allowMajorVersionUpgrade: true, preset: "development", ...network });
        new ManagedDatabase("shop-db", { mode: "rds", engine: "mysql", preset: "development", logRetentionDays: 7, ...network });
        await harness.settled();
    });

    it("allows a major version upgrade only when asked, and the plan shows which", () => {
        assert.equal(inputs("prod-db").allowMajorVersionUpgrade, false);
        assert.equal(inputs("upgraded").allowMajorVersionUpgrade, true);
        assert.equal(inputs("upgraded").engineVersion, "17");
        assert.equal(harness.inputsOf(harness.get("aws:rds/parameterGroup:ParameterGroup", "upgraded-params")).family, "postgres17");
    });

    it("lets the parameter group be replaced create-first: AWS names it, so the new family's group gets a new name", () => {
        // A major upgrade changes the family, which replaces the group; with a
        // fixed name the new group could not exist beside the old one, which
        // the instance still uses until it moves to the new one.
        const group = harness.get("aws:rds/parameterGroup:ParameterGroup", "prod-db-params");
        assert.equal(harness.inputsOf(group).name, undefined);
        assert.equal(group.options.deleteBeforeReplace, false);
    });

    it("names the instance explicitly, from the stack and component names, by RDS's rules", () => {
        // Stack "prod": a name that starts with the stack is kept, others get it as a prefix,
        // so the same component in two stacks of one account does not collide.
        assert.equal(inputs("prod-db").identifier, "prod-db");
        assert.equal(inputs("upgraded").identifier, "prod-upgraded");
        assert.equal(inputs("shop-db").identifier, "prod-shop-db");
        assert.equal(defaultRdsIdentifier("db", "dev"), "dev-db");
        assert.notEqual(defaultRdsIdentifier("db", "dev"), defaultRdsIdentifier("db", "prod"));
        assert.equal(defaultRdsIdentifier("db"), "db");
        assert.equal(rdsIdentifier("9_Prod__DB-"), "prod-db");
        assert.equal(rdsIdentifier("x".repeat(80)).length, 63);
        assert.match(defaultRdsIdentifier("y".repeat(80), "stack"), /^stack-y+$/);
        assert.equal(defaultRdsIdentifier("y".repeat(80), "stack").length, 63);
    });

    it("creates each exported log group first, with a retention", () => {
        for (const [name, logs, days] of [["prod-db", ["postgresql", "upgrade"], 365], ["upgraded", ["postgresql", "upgrade"], 30], ["shop-db", ["error", "slowquery"], 7]] as const) {
            const identifier = inputs(name).identifier;
            assert.deepEqual(inputs(name).enabledCloudwatchLogsExports, logs);
            for (const log of logs) {
                const group = harness.get("aws:cloudwatch/logGroup:LogGroup", `${name}-log-${log}`);
                // RDS writes to /aws/rds/instance/<identifier>/<log type> (RDS User Guide, "Publishing database logs to Amazon CloudWatch Logs").
                assert.equal(harness.inputsOf(group).name, `/aws/rds/instance/${identifier}/${log}`);
                assert.equal(harness.inputsOf(group).retentionInDays, days, `${name} ${log}`);
                assert.ok(instance(name).options.dependsOn.includes(group.urn), `${name} waits for ${log}`);
                assert.equal(harness.inputsOf(group).tags?.component, "managed-database");
            }
        }
        assert.equal(harness.get("aws:cloudwatch/logGroup:LogGroup", "prod-db-log-postgresql").options.retainOnDelete, true, "production logs outlive a retained instance");
    });

    it("validates the new settings", () => {
        assert.equal(settingOf({ logRetentionDays: 10 }), "logRetentionDays");
        assert.equal(settingOf({ logRetentionDays: 0 }), "logRetentionDays");
        assert.equal(settingOf({ allowMajorVersionUpgrade: "yes" as never }), "allowMajorVersionUpgrade");
        assert.equal(settingOf({ mode: "ec2", allowMajorVersionUpgrade: true }), "allowMajorVersionUpgrade");
        assert.equal(settingOf({ identifier: "1-bad--name" }), "identifier");
        assert.equal(resolveManagedDatabaseArgs({ ...network, identifier: "shop-main" }).identifier, "shop-main");
        assert.equal(resolveManagedDatabaseArgs({ ...network, preset: "development" }).logRetentionDays, 30);
        assert.equal(resolveManagedDatabaseArgs(network).logRetentionDays, 365);
    });
});
