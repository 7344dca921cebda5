import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValue } from "./config-value";
import { invalid } from "./errors";

/**
 * The stack's `aws:` configuration, read once for everything that talks to
 * AWS outside the default provider: the us-east-1 provider of DnsAndTls
 * (`stackAwsSettings`, provider arguments) and the StaticSite folder sync
 * (`stackAwsClientSettings`, the non-secret part for an AWS SDK client).
 *
 * Why: neither an explicit `aws.Provider` nor an AWS SDK client inherits the
 * default provider's configuration; both start from the environment only,
 * so they would ignore `aws:profile` (and write into another account),
 * `aws:assumeRoles`, `aws:endpoints` and `aws:defaultTags`.
 */

/** Reads one raw `aws:` config value (`key` without the `aws:` namespace). */
export type AwsConfigReader = (key: string) => string | undefined;

/** `aws:` settings holding plain strings. */
const STRING_SETTINGS = [
    "profile",
    "customCaBundle",
    "httpProxy",
    "httpsProxy",
    "noProxy",
    "retryMode",
    "stsRegion",
    "ec2MetadataServiceEndpoint",
    "ec2MetadataServiceEndpointMode",
] as const;

/** `aws:` settings holding credentials: passed on as secrets, never written into a resource's inputs. */
export const AWS_SECRET_SETTINGS = ["accessKey", "secretKey", "token"] as const;

/** `aws:` settings holding structured values (lists, objects, booleans, numbers). */
const STRUCTURED_SETTINGS = [
    "assumeRoles",
    "assumeRoleWithWebIdentity",
    "allowedAccountIds",
    "forbiddenAccountIds",
    "defaultTags",
    "ignoreTags",
    "sharedConfigFiles",
    "sharedCredentialsFiles",
    "endpoints",
    "skipCredentialsValidation",
    "skipMetadataApiCheck",
    "skipRegionValidation",
    "skipRequestingAccountId",
    "insecure",
    "maxRetries",
    "s3UsePathStyle",
] as const;

/**
 * The stack's `aws:` configuration as provider arguments, region excluded
 * (the caller sets the region it needs). Credentials are read with
 * `getSecret`, so they stay secret in the explicit provider's state.
 */
export function stackAwsSettings(): aws.ProviderArgs {
    const config = new pulumi.Config("aws");
    const settings: Record<string, unknown> = {};
    for (const key of STRING_SETTINGS) {
        const value = config.get(key);
        if (value !== undefined) settings[key] = value;
    }
    for (const key of AWS_SECRET_SETTINGS) {
        const value = config.getSecret(key);
        if (value !== undefined) settings[key] = value;
    }
    for (const key of STRUCTURED_SETTINGS) {
        const text = config.get(key);
        // Structured config arrives JSON-encoded (see decodeConfigValue).
        if (text !== undefined) settings[key] = decodeConfigValue(text);
    }
    return settings as aws.ProviderArgs;
}

/** One role of an `aws:assumeRoles` chain, as an SDK `AssumeRole` call needs it. */
export interface AwsRoleToAssume {
    roleArn: string;
    /** @default "webstack-site-sync" (AssumeRole requires one) */
    sessionName?: string;
    externalId?: string;
    /** Session length in seconds (the provider's `duration`, e.g. "1h", converted). */
    durationSeconds?: number;
    policy?: string;
    policyArns?: string[];
    sourceIdentity?: string;
}

/**
 * Everything an AWS SDK client needs to reach the same account, region and
 * endpoints as the Pulumi AWS provider — except the credentials themselves.
 * Only names go here (a profile, role ARNs, file paths, URLs): this object is
 * written into the sync resource's inputs, hence into the state, which must
 * never hold a key or token. Static keys (`aws:accessKey`/`aws:secretKey`/
 * `aws:token`) are read by the code that runs the client, at run time, when
 * `stackKeys` says so.
 */
export interface AwsClientSettings {
    /** The named profile of the shared config/credentials files. */
    profile?: string;
    /** Shared credentials files, first one used (as the SDK reads one file). */
    sharedCredentialsFiles?: string[];
    /** Shared config files, first one used. */
    sharedConfigFiles?: string[];
    /** Roles assumed in order, each with the credentials of the previous one. */
    assumeRoles?: AwsRoleToAssume[];
    /**
     * Custom endpoints (an S3-compatible server, a VPC endpoint, LocalStack); `autoscaling` is the rollout waiter's,
     * `elbv2` the blue/green health gate's.
     */
    endpoints?: { s3?: string; cloudfront?: string; sts?: string; autoscaling?: string; elbv2?: string };
    /** Path-style S3 addressing (`aws:s3UsePathStyle`). */
    s3UsePathStyle?: boolean;
    /** The region STS calls go to (`aws:stsRegion`). */
    stsRegion?: string;
    /**
     * Use the stack's `aws:accessKey`/`aws:secretKey`/`aws:token` when set.
     * False for an explicit provider, whose own keys are not readable here.
     */
    stackKeys: boolean;
}

/** The session name of the roles the sync assumes when the stack names none. */
export const DEFAULT_SESSION_NAME = "webstack-site-sync";

/**
 * The non-secret part of the `aws:` configuration, for an SDK client. Pure:
 * `read` returns the raw config text (structured values JSON-encoded, as
 * Pulumi hands them to a program). Throws a ConfigError naming the `aws:`
 * key for a value the SDK could not use.
 */
