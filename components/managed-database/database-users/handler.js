"use strict";
// The database-users function: creates (or repairs) the application's
// database user, with a password only Secrets Manager and the database ever
// see. Invoked at deploy time by an aws.lambda.Invocation (index.ts), whose
// input and result are kept in Pulumi state: the event carries only ARNs
// and names, and the result only names and what was done, never a secret.
//
// Plain JavaScript (CommonJS), shipped as it is in the Lambda zip with the
// engine's client library (bundle.ts); the AWS SDK comes with the Node.js
// runtime (AWS Lambda Developer Guide, "Building Lambda functions with
// Node.js", "Runtime-included SDK versions").
const { secretsClient } = require("./secrets");
const statements = require("./statements");

const ENGINES = ["postgres", "mysql", "mariadb"];

function checkEvent(event) {
    const fail = (why) => {
        throw new Error(`database-users: ${why}`);
    };
    if (!event || typeof event !== "object") fail("the event must be an object");
    if (!ENGINES.includes(event.engine)) fail(`unknown engine ${JSON.stringify(event.engine)}`);
    for (const key of ["masterSecretArn", "appSecretArn", "host"]) {
        if (typeof event[key] !== "string" || event[key] === "") fail(`${key} is missing`);
    }
    if (!Number.isInteger(Number(event.port))) fail("port is missing");
    statements.checkIdentifier("database name", event.database);
    statements.checkIdentifier("user name", event.username);
}

/**
 * Connects as the master user over verified TLS. Node verifies the server's
 * certificate and name against its trust store; in Lambda the function sets
 * NODE_EXTRA_CA_CERTS to the runtime's Amazon CA bundle, which holds the RDS
 * CAs (index.ts). Returns a small uniform interface over pg or mysql2.
 */
async function connectAsMaster(event, master) {
    const common = { host: event.host, port: Number(event.port), user: master.username, password: master.password, database: event.database };
    if (event.engine === "postgres") {
        const { Client } = require("pg");
        const client = new Client({ ...common, ssl: { rejectUnauthorized: true, servername: event.host }, connectionTimeoutMillis: 20000 });
        await client.connect();
        return {
            async userExists(username) {
                const query = statements.postgres.userExists(username);
                return (await client.query(query.text, query.values)).rowCount > 0;
            },
            async create(username, password) {
                await client.query(statements.postgres.createUser(username, statements.scramVerifier(password)));
            },
            async setPassword(username, password) {
                await client.query(statements.postgres.setPassword(username, statements.scramVerifier(password)));
            },
            async grant(username) {
                const list = statements.postgres.grants(username, event.database, master.username);
                for (const statement of list) await client.query(statement);
                return list.length;
            },
            close: () => client.end(),
        };
    }
    const mysql = require("mysql2/promise");
    const connection = await mysql.createConnection({ ...common, ssl: { rejectUnauthorized: true }, connectTimeout: 20000 });
    const run = (statement) => connection.query(statement.sql, statement.values);
    return {
        async userExists(username) {
            const [rows] = await run(statements.mysql.userExists(username));
            return rows.length > 0;
        },
        create: (username, password) => run(statements.mysql.createUser(username, password)),
        setPassword: (username, password) => run(statements.mysql.setPassword(username, password)),
        async grant(username) {
            const list = statements.mysql.grants(username, event.database);
            for (const statement of list) await run(statement);
            return list.length;
        },
        close: () => connection.end(),
    };
}

/**
 * The work, with its two dependencies passed in (tests pass a Secrets
 * Manager emulator and the real database):
 * 1. read the master secret (RDS keeps it: {username, password});
 * 2. if the app secret has no value yet, generate a password and store
 *    {username, password, engine, host, port, dbname} in it FIRST, so a
 *    failure after this point leaves a password to converge to;
 * 3. as master: create the user with that password if it does not exist;
 *    if it exists and the secret was just written (a new secret, or a run
 *    that failed after writing it), set its password to the secret's;
 * 4. (re)apply the grants, every run.
 * A second run with nothing to do changes nothing but re-applying grants.
 */
async function ensureAppUser(event, deps) {
    checkEvent(event);
    const secrets = deps.secrets;
    const master = JSON.parse((await secrets.currentValue(event.masterSecretArn)) ?? "null");
    if (!master || !master.username || !master.password) throw new Error("database-users: the master secret has no username and password");
    const stored = await secrets.currentValue(event.appSecretArn);
    let app = stored === null ? null : JSON.parse(stored);
    const where = { engine: event.engine, host: event.host, port: Number(event.port), dbname: event.database };
    let passwordWritten = false;
    if (app === null || app.username !== event.username || !app.password) {
        // A new secret, or the user name changed: a new password for the
        // (new) user. The old user, if any, is left alone (see the docs).
        app = { username: event.username, password: await secrets.randomPassword(), ...where };
        await secrets.putValue(event.appSecretArn, JSON.stringify(app));
        passwordWritten = true;
    } else if (Object.entries(where).some(([key, value]) => app[key] !== value)) {
        // Same user and password, but the database moved (a new address or
        // port): the secret's connection details follow, the password stays.
        app = { ...app, ...where };
        await secrets.putValue(event.appSecretArn, JSON.stringify(app));
    }
    const connect = deps.connect ?? connectAsMaster;
    const db = await connect(event, master);
    try {
        let action = "unchanged";
        if (!(await db.userExists(event.username))) {
            await db.create(event.username, app.password);
            action = "created";
        } else if (passwordWritten) {
            await db.setPassword(event.username, app.password);
            action = "password-set";
        }
        const grants = await db.grant(event.username);
        // Kept in Pulumi state: names and counts only.
        return { username: event.username, database: event.database, action, secretWritten: passwordWritten, grantStatements: grants };
    } finally {
        await db.close();
    }
}

/** The Lambda entry point (handler "index.handler"). */
async function handler(event) {
    const sdk = require("@aws-sdk/client-secrets-manager");
    const client = new sdk.SecretsManagerClient({});
    const send = (operation, input) => client.send(new sdk[`${operation}Command`](input));
    return ensureAppUser(event, { secrets: secretsClient(send) });
}

module.exports = { handler, ensureAppUser, connectAsMaster };
