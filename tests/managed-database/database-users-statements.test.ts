import * as assert from "node:assert/strict";
import { format } from "mysql2";

// Plain CommonJS modules shipped in the Lambda zip.
const statements = require("../../components/managed-database/database-users/statements.js");
const { ensureAppUser } = require("../../components/managed-database/database-users/handler.js");
const { secretsClient } = require("../../components/managed-database/database-users/secrets.js");

type Sql = { sql: string; values: string[] };
const rendered = (statement: Sql) => format(statement.sql, statement.values);

describe("database-users statements: MySQL and MariaDB", () => {
    it("creates the user with a bound password, TLS required", () => {
        assert.equal(rendered(statements.mysql.createUser("shop", "pa'ss\\word")), "CREATE USER 'shop'@'%' IDENTIFIED BY 'pa\\'ss\\\\word' REQUIRE SSL");
        assert.equal(rendered(statements.mysql.setPassword("shop", "abc")), "ALTER USER 'shop'@'%' IDENTIFIED BY 'abc'");
        assert.equal(rendered(statements.mysql.userExists("shop")), "SELECT 1 FROM mysql.user WHERE User = 'shop' AND Host = '%'");
    });

    it("grants data and schema privileges on its own database only, nothing server-wide, no GRANT OPTION", () => {
        const grants = statements.mysql.grants("shop", "app").map(rendered);
        assert.deepEqual(grants, ["ALTER USER 'shop'@'%' REQUIRE SSL", "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON `app`.* TO 'shop'@'%'"]);
        for (const forbidden of [/\bALL\b/, /GRANT OPTION/, /\bFILE\b/, /\bSUPER\b/, /\bPROCESS\b/, /CREATE USER/, /\*\.\*/]) {
            assert.ok(!grants.some((statement: string) => forbidden.test(statement)), String(forbidden));
        }
    });

    it("refuses names that are not plain identifiers, so nothing can be injected", () => {
        for (const bad of ["x'; DROP DATABASE app; --", "a b", "", "1app", "app\"x"]) {
            assert.throws(() => statements.mysql.createUser(bad, "pw"), /not a plain identifier/, bad);
            assert.throws(() => statements.postgres.grants(bad, "app", "app"), /not a plain identifier/, bad);
            assert.throws(() => statements.postgres.grants("app_user", bad, "app"), /not a plain identifier/, bad);
        }
    });
});

describe("database-users statements: PostgreSQL", () => {
    it("sends a SCRAM-SHA-256 verifier, never the password", () => {
        const verifier = statements.scramVerifier("Secret123", Buffer.alloc(16, 1));
        assert.match(verifier, /^SCRAM-SHA-256\$4096:AQEBAQEBAQEBAQEBAQEBAQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
        const create = statements.postgres.createUser("app_user", verifier);
        assert.ok(!create.includes("Secret123"));
        assert.equal(create, `CREATE ROLE "app_user" LOGIN PASSWORD '${verifier}'`);
    });

    it("never grants a role, superuser, CREATEROLE or CREATEDB", () => {
        const all = statements.postgres.grants("app_user", "app", "admin").join("\n");
        assert.doesNotMatch(all, /(?<!NO)SUPERUSER|(?<!NO)CREATEROLE|(?<!NO)CREATEDB|rds_superuser|GRANT "?\w+"? TO/);
        assert.match(all, /ALTER DEFAULT PRIVILEGES FOR ROLE "admin" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "app_user"/);
    });
});

describe("database-users handler logic (fake Secrets Manager and database)", () => {
    function fakes(initial: Record<string, string | undefined>) {
        const values = { ...initial };
        const writes: string[] = [];
        const send = async (operation: string, input: any) => {
            if (operation === "GetSecretValue") {
                if (values[input.SecretId] === undefined) throw Object.assign(new Error("no value"), { name: "ResourceNotFoundException" });
                return { SecretString: values[input.SecretId] };
            }
            if (operation === "PutSecretValue") {
                writes.push(input.SecretId);
                values[input.SecretId] = input.SecretString;
                return {};
            }
            if (operation === "GetRandomPassword") return { RandomPassword: "Generated0Password0000000000000x" };
            throw new Error(operation);
        };
        const users = new Set<string>();
        const log: string[] = [];
        const connect = async () => ({
            userExists: async (user: string) => users.has(user),
            create: async (user: string) => {
                users.add(user);
                log.push(`create ${user}`);
            },
            setPassword: async (user: string) => log.push(`password ${user}`),
            grant: async () => 2,
            close: async () => undefined,
        });
        return { values, writes, users, log, deps: { secrets: secretsClient(send), connect } };
    }
    const event = { engine: "mariadb", host: "db.example", port: 3306, database: "app", username: "shop", masterSecretArn: "arn:master", appSecretArn: "arn:app" };
    const master = JSON.stringify({ username: "admin", password: "m" });

    it("keeps the password but follows the database when its address changes", async () => {
        const f = fakes({ "arn:master": master, "arn:app": JSON.stringify({ username: "shop", password: "Kept", engine: "mariadb", host: "old.example", port: 3306, dbname: "app" }) });
        f.users.add("shop");
        const result = await ensureAppUser(event, f.deps);
        assert.equal(result.action, "unchanged");
        assert.deepEqual(JSON.parse(f.values["arn:app"]!), { username: "shop", password: "Kept", engine: "mariadb", host: "db.example", port: 3306, dbname: "app" });
        assert.deepEqual(f.writes, ["arn:app"]);
        assert.deepEqual(f.log, []);
    });

    it("a new user name gets a new password and a new user; the master secret is never written", async () => {
        const f = fakes({ "arn:master": master, "arn:app": JSON.stringify({ username: "old_user", password: "Old", engine: "mariadb", host: "db.example", port: 3306, dbname: "app" }) });
        f.users.add("old_user");
        const result = await ensureAppUser(event, f.deps);
        assert.deepEqual([result.action, result.secretWritten], ["created", true]);
        assert.equal(JSON.parse(f.values["arn:app"]!).password, "Generated0Password0000000000000x");
        assert.deepEqual(f.writes, ["arn:app"]);
        assert.ok(!JSON.stringify(result).includes("Generated0Password"));
    });

    it("refuses an event without the ARNs or with an unknown engine, before touching anything", async () => {
        const f = fakes({ "arn:master": master });
        await assert.rejects(ensureAppUser({ ...event, engine: "oracle" }, f.deps), /unknown engine/);
        await assert.rejects(ensureAppUser({ ...event, appSecretArn: "" }, f.deps), /appSecretArn is missing/);
        assert.deepEqual(f.writes, []);
    });
});
