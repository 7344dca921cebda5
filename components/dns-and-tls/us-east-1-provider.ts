import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValue } from "../internal/config-value";

/** The one region CloudFront reads viewer certificates from (CloudFront developer guide, "Requirements for using SSL/TLS certificates with CloudFront"). */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

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

/** `aws:` settings holding credentials: passed on as secrets. */
const SECRET_SETTINGS = ["accessKey", "secretKey", "token"] as const;

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
 * The stack's `aws:` configuration as provider arguments, region excluded.
 *
 * Why: an explicit `aws.Provider` does not inherit the default provider's
 * configuration — it starts from the environment only. A us-east-1 provider
 * made with just `{ region }` would therefore ignore the stack's
 * `aws:profile` (deploying into another account), its `aws:assumeRoles` and
 * its `aws:defaultTags`. Reading the same keys the default provider reads
 * (via `new pulumi.Config("aws")`) keeps both providers on one account and
 * one tagging policy.
 */
export function stackAwsSettings(): aws.ProviderArgs {
    const config = new pulumi.Config("aws");
    const settings: Record<string, unknown> = {};
    for (const key of STRING_SETTINGS) {
        const value = config.get(key);
        if (value !== undefined) settings[key] = value;
    }
    for (const key of SECRET_SETTINGS) {
        const value = config.getSecret(key);
        if (value !== undefined) settings[key] = value;
    }
    for (const key of STRUCTURED_SETTINGS) {
        const value = readStructured(config, key);
        if (value !== undefined) settings[key] = value;
    }
    return settings as aws.ProviderArgs;
}

/** Structured config arrives JSON-encoded (see decodeConfigValue). */
function readStructured(config: pulumi.Config, key: string): unknown {
    const text = config.get(key);
    return text === undefined ? undefined : decodeConfigValue(text);
}

/** A provider for us-east-1 carrying the stack's AWS settings, named `${name}-us-east-1`. */
export function createUsEast1Provider(name: string, parent: pulumi.Resource): aws.Provider {
    return new aws.Provider(`${name}-${CLOUDFRONT_CERTIFICATE_REGION}`, { ...stackAwsSettings(), region: CLOUDFRONT_CERTIFICATE_REGION }, { parent });
}
