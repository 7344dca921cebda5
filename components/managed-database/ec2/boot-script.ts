import * as fs from "node:fs";
import * as path from "node:path";
import { Engine } from "../engines";

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
 * Values are pasted between single quotes in the script, so they may hold
 * only characters that need no quoting: ids, ARNs, names, numbers.
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:/@+=-]*$/;

/** The user data of the database instance: boot.sh with its @NAME@ values filled in. */
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
        if (!SAFE_VALUE.test(value)) throw new Error(`boot script value ${key}=${JSON.stringify(value)} holds characters that would need shell quoting`);
        const placeholder = `'@${key}@'`;
        if (!script.includes(placeholder)) throw new Error(`boot.sh has no ${placeholder} placeholder`);
        script = script.split(placeholder).join(`'${value}'`);
    }
    return script;
}
