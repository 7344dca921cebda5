import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { ManagedDatabase } from "../../components/managed-database";
import { resolveManagedDatabaseArgs } from "../../components/managed-database/args";
import { renderBootScript } from "../../components/managed-database/ec2/boot-script";
import { Harness, valueOf } from "../../components/testing";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-aaaa", "subnet-bbbb"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

/** Issue 9 item 8: MariaDB is an engine of its own; MySQL is never swapped for it. */
describe("ManagedDatabase engine mariadb", () => {
    let harness: Harness;
    let onRds: ManagedDatabase;
    let onEc2: ManagedDatabase;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "dev" });
        onRds = new ManagedDatabase("maria-rds", { mode: "rds", engine: "mariadb", preset: "development", ...network });
        onEc2 = new ManagedDatabase("maria-ec2", { mode: "ec2", engine: "mariadb", preset: "development", ...network });
        await harness.settled();
    });

    it("runs RDS for MariaDB with its own parameter family, TLS required, and its log exports", async () => {
        const settings = harness.inputsOf(harness.get("aws:rds/instance:Instance", "maria-rds-instance"));
        assert.equal(settings.engine, "mariadb");
        assert.equal(settings.engineVersion, "10.11");
        assert.equal(settings.port, 3306);
        const group = harness.inputsOf(harness.get("aws:rds/parameterGroup:ParameterGroup", "maria-rds-params"));
        assert.equal(group.family, "mariadb10.11");
        assert.deepEqual(group.parameters, [{ name: "require_secure_transport", value: "1" }]);
        assert.deepEqual(settings.enabledCloudwatchLogsExports, ["error", "slowquery"]);
        assert.equal(await valueOf(onRds.engine), "mariadb");
    });

    it("installs AL2023's MariaDB package of the asked version on EC2", async () => {
        const userData: string = harness.inputsOf(harness.get("aws:ec2/instance:Instance", "maria-ec2-instance")).userData;
        assert.match(userData, /^DB_ENGINE='mariadb'/m);
        assert.match(userData, /^DB_MAJOR_VERSION='10\.11'/m);
        assert.equal(await valueOf(onEc2.engine), "mariadb");
        assert.equal(resolveManagedDatabaseArgs({ ...network, mode: "ec2", engine: "mariadb", version: "10.5" }).majorVersion, "10.5");
        assert.equal(resolveManagedDatabaseArgs({ ...network, engine: "mariadb", version: "11.4.5" }).majorVersion, "11.4");
    });

    it("the boot script maps the version to the AL2023 package name", () => {
        const script = renderBootScript({ engine: "mariadb", majorVersion: "10.11", databaseName: "app", username: "app", port: 3306, secretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:x", volumeId: "vol-1", region: "eu-west-1" });
        assert.match(script, /dnf install -y "mariadb\$\{DB_MAJOR_VERSION\/\/\.\/\}-server"/);
        assert.match(script, /mariadb\) setup_mariadb/);
        assert.doesNotMatch(script, /mysql\) setup_/);
    });

    it("refuses mysql in ec2 mode, naming mariadb as the fix, instead of installing MariaDB silently", () => {
        assert.throws(
            () => resolveManagedDatabaseArgs({ ...network, mode: "ec2", engine: "mysql" }),
            (error: unknown) => error instanceof ConfigError && error.setting === "engine" && /mariadb/.test(error.fix) && error.value === "mysql",
        );
    });

    it("refuses a MariaDB version its mode does not offer", () => {
        assert.throws(() => resolveManagedDatabaseArgs({ ...network, mode: "ec2", engine: "mariadb", version: "11.4" }), (error: unknown) => error instanceof ConfigError && error.setting === "version");
        assert.throws(() => resolveManagedDatabaseArgs({ ...network, engine: "mariadb", version: "10.5" }), (error: unknown) => error instanceof ConfigError && error.setting === "version");
    });
});
