/**
 * The database-users function for real against MariaDB (the MySQL code
 * path, mysql2): a loopback server requiring TLS, and moto as Secrets
 * Manager. Skipped when `mariadb-server` is not installed.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as mysql from "mysql2/promise";
import { startMoto, SecretsEmulator } from "./database-sandbox";
import { copyBundle, invokeBundle } from "./database-users-runner";
import { MARIADB_DATABASE, MARIADB_MASTER, mariadbAvailable, MariadbSandbox, startMariadbSandbox } from "./mariadb-sandbox";

describe("database-users function against a real MariaDB (TLS) and a Secrets Manager emulator", function () {
    this.timeout(120000);
    let server: MariadbSandbox;
    let moto: SecretsEmulator;
    let bundle: string;
    let masterSecretArn: string;
    let appSecretArn: string;

    const event = () => ({ engine: "mariadb", host: "127.0.0.1", port: server.port, database: MARIADB_DATABASE, username: "shop", masterSecretArn, appSecretArn });
    const invoke = () => invokeBundle(bundle, moto.endpoint, server.caFile, event());
    const appSecret = async () => JSON.parse((await moto.secrets("GetSecretValue", { SecretId: appSecretArn })).SecretString);
    const connectAsApp = async (password: string, ssl = true) =>
        mysql.createConnection({ host: "127.0.0.1", port: server.port, user: "shop", password, database: MARIADB_DATABASE, ...(ssl ? { ssl: { ca: fs.readFileSync(server.caFile, "utf8") } } : {}) });

    before(async function () {
        if (!mariadbAvailable()) this.skip();
        server = await startMariadbSandbox();
        moto = await startMoto();
        bundle = copyBundle("mariadb");
        masterSecretArn = (await moto.secrets("CreateSecret", { Name: "rds!db-master", SecretString: JSON.stringify(MARIADB_MASTER) })).ARN;
        appSecretArn = (await moto.secrets("CreateSecret", { Name: "db-app-secret" })).ARN;
    });

    after(async () => {
        if (bundle) fs.rmSync(bundle, { recursive: true, force: true });
        moto?.stop();
        if (server) await server.stop();
    });

    it("creates the user, TLS required, with exactly the app's privileges on its own database, and returns no secret", async () => {
        const run = invoke();
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.result, { username: "shop", database: MARIADB_DATABASE, action: "created", secretWritten: true, grantStatements: 2 });
        const secret = await appSecret();
        assert.ok(!run.stdout.includes(secret.password));
        const grants = server.rootQuery("SHOW GRANTS FOR 'shop'@'%'").split("\n").map((line) => line.replace(/ IDENTIFIED BY PASSWORD '[^']*'/, ""));
        assert.deepEqual(grants.sort(), ["GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER ON `app`.* TO `shop`@`%`", "GRANT USAGE ON *.* TO `shop`@`%` REQUIRE SSL"].sort());
        assert.match(server.rootQuery("SHOW CREATE USER 'shop'@'%'"), /REQUIRE SSL/);

        const app = await connectAsApp(secret.password);
        await app.query("CREATE TABLE orders (id int PRIMARY KEY, item text)");
        await app.query("INSERT INTO orders VALUES (1, 'tea')");
        const [rows] = await app.query("SELECT item FROM orders");
        assert.equal((rows as Array<{ item: string }>)[0].item, "tea");
        await assert.rejects(app.query("CREATE USER 'intruder'@'%'"), /denied/);
        await assert.rejects(app.query("SELECT * FROM mysql.user"), /denied/);
        await assert.rejects(app.query("SELECT 1 FROM other_app.dual_missing"), /denied/);
        await assert.rejects(app.query("GRANT SELECT ON app.* TO 'shop'@'%'"), /denied/);
        await app.end();
        await assert.rejects(connectAsApp(secret.password, false), /denied|secure transport|SSL/i, "no TLS, no login");
    });

    it("changes nothing on a second run", async () => {
        const before = { secret: await appSecret(), hash: server.rootQuery("SELECT authentication_string FROM mysql.user WHERE User = 'shop'") };
        const run = invoke();
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.result.action, "unchanged");
        assert.equal(run.result.secretWritten, false);
        assert.deepEqual(await appSecret(), before.secret);
        assert.equal(server.rootQuery("SELECT authentication_string FROM mysql.user WHERE User = 'shop'"), before.hash);
    });
});
