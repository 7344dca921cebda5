import * as fs from "node:fs";
import * as path from "node:path";
import { Engine } from "../engines";
import { shellQuote } from "../../internal/shell";

/** The values the boot script is parameterised with. None of them is secret. */
export interface BootParameters {
    engine: Engine;
    majorVersion: string;
    databaseName: string;
    username: string;
    port: number;
    /** The Secrets Manager secret the instance reads (or first fills) the password from. */
    secretArn: string;
    /** The data volume the script waits for and mounts. */
    volumeId: string;
    region: string;
}

/** boot.sh ships next to the compiled file (package.json "files" includes `*.sh`). */
export const BOOT_SCRIPT_PATH = path.join(__dirname, "boot.sh");

/**
 * DB_NAME and DB_USER also reach SQL statements and pg_hba.conf inside
 * boot.sh, where shell quoting protects nothing: they must stay plain
 * identifiers (the args resolver already enforces this, `resolveName`;
 * this is the renderer's own guard).
 */
const SQL_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const SQL_KEYS = new Set(["DB_NAME", "DB_USER"]);

/**
 * The user data of the database instance: boot.sh with its '@NAME@' values
 * filled in. Each placeholder, quotes included, is replaced by the value
 * quoted with {@link shellQuote}, so any value arrives byte-for-byte in its
 * variable and is never run.
 */
export function renderBootScript(parameters: BootParameters, template: string = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8")): string {
    const values: Record<string, string> = {
        DB_ENGINE: parameters.engine,
        DB_MAJOR_VERSION: parameters.majorVersion,
        DB_NAME: parameters.databaseName,
        DB_USER: parameters.username,
        DB_PORT: String(parameters.port),
        SECRET_ARN: parameters.secretArn,
        VOLUME_ID: parameters.volumeId,
        AWS_REGION: parameters.region,
    };
    let script = template;
    for (const [key, value] of Object.entries(values)) {
        if (SQL_KEYS.has(key) && !SQL_IDENTIFIER.test(value)) throw new Error(`boot script value ${key}=${JSON.stringify(value)} is not a plain identifier; it reaches SQL statements`);
        const placeholder = `'@${key}@'`;
        if (!script.includes(placeholder)) throw new Error(`boot.sh has no ${placeholder} placeholder`);
        script = script.split(placeholder).join(shellQuote(value));
    }
    return script;
}
