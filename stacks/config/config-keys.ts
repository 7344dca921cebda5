import { ConfigError } from "../../components/internal/errors";
import { closest } from "./region";

/**
 * Pulumi stack names "may only contain alphanumeric characters, hyphens,
 * underscores, or periods" (Pulumi docs, "Stacks"); a stage name is also a
 * file name (Pulumi.<stage>.yaml) and a prefix of AWS resource names, so a
 * path (`../prod`, `a/b`) is never one.
 */
const stageNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function checkStageName(stage: string): void {
    if (stageNamePattern.test(stage) && !stage.includes("..")) return;
    throw new ConfigError({
        setting: "stage",
        value: stage,
        problem: "a stage name is a Pulumi stack name: letters, digits, -, _ and ., no path",
        fix: 'name an existing stage such as "dev", "staging" or "prod"',
    });
}

/**
 * Keys that would change an object's prototype if they reached a plain
 * object (`{"__proto__": {...}}` in a JSON-encoded setting); never a setting.
 */
const prototypeKeys = new Set(["__proto__", "constructor", "prototype"]);

/** Throws a ConfigError for the first prototype-style key anywhere in `value`. */
export function checkNoPrototypeKeys(setting: string, value: unknown): void {
    if (typeof value !== "object" || value === null) return;
    for (const key of Object.keys(value)) {
        const path = Array.isArray(value) ? `${setting}[${key}]` : setting.endsWith(":") ? `${setting}${key}` : `${setting}.${key}`;
        if (prototypeKeys.has(key)) {
            throw new ConfigError({ setting: path, value: key, problem: "a key that names an object prototype is never a setting", fix: "remove it" });
        }
        checkNoPrototypeKeys(path, (value as Record<string, unknown>)[key]);
    }
}

/**
 * The `aws:` keys the AWS provider reads (every export of @pulumi/aws
 * config/vars.d.ts, provider 7.x); any other `aws:` key is ignored by the
 * provider, so a typo (`aws:regoin`) silently changes nothing.
 */
export const awsProviderKeys = [
    "accessKey",
    "allowedAccountIds",
    "assumeRoleWithWebIdentity",
    "assumeRoles",
    "customCaBundle",
    "defaultTags",
    "ec2MetadataServiceEndpoint",
    "ec2MetadataServiceEndpointMode",
    "endpoints",
    "forbiddenAccountIds",
    "httpProxy",
    "httpsProxy",
    "ignoreTags",
    "insecure",
    "maxRetries",
    "noProxy",
    "profile",
    "region",
    "retryMode",
    "s3UsEast1RegionalEndpoint",
    "s3UsePathStyle",
    "secretKey",
    "sharedConfigFiles",
    "sharedCredentialsFiles",
    "skipCredentialsValidation",
    "skipMetadataApiCheck",
    "skipRegionValidation",
    "skipRequestingAccountId",
    "stsRegion",
    "tagPolicyCompliance",
    "token",
    "tokenBucketRateLimiterCapacity",
    "useDualstackEndpoint",
    "useFipsEndpoint",
    "userAgents",
];

/**
 * Warnings for keys that are probably typos: an `aws:` key the provider does
 * not read, or a namespace that is neither `aws`, `pulumi` nor webstack's.
 * Warnings, not errors: other providers' namespaces are legitimate.
 */
export function configKeyWarnings(keys: readonly string[], namespace: string): string[] {
    const warnings: string[] = [];
    const known = new Set(["aws", "pulumi", namespace]);
    for (const key of keys) {
        const [ns, ...rest] = key.split(":");
        const name = rest.join(":");
        if (ns === "aws" && !awsProviderKeys.includes(name)) {
            const guess = closest(name, awsProviderKeys);
            warnings.push(`aws:${name} is not a setting of the AWS provider and is ignored${guess ? `; did you mean aws:${guess}?` : ""}`);
        } else if (!known.has(ns)) {
            const guess = closest(ns, [...known]);
            warnings.push(`${key}: the namespace "${ns}" is not read by this program${guess ? `; did you mean ${guess}:${name}?` : ""}`);
        }
    }
    return warnings;
}
