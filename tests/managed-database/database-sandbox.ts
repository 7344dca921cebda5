/**
 * A throwaway PostgreSQL with TLS on loopback and a Secrets Manager emulator
 * (moto) for the database-users function's real tests. The cluster runs as
 * the `postgres` system user (initdb refuses root) in a fresh temporary
 * folder, accepts TCP only over TLS with SCRAM passwords (as RDS with
 * rds.force_ssl=1 does), and has a master user like RDS's: LOGIN CREATEROLE
 * CREATEDB, owner of the app database, not a superuser. Nothing here talks
 * to AWS; stop() ends both servers and removes the folder.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const MASTER = { username: "app", password: "master-Passw0rd" };
export const DATABASE = "app";

/** Debian's versioned PostgreSQL binaries (package `postgresql`), else PATH. */
function pgBin(tool: string): string {
    const root = "/usr/lib/postgresql";
    if (fs.existsSync(root)) {
        const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
        for (const version of versions) {
            const candidate = path.join(root, version, "bin", tool);
            if (fs.existsSync(candidate)) return candidate;
        }
    }
    return tool;
}

export function postgresAvailable(): boolean {
    try {
        execFileSync(pgBin("initdb"), ["--version"], { stdio: "ignore" });
        execFileSync("id", ["postgres"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

const asPostgres = (command: string, args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });

/** moto's Secrets Manager on loopback, and a JSON 1.1 call to it (errors carry the API's error name). */
export interface SecretsEmulator {
    endpoint: string;
    secrets(operation: string, input: Record<string, unknown>): Promise<any>;
    stop(): void;
}

export async function startMoto(): Promise<SecretsEmulator> {
    const motoPort = await freePort();
    const moto: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(motoPort)], { stdio: "ignore" });
    const motoEndpoint = `http://127.0.0.1:${motoPort}`;
    const secrets = async (operation: string, input: Record<string, unknown>) => {
        const response = await fetch(motoEndpoint, {
            method: "POST",
            headers: {
                "X-Amz-Target": `secretsmanager.${operation}`,
                "Content-Type": "application/x-amz-json-1.1",
                // moto reads the region from the credential scope; it checks no signature.
                Authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0",
            },
            body: JSON.stringify(input),
        });
        const body = JSON.parse((await response.text()) || "{}");
        if (!response.ok) throw Object.assign(new Error(body.message ?? body.Message ?? `HTTP ${response.status}`), { name: String(body.__type ?? "Error").split("#").pop() });
        return body;
    };
    for (let attempt = 0; ; attempt++) {
        try {
            await secrets("ListSecrets", {});
            break;
        } catch (error) {
            if (attempt > 100) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
    return { endpoint: motoEndpoint, secrets, stop: () => moto.kill() };
}

/** A self-signed certificate for localhost and 127.0.0.1, owned by `owner`. */
export function selfSignedCertificate(certFile: string, keyFile: string, owner: string): void {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", keyFile, "-out", certFile, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "pipe" });
    execFileSync("chown", [`${owner}:${owner}`, keyFile, certFile]);
    fs.chmodSync(keyFile, 0o600);
}

export interface DatabaseSandbox {
    directory: string;
    port: number;
    /** The self-signed server certificate, to trust through NODE_EXTRA_CA_CERTS. */
    caFile: string;
    motoEndpoint: string;
    /** SQL as the cluster's superuser over the local socket (test inspection only). */
    superuserQuery(sql: string): string;
    /** A Secrets Manager call to moto (JSON 1.1 protocol); errors carry the API's error name. */
    secrets(operation: string, input: Record<string, unknown>): Promise<any>;
    stop(): Promise<void>;
}

export async function startDatabaseSandbox(): Promise<DatabaseSandbox> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-dbusers-"));
    fs.chmodSync(directory, 0o755);
    execFileSync("chown", ["postgres:postgres", directory]);
    const data = path.join(directory, "data");
    const port = await freePort();
    asPostgres(pgBin("initdb"), ["-D", data, "-U", "postgres", "-E", "UTF8", "--auth-local=trust", "--auth-host=reject"]);
    const cert = path.join(directory, "server.crt");
    const key = path.join(data, "server.key");
    selfSignedCertificate(cert, key, "postgres");
    fs.writeFileSync(
        path.join(data, "pg_hba.conf"),
        ["local all postgres trust", "hostssl all all 127.0.0.1/32 scram-sha-256", "hostssl all all ::1/128 scram-sha-256", "host all all 0.0.0.0/0 reject", "host all all ::/0 reject", ""].join("\n"),
    );
    fs.appendFileSync(
        path.join(data, "postgresql.conf"),
        [`port = ${port}`, "listen_addresses = 'localhost'", `unix_socket_directories = '${directory}'`, "ssl = on", `ssl_cert_file = '${cert}'`, `ssl_key_file = '${key}'`, "password_encryption = 'scram-sha-256'", ""].join("\n"),
    );
    asPostgres(pgBin("pg_ctl"), ["-D", data, "-l", path.join(directory, "postgres.log"), "-w", "-t", "60", "start"]);
    const superuserQuery = (sql: string) =>
        execFileSync("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U", "postgres", "-d", DATABASE, "-c", sql], { encoding: "utf8" }).trim();
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", `CREATE ROLE ${MASTER.username} LOGIN CREATEROLE CREATEDB PASSWORD '${MASTER.password}'`, "-c", `CREATE DATABASE ${DATABASE} OWNER ${MASTER.username}`]);

    const moto = await startMoto();
    return {
        directory,
        port,
        caFile: cert,
        motoEndpoint: moto.endpoint,
        superuserQuery,
        secrets: moto.secrets,
        async stop() {
            moto.stop();
            try {
                asPostgres(pgBin("pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
            } finally {
                fs.rmSync(directory, { recursive: true, force: true });
            }
        },
    };
}