export function awsClientSettings(read: AwsConfigReader): AwsClientSettings {
    const settings: AwsClientSettings = { stackKeys: true };
    const profile = read("profile");
    if (profile) settings.profile = profile;
    const stsRegion = read("stsRegion");
    if (stsRegion) settings.stsRegion = stsRegion;
    const credentialsFiles = stringList(read, "sharedCredentialsFiles");
    if (credentialsFiles) settings.sharedCredentialsFiles = credentialsFiles;
    const configFiles = stringList(read, "sharedConfigFiles");
    if (configFiles) settings.sharedConfigFiles = configFiles;
    const roles = assumeRoles(read);
    if (roles) settings.assumeRoles = roles;
    const endpoints = serviceEndpoints(read);
    if (endpoints) settings.endpoints = endpoints;
    const pathStyle = structured(read, "s3UsePathStyle");
    if (pathStyle !== undefined) {
        if (typeof pathStyle !== "boolean") invalid("aws:s3UsePathStyle", pathStyle, "it must be true or false", "set aws:s3UsePathStyle to true or false");
        settings.s3UsePathStyle = pathStyle;
    }
    return settings;
}

/** {@link awsClientSettings} of the running stack's `aws:` configuration. */
export function stackAwsClientSettings(): AwsClientSettings {
    const config = new pulumi.Config("aws");
    return awsClientSettings((key) => config.get(key));
}

function structured(read: AwsConfigReader, key: string): unknown {
    const text = read(key);
    return text === undefined ? undefined : decodeConfigValue(text);
}

function stringList(read: AwsConfigReader, key: string): string[] | undefined {
    const value = structured(read, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        invalid(`aws:${key}`, value, "it must be a list of file paths", `write aws:${key}: ["~/.aws/credentials"]`);
    }
    return value.length > 0 ? value : undefined;
}

/** `aws:endpoints` is a list of maps (service → URL), as in the provider's schema; later entries win. */
function serviceEndpoints(read: AwsConfigReader): AwsClientSettings["endpoints"] {
    const value = structured(read, "endpoints");
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "object" || item === null)) {
        invalid("aws:endpoints", value, "it must be a list of maps from service to URL", 'write aws:endpoints: [{ s3: "http://localhost:4566" }]');
    }
    const merged: Record<string, unknown> = Object.assign({}, ...value);
    // The provider's schema spells ELBv2 two ways (`elbv2`, and its alias `elasticloadbalancingv2`:
    // @pulumi/aws types/input.d.ts ProviderEndpoint); the short name wins when both are set.
    if (merged.elbv2 === undefined || merged.elbv2 === "") merged.elbv2 = merged.elasticloadbalancingv2;
    const endpoints: NonNullable<AwsClientSettings["endpoints"]> = {};
    for (const service of ["s3", "cloudfront", "sts", "autoscaling", "elbv2"] as const) {
        const url = merged[service];
        if (url === undefined || url === "") continue;
        if (typeof url !== "string") invalid(`aws:endpoints.${service}`, url, "it must be a URL", `write ${service}: "https://..."`);
        endpoints[service] = url;
    }
    return Object.keys(endpoints).length > 0 ? endpoints : undefined;
}

function assumeRoles(read: AwsConfigReader): AwsRoleToAssume[] | undefined {
    const value = structured(read, "assumeRoles");
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
        invalid("aws:assumeRoles", value, "it must be a list of roles", 'write aws:assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/deploy" }]');
    }
    const roles = value.map((role: Record<string, unknown>, index): AwsRoleToAssume => {
        const setting = `aws:assumeRoles[${index}]`;
        if (typeof role !== "object" || role === null || typeof role.roleArn !== "string" || role.roleArn === "") {
            invalid(`${setting}.roleArn`, role?.roleArn, "every role needs its ARN", 'write roleArn: "arn:aws:iam::123456789012:role/deploy"');
        }
        const result: AwsRoleToAssume = { roleArn: role.roleArn };
        for (const key of ["sessionName", "externalId", "policy", "sourceIdentity"] as const) {
            const text = role[key];
            if (text === undefined || text === "") continue;
            if (typeof text !== "string") invalid(`${setting}.${key}`, text, "it must be a string", `write ${key} as a string`);
            result[key] = text;
        }
        if (role.policyArns !== undefined) {
            if (!Array.isArray(role.policyArns) || role.policyArns.some((arn) => typeof arn !== "string")) {
                invalid(`${setting}.policyArns`, role.policyArns, "it must be a list of policy ARNs", 'write policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]');
            }
            result.policyArns = role.policyArns;
        }
        if (role.duration !== undefined && role.duration !== "") result.durationSeconds = durationSeconds(`${setting}.duration`, role.duration);
        return result;
    });
    return roles.length > 0 ? roles : undefined;
}

/**
 * The provider's `duration` is a Go duration ("1h", "15m", "1h30m", "900s");
 * AssumeRole takes seconds, from 900 up to the role's maximum (IAM
 * AssumeRole API reference, DurationSeconds).
 */
export function durationSeconds(setting: string, value: unknown): number {
    const match = typeof value === "string" ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value) : null;
    if (!match || value === "") {
        invalid(setting, value, 'it must be a duration such as "1h", "15m" or "1h30m"', 'write duration: "1h"');
    }
    const [, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
    const total = hours * 3600 + minutes * 60 + seconds;
    if (total < 900 || total > 43_200) {
        invalid(setting, value, "AssumeRole sessions last from 15 minutes to 12 hours", 'write a duration from "15m" to "12h"');
    }
    return total;
}
