"use strict";
// The SQL the database-users function runs, per engine, as pure functions so
// unit tests can read every statement. Plain JavaScript (CommonJS): this file
// ships as it is inside the Lambda zip (bundle.ts) and needs no build step.
const crypto = require("node:crypto");

/** The application user's privileges on MySQL and MariaDB: data and schema changes in its own database, nothing server-wide. */
const MYSQL_APP_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "DROP", "REFERENCES"];

/** Letters, digits and underscores, a letter first: what ManagedDatabase accepts for names (args.ts). */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkIdentifier(what, value) {
    if (typeof value !== "string" || !IDENTIFIER.test(value) || value.length > 63) {
        throw new Error(`${what} ${JSON.stringify(value)} is not a plain identifier (letters, digits, underscores)`);
    }
    return value;
}

/** A PostgreSQL identifier, double-quoted (names are checked first, so quoting is belt and braces). */
function pgIdent(name) {
    return `"${String(name).replace(/"/g, '""')}"`;
}

/** A PostgreSQL string literal. */
function pgLiteral(text) {
    return `'${String(text).replace(/'/g, "''")}'`;
}

/**
 * The SCRAM-SHA-256 verifier of a password, in the form PostgreSQL stores
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802 /
 * RFC 7677; PostgreSQL docs, "Password Authentication" and CREATE ROLE:
 * "If the presented password string is already in MD5-encrypted or
 * SCRAM-encrypted format, then it is stored as-is"). Sending the verifier
 * instead of the password keeps the password out of the server's statement
 * and error logs (which RDS exports to CloudWatch). The password is
 * alphanumeric (GetRandomPassword with ExcludePunctuation), so SASLprep
 * leaves it unchanged.
 */
function scramVerifier(password, salt = crypto.randomBytes(16), iterations = 4096) {
    const salted = crypto.pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 32, "sha256");
    const hmac = (key, text) => crypto.createHmac("sha256", key).update(text).digest();
    const storedKey = crypto.createHash("sha256").update(hmac(salted, "Client Key")).digest();
    const serverKey = hmac(salted, "Server Key");
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/**
 * PostgreSQL. The app user may log in, create tables in the `public` schema
 * (its migrations), and read and write rows of every table there, including
 * tables the master user creates later (default privileges). It is not a
 * superuser, cannot create roles or databases, cannot replicate, and is not
 * a member of rds_superuser (it is never granted a role).
 */
const postgres = {
    /** Whether the role exists. */
    userExists: (username) => ({ text: "SELECT 1 FROM pg_roles WHERE rolname = $1", values: [checkIdentifier("user name", username)] }),
    /** CREATE ROLE with the password's SCRAM verifier. */
    createUser: (username, verifier) => `CREATE ROLE ${pgIdent(checkIdentifier("user name", username))} LOGIN PASSWORD ${pgLiteral(verifier)}`,
    /** A new password for an existing role (the secret was recreated). */
    setPassword: (username, verifier) => `ALTER ROLE ${pgIdent(checkIdentifier("user name", username))} PASSWORD ${pgLiteral(verifier)}`,
    /**
     * Idempotent: run on every invocation, so a grant removed by hand or an
     * attribute added by hand is put back.
     */
    grants(username, database, masterUsername) {
        const user = pgIdent(checkIdentifier("user name", username));
        const db = pgIdent(checkIdentifier("database name", database));
        const master = pgIdent(checkIdentifier("master user name", masterUsername));
        return [
            // Only what the RDS master (rds_superuser, not a superuser) may
            // change: PostgreSQL lets only superusers touch SUPERUSER,
            // REPLICATION and BYPASSRLS (ALTER ROLE docs), and CREATE ROLE
            // leaves them off by default.
            `ALTER ROLE ${user} LOGIN NOCREATEDB NOCREATEROLE`,
            `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${user}`,
            `GRANT USAGE, CREATE ON SCHEMA public TO ${user}`,
            `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${user}`,
            `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${user}`,
            `ALTER DEFAULT PRIVILEGES FOR ROLE ${master} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${user}`,
            `ALTER DEFAULT PRIVILEGES FOR ROLE ${master} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${user}`,
        ];
    },
};

/** A MySQL account name `'user'@'%'` (names are checked first: letters, digits, underscores). */
function mysqlAccount(username) {
    return `'${checkIdentifier("user name", username)}'@'%'`;
}

/**
 * MySQL and MariaDB. The app user gets data and schema privileges on its
 * own database only (`db`.*), no global, GRANT OPTION, FILE, PROCESS,
 * SUPER or user-management privilege, and must connect over TLS
 * (REQUIRE SSL). The password travels as a bound value (`?`, escaped by the
 * client); MySQL rewrites CREATE/ALTER USER passwords out of its general and
 * slow logs (MySQL Reference Manual, "Passwords and Logging").
 */
const mysql = {
    privileges: MYSQL_APP_PRIVILEGES,
    userExists: (username) => ({ sql: "SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", values: [checkIdentifier("user name", username)] }),
    createUser: (username, password) => ({ sql: `CREATE USER ${mysqlAccount(username)} IDENTIFIED BY ? REQUIRE SSL`, values: [password] }),
    setPassword: (username, password) => ({ sql: `ALTER USER ${mysqlAccount(username)} IDENTIFIED BY ?`, values: [password] }),
    grants(username, database) {
        const account = mysqlAccount(username);
        const db = checkIdentifier("database name", database);
        return [
            { sql: `ALTER USER ${account} REQUIRE SSL`, values: [] },
            { sql: `GRANT ${MYSQL_APP_PRIVILEGES.join(", ")} ON \`${db}\`.* TO ${account}`, values: [] },
        ];
    },
};

module.exports = { postgres, mysql, scramVerifier, checkIdentifier, MYSQL_APP_PRIVILEGES };
