import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { ManagedDatabaseArgs, resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { finalSnapshotIdentifier } from "../../components/managed-database/naming";

const base: ManagedDatabaseArgs = {
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-aaaa", "subnet-bbbb"],
    allowedSecurityGroupIds: ["sg-0123abcd"],
};

function settingOf(change: Record<string, unknown>): string {
    try {
        resolveManagedDatabaseArgs({ ...base, ...change } as ManagedDatabaseArgs);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.setting;
    }
    assert.fail(`${JSON.stringify(change)} was accepted`);
}

describe("ManagedDatabase args", () => {
    it("defaults to a production PostgreSQL 16 on RDS", () => {
        const resolved = resolveManagedDatabaseArgs(base);
        assert.equal(resolved.mode, "rds");
        assert.equal(resolved.engine, "postgres");
        assert.equal(resolved.majorVersion, "16");
        assert.equal(resolved.port, 5432);
        assert.equal(resolved.production, true);
        assert.equal(resolved.multiAz, true);
        assert.equal(resolved.backupRetentionDays, 14);
        assert.equal(resolved.storageGb, 20);
        assert.equal(resolved.maxStorageGb, 100);
        assert.equal(resolved.databaseName, "app");
        assert.equal(resolved.username, "app");
        assert.equal(resolved.architecture, "arm64");
    });

    it("the development preset drops only the cost-heavy choices", () => {
        const resolved = resolveManagedDatabaseArgs({ ...base, preset: "development" });
        assert.equal(resolved.production, false);
        assert.equal(resolved.multiAz, false);
        assert.equal(resolved.backupRetentionDays, 1);
    });

    it("mysql and mariadb get their own port and default version; ec2 mode never has Multi-AZ", () => {
        const mysql = resolveManagedDatabaseArgs({ ...base, engine: "mysql" });
        assert.equal(mysql.port, 3306);
        assert.equal(mysql.majorVersion, "8.0");
        const mariadb = resolveManagedDatabaseArgs({ ...base, engine: "mariadb", mode: "ec2" });
        assert.equal(mariadb.port, 3306);
        assert.equal(mariadb.majorVersion, "10.11");
        assert.equal(mariadb.multiAz, false);
    });

    it("accepts full versions and reads their major version", () => {
        assert.equal(resolveManagedDatabaseArgs({ ...base, version: "15.7" }).majorVersion, "15");
        assert.equal(resolveManagedDatabaseArgs({ ...base, engine: "mysql", version: "8.4.3" }).majorVersion, "8.4");
    });

    const badInputs: Array<[string, Record<string, unknown>, string]> = [
        ["unknown engine", { engine: "oracle" }, "engine"],
        ["unknown mode", { mode: "aurora" }, "mode"],
        ["unknown size", { size: "huge" }, "size"],
        ["unknown preset", { preset: "prod" }, "preset"],
        ["unknown architecture", { mode: "ec2", architecture: "sparc" }, "architecture"],
        ["version RDS does not offer", { version: "9.6" }, "version"],
        ["version AL2023 does not package (ec2)", { mode: "ec2", version: "13" }, "version"],
        ["version that is not a number", { version: "latest" }, "version"],
        ["storage below the engine minimum", { storageGb: 10 }, "storageGb"],
        ["storage above the gp3 maximum", { storageGb: 70000 }, "storageGb"],
        ["fractional storage", { storageGb: 20.5 }, "storageGb"],
        ["autoscaling ceiling under 10 % above storage", { storageGb: 100, maxStorageGb: 105 }, "maxStorageGb"],
        ["backup retention above 35", { backupRetentionDays: 36 }, "backupRetentionDays"],
        ["backup retention of 0", { preset: "development", backupRetentionDays: 0 }, "backupRetentionDays"],
        ["backup retention under 7 in production", { backupRetentionDays: 3 }, "backupRetentionDays"],
        ["one subnet", { subnetIds: ["subnet-aaaa"] }, "subnetIds"],
        ["the same subnet twice", { subnetIds: ["subnet-aaaa", "subnet-aaaa"] }, "subnetIds"],
        ["no client groups", { allowedSecurityGroupIds: [] }, "allowedSecurityGroupIds"],
        ["a client given as a CIDR block", { allowedSecurityGroupIds: ["10.0.0.0/16"] }, "allowedSecurityGroupIds"],
        ["no VPC", { vpcId: undefined }, "vpcId"],
        ["database name starting with a digit", { databaseName: "1app" }, "databaseName"],
        ["reserved database name", { databaseName: "template1" }, "databaseName"],
        ["reserved user name", { username: "rdsadmin" }, "username"],
        ["user name too long for mysql", { engine: "mysql", username: "a_very_long_user_name" }, "username"],
        ["Multi-AZ asked of the ec2 mode", { mode: "ec2", multiAz: true }, "multiAz"],
    ];
    for (const [label, change, setting] of badInputs) {
        it(`rejects ${label}, naming ${setting}`, () => {
            assert.equal(settingOf(change), setting);
        });
    }

    it("says what to do in the message", () => {
        assert.throws(() => resolveManagedDatabaseArgs({ ...base, backupRetentionDays: 40 }), /Invalid backupRetentionDays = 40: .*Fix: set backupRetentionDays to 35 or less/);
    });
});

describe("ManagedDatabase final snapshot name", () => {
    it("follows RDS's identifier rules and changes with the creation time", () => {
        const first = finalSnapshotIdentifier("9_Prod__DB-", new Date(1_700_000_000_000));
        assert.match(first, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
        assert.equal(first, `prod-db-final-${(1_700_000_000_000).toString(36)}`);
        assert.notEqual(finalSnapshotIdentifier("db", new Date(1)), finalSnapshotIdentifier("db", new Date(2)));
    });
});
