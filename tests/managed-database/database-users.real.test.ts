/**
 * The database-users function for real: its bundle (bundle.ts) copied to a
 * folder outside the repository, run with Node against a loopback
 * PostgreSQL that requires TLS (self-signed certificate trusted through
 * NODE_EXTRA_CA_CERTS, as the function trusts the RDS CAs in Lambda) and a
 * Secrets Manager emulator (moto). Skipped when PostgreSQL is not installed
 * (.ci/run installs Debian's `postgresql`).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Client } from "pg";
import { copyBundle, invokeBundle } from "./database-users-runner";
import { DATABASE, DatabaseSandbox, MASTER, postgresAvailable, startDatabaseSandbox } from "./database-sandbox";

describe("database-users function against a real PostgreSQL (TLS) and a Secrets Manager emulator", function () {
    this.timeout(120000);
    let sandbox: DatabaseSandbox;
    let bundle: string;
    let masterSecretArn: string;
    let appSecretArn: string;

    const event = (overrides: Record<string, unknown> = {}) => ({
        engine: "postgres",
        host: "localhost",
        port: sandbox.port,
        database: DATABASE,
        username: "app_user",
        masterSecretArn,
        appSecretArn,
        ...overrides,
    });
    const invoke = (input: Record<string, unknown>, env: Record<string, string> = {}) => invokeBundle(bundle, sandbox.motoEndpoint, sandbox.caFile, input, env);
    const appSecret = async (arn = appSecretArn) => JSON.parse((await sandbox.secrets("GetSecretValue", { SecretId: arn })).SecretString);
    const versionCount = async (arn = appSecretArn) => (await sandbox.secrets("ListSecretVersionIds", { SecretId: arn })).Versions.length;
    const connectAs = async (user: string, password: string) => {
        const client = new Client({ host: "localhost", port: sandbox.port, user, password, database: DATABASE, ssl: { ca: fs.readFileSync(sandbox.caFile, "utf8") } });
        await client.connect();
        return client;
    };
    const refused = async (client: Client, sql: string, message: RegExp) => {
        await assert.rejects(client.query(sql), (error: Error) => message.test(error.message), sql);
    };

    before(async function () {
        if (!postgresAvailable()) this.skip();
        sandbox = await startDatabaseSandbox();
        bundle = copyBundle("postgres");
        masterSecretArn = (await sandbox.secrets("CreateSecret", { Name: "rds!db-master", SecretString: JSON.stringify(MASTER) })).ARN;
        // As the component creates it: no value.
        appSecretArn = (await sandbox.secrets("CreateSecret", { Name: "db-app-secret" })).ARN;
    });

    after(async () => {
        if (bundle) fs.rmSync(bundle, { recursive: true, force: true });
        if (sandbox) await sandbox.stop();
    });

    it("refuses a server certificate it cannot verify (TLS is verified, not just on)", async () => {
        const run = invoke(event(), { NODE_EXTRA_CA_CERTS: "" });
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /self[- ]signed certificate/i);
        // The secret was written before the connection failed: a half-failed run, which the next test converges.
        assert.equal(await versionCount(), 1);
    });

    it("creates the user with the secret's password, and returns no secret", async () => {
        const run = invoke(event());
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.result, { username: "app_user", database: DATABASE, action: "created", secretWritten: false, grantStatements: 7 });
        const secret = await appSecret();
        assert.deepEqual(Object.keys(secret).sort(), ["dbname", "engine", "host", "password", "port", "username"]);
        assert.match(secret.password, /^[A-Za-z0-9]{32}$/);
        assert.ok(!run.stdout.includes(secret.password) && !run.stdout.includes(MASTER.password), "the result holds no password");
        assert.ok(!JSON.stringify(event()).includes(secret.password), "the input holds no password");
        // The server stored a SCRAM verifier; the plain password never reached it in a statement.
        assert.match(sandbox.superuserQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'app_user'"), /^SCRAM-SHA-256\$4096:/);
        assert.ok(!fs.readFileSync(path.join(sandbox.directory, "postgres.log"), "utf8").includes(secret.password));
        const app = await connectAs("app_user", secret.password);
        assert.equal((await app.query("SELECT current_user AS who, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0].ssl, true);
        await app.end();
    });

    it("grants exactly what an app needs, and nothing an administrator has", async () => {
        const secret = await appSecret();
        const master = await connectAs(MASTER.username, MASTER.password);
        await master.query("CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, item text)");
        await master.end();
        const attributes = sandbox.superuserQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'app_user'");
        assert.equal(attributes, "f|f|f|f|f|t");
        assert.equal(sandbox.superuserQuery("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'app_user'"), "0", "member of no role");
        assert.equal(sandbox.superuserQuery("SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'app_user' AND table_name = 'orders'"), "DELETE,INSERT,SELECT,UPDATE");
        assert.equal(sandbox.superuserQuery("SELECT has_database_privilege('app_user', 'app', 'CONNECT'), has_database_privilege('app_user', 'app', 'CREATE'), has_schema_privilege('app_user', 'public', 'CREATE')"), "t|f|t");

        const app = await connectAs("app_user", secret.password);
        // What an app does: rows in the master's tables (via default privileges too), and its own migrations.
        await app.query("INSERT INTO orders (item) VALUES ('tea')");
        assert.equal((await app.query("SELECT item FROM orders")).rows[0].item, "tea");
        await app.query("CREATE TABLE app_migrations (version int)");
        await app.query("DROP TABLE app_migrations");
        // What it cannot do.
        await refused(app, "CREATE ROLE intruder", /permission denied/);
        await refused(app, "CREATE DATABASE other", /permission denied/);
        await refused(app, "SELECT rolpassword FROM pg_authid", /permission denied/);
        await refused(app, "DROP TABLE orders", /must be owner/);
        await refused(app, "ALTER TABLE orders ADD COLUMN x int", /must be owner/);
        await refused(app, "ALTER ROLE app_user CREATEROLE", /permission denied/);
        await refused(app, "CREATE SCHEMA other", /permission denied/);
        await app.end();
    });

    it("changes nothing on a second run", async () => {
        const before = { secret: await appSecret(), versions: await versionCount(), verifier: sandbox.superuserQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'app_user'") };
        const run = invoke(event());
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.result, { username: "app_user", database: DATABASE, action: "unchanged", secretWritten: false, grantStatements: 7 });
        assert.deepEqual(await appSecret(), before.secret);
        assert.equal(await versionCount(), before.versions, "no new secret version");
        assert.equal(sandbox.superuserQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'app_user'"), before.verifier, "the password was not touched");
    });

    it("puts a revoked grant back on the next run", async () => {
        sandbox.superuserQuery("REVOKE INSERT ON orders FROM app_user");
        assert.equal(invoke(event()).status, 0);
        assert.equal(sandbox.superuserQuery("SELECT has_table_privilege('app_user', 'orders', 'INSERT')"), "t");
    });

    it("converges after a run that failed halfway (secret written, user not created)", async () => {
        const fresh = (await sandbox.secrets("CreateSecret", { Name: "db-app-secret-2" })).ARN;
        const failed = invoke(event({ appSecretArn: fresh, username: "app_user2" }), { FAIL_CONNECT: "1" });
        assert.notEqual(failed.status, 0);
        assert.match(failed.stderr, /injected/);
        const written = await appSecret(fresh);
        assert.equal(sandbox.superuserQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'app_user2'"), "0");
        const run = invoke(event({ appSecretArn: fresh, username: "app_user2" }));
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.result.action, "created");
        assert.deepEqual(await appSecret(fresh), written, "the password written by the failed run is the one used");
        await (await connectAs("app_user2", written.password)).end();
    });

    it("sets the existing user's password when its secret is new (e.g. the secret was recreated)", async () => {
        const old = await appSecret();
        const recreated = (await sandbox.secrets("CreateSecret", { Name: "db-app-secret-3" })).ARN;
        const run = invoke(event({ appSecretArn: recreated }));
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.result.action, "password-set");
        const now = await appSecret(recreated);
        assert.notEqual(now.password, old.password);
        await (await connectAs("app_user", now.password)).end();
        await assert.rejects(connectAs("app_user", old.password), /password authentication failed/);
    });
});
