/**
 * A throwaway MariaDB (Debian's `mariadb-server`) on 127.0.0.1 for the
 * database-users function's real test: run as the `mysql` system user in a
 * fresh temporary folder, TLS with a self-signed certificate and
 * require_secure_transport=ON (as RDS's parameter group sets), and a master
 * user with RDS's master privileges (RDS User Guide, "Master user account
 * privileges": no SUPER, FILE or SHUTDOWN). stop() ends it and removes the
 * folder. Skipped by the test when MariaDB is not installed.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, selfSignedCertificate } from "./database-sandbox";

export const MARIADB_MASTER = { username: "admin", password: "Master0Passw0rd" };
export const MARIADB_DATABASE = "app";

/** What RDS for MariaDB gives its master user, on *.* WITH GRANT OPTION. */
const RDS_MASTER_PRIVILEGES =
    "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, BINLOG MONITOR, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER";

export function mariadbAvailable(): boolean {
    try {
        execFileSync("mariadbd", ["--version"], { stdio: "ignore" });
        execFileSync("id", ["mysql"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

export interface MariadbSandbox {
    port: number;
    caFile: string;
    /** SQL as root over the local socket (test inspection only); tab-separated rows. */
    rootQuery(sql: string): string;
    stop(): Promise<void>;
}

export async function startMariadbSandbox(): Promise<MariadbSandbox> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-dbusers-mariadb-"));
    fs.chmodSync(directory, 0o755);
    execFileSync("chown", ["mysql:mysql", directory]);
    const data = path.join(directory, "data");
    const socket = path.join(directory, "mariadb.sock");
    const port = await freePort();
    execFileSync("mariadb-install-db", ["--user=mysql", `--datadir=${data}`, "--skip-test-db", "--auth-root-authentication-method=socket"], { stdio: "pipe" });
    const cert = path.join(directory, "server.crt");
    const key = path.join(directory, "server.key");
    selfSignedCertificate(cert, key, "mysql");
    const server: ChildProcess = spawn(
        "mariadbd",
        [
            "--no-defaults",
            "--user=mysql",
            `--datadir=${data}`,
            `--socket=${socket}`,
            `--port=${port}`,
            "--bind-address=127.0.0.1",
            `--pid-file=${path.join(directory, "mariadb.pid")}`,
            `--log-error=${path.join(directory, "error.log")}`,
            `--ssl-cert=${cert}`,
            `--ssl-key=${key}`,
            "--require-secure-transport=ON",
        ],
        { stdio: "ignore" },
    );
    const rootQuery = (sql: string) => execFileSync("mariadb", ["--no-defaults", "-S", socket, "-u", "root", "-N", "-B", "-e", sql], { encoding: "utf8" }).trim();
    for (let attempt = 0; ; attempt++) {
        try {
            rootQuery("SELECT 1");
            break;
        } catch (error) {
            if (attempt > 150 || server.exitCode !== null) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
    }
    rootQuery(
        `CREATE USER '${MARIADB_MASTER.username}'@'%' IDENTIFIED BY '${MARIADB_MASTER.password}'; ` +
            `GRANT ${RDS_MASTER_PRIVILEGES} ON *.* TO '${MARIADB_MASTER.username}'@'%' WITH GRANT OPTION; ` +
            `CREATE DATABASE ${MARIADB_DATABASE}; CREATE DATABASE other_app;`,
    );
    return {
        port,
        caFile: cert,
        rootQuery,
        async stop() {
            server.kill("SIGTERM");
            await new Promise((resolve) => (server.exitCode !== null ? resolve(undefined) : server.once("exit", resolve)));
            fs.rmSync(directory, { recursive: true, force: true });
        },
    };
}
