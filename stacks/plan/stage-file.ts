import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, YAMLError } from "yaml";
import { decodeConfigValue, encodeConfigValue } from "../../components/internal/config-value";
import { ConfigError } from "../../components/internal/errors";
import { checkStageName } from "../config/config-keys";

/** A stage's configuration as the Pulumi engine would hand it to the program. */
export interface StageFileConfig {
    /** Fully-qualified keys; structured values JSON-encoded, as `pulumi.runtime.allConfig()` has them. */
    config: Record<string, string>;
    /** Keys whose values are encrypted in the stage file (`secure:`); the plan cannot read them. */
    secretKeys: string[];
}

/** The value the plan uses for a `secure:` setting it cannot decrypt. */
export const UNREADABLE_SECRET = "[secret: encrypted in the stage file]";

/** The project name from Pulumi.yaml (the namespace of un-prefixed keys). */
export function readProjectName(rootDir: string): string {
    const project = parseYaml(fs.readFileSync(path.join(rootDir, "Pulumi.yaml"), "utf8")) as { name?: string };
    return project.name ?? "webstack";
}

/** The stages that have a Pulumi.<stage>.yaml in `rootDir`. */
export function listStages(rootDir: string): string[] {
    return fs
        .readdirSync(rootDir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stage): stage is string => Boolean(stage))
        .sort();
}

/**
 * Reads Pulumi.<stage>.yaml the way the Pulumi CLI does: keys without a
 * namespace belong to the project; objects, lists, numbers and booleans are
 * passed on JSON-encoded; `secure:` values stay encrypted.
 */
export function loadStageFile(rootDir: string, stage: string): StageFileConfig {
    // Before the name becomes a path: `../x` must not read a file elsewhere.
    checkStageName(stage);
    const file = path.join(rootDir, `Pulumi.${stage}.yaml`);
    if (!fs.existsSync(file)) {
        throw new ConfigError({
            setting: "stage",
            value: stage,
            problem: `there is no ${path.basename(file)} in ${rootDir}`,
            fix: `use one of: ${listStages(rootDir).join(", ") || "(none: create Pulumi.<stage>.yaml)"}`,
        });
    }
    const project = readProjectName(rootDir);
    const stageConfig = configMapOf(file, readYaml(file));
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(stageConfig)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (isSecure(value)) {
            config[key] = UNREADABLE_SECRET;
            secretKeys.push(key);
        } else if (holdsSecure(value)) {
            // A `secure:` value inside an object: Pulumi marks the whole key
            // secret and hands the program the object with the value decrypted.
            config[key] = encodeConfigValue(withUnreadableSecrets(value));
            secretKeys.push(key);
        } else {
            config[key] = encodeConfigValue(value);
        }
    }
    return { config, secretKeys };
}

/** The YAML document in `file`; a syntax error names the file and the line. */
function readYaml(file: string): unknown {
    try {
        return parseYaml(fs.readFileSync(file, "utf8"));
    } catch (error) {
        if (!(error instanceof YAMLError)) throw error;
        const line = error.linePos?.[0]?.line;
        throw new ConfigError({
            setting: line ? `${path.basename(file)}:${line}` : path.basename(file),
            value: error.message.split("\n")[0],
            problem: "the stage file is not valid YAML",
            fix: `correct ${file}${line ? ` at line ${line}` : ""}`,
        });
    }
}

/** The `config:` map of a stage file; anything else (a list, a string) says so. */
function configMapOf(file: string, document: unknown): Record<string, unknown> {
    if (document === null || document === undefined) return {};
    const isMap = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    if (!isMap(document)) {
        throw new ConfigError({ setting: path.basename(file), value: document, problem: "a stage file is a YAML map with a config: key", fix: "write config: followed by indented key: value lines" });
    }
    const config = (document as { config?: unknown }).config;
    if (config === undefined || config === null) return {};
    if (!isMap(config)) {
        throw new ConfigError({ setting: `${path.basename(file)} config`, value: config, problem: "config: must be a map of key: value settings", fix: "write each setting on its own indented line under config:, e.g. \"  aws:region: eu-west-1\"" });
    }
    return config as Record<string, unknown>;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

function holdsSecure(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (typeof value !== "object" || value === null) return false;
    return Object.values(value).some(holdsSecure);
}

/** `value` with every nested `{ secure: ... }` replaced by what the plan shows instead. */
function withUnreadableSecrets(value: unknown): unknown {
    if (isSecure(value)) return UNREADABLE_SECRET;
    if (Array.isArray(value)) return value.map(withUnreadableSecrets);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnreadableSecrets(v)]));
}

/**
 * Applies `--config key=value` overrides. `key` may be a path into an object
 * setting (`webstack:network.nat=single`); `value` is read as JSON when it
 * is valid JSON (numbers, booleans, objects), otherwise as a string.
 */
export function applyOverrides(config: Record<string, string>, overrides: string[]): Record<string, string> {
    const result = { ...config };
    for (const override of overrides) {
        const eq = override.indexOf("=");
        if (eq <= 0) {
            throw new ConfigError({ setting: "--config", value: override, problem: "expected key=value", fix: "write e.g. --config webstack:layout=iaas" });
        }
        const [key, ...pathInValue] = override.slice(0, eq).split(".");
        const value = decodeConfigValue(override.slice(eq + 1));
        if (!key.includes(":")) {
            throw new ConfigError({ setting: "--config", value: override, problem: "the key has no namespace", fix: `write it in full, e.g. webstack:${key}` });
        }
        if (pathInValue.length === 0) {
            result[key] = encodeConfigValue(value);
            continue;
        }
        const root = result[key] !== undefined ? (decodeConfigValue(result[key]) as Record<string, unknown>) : {};
        let node: Record<string, unknown> = typeof root === "object" && root !== null ? root : {};
        const top = node;
        for (const segment of pathInValue.slice(0, -1)) {
            if (typeof node[segment] !== "object" || node[segment] === null) node[segment] = {};
            node = node[segment] as Record<string, unknown>;
        }
        node[pathInValue[pathInValue.length - 1]] = value;
        result[key] = JSON.stringify(top);
    }
    return result;
}
