import * as os from "node:os";
import * as path from "node:path";
import type { CloudFrontClientConfig } from "@aws-sdk/client-cloudfront";
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { AwsClientSettings, AwsRoleToAssume } from "../../internal/aws-settings";
import { DEFAULT_SESSION_NAME } from "../../internal/aws-settings";

/** Static keys read at run time (the stack's `aws:accessKey`/`aws:secretKey`/`aws:token`), never from the state. */
export interface StaticKeys {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

/** CloudFront's API lives in us-east-1 whatever the site's region (CloudFront is a global service). */
export const CLOUDFRONT_API_REGION = "us-east-1";

/**
 * The credentials a sync client uses, in the Pulumi AWS provider's order
 * (Pulumi AWS "Installation & Configuration": static keys in the stack's
 * config, then a named profile / shared files, then the environment's
 * default chain), with `aws:assumeRoles` assumed on top, in order.
 *
 * An explicit profile (or shared files) wins over `AWS_ACCESS_KEY_ID` in the
 * environment: the SDK's default chain would read the environment first and
 * silently use another identity than the one the stack names.
 *
 * Returns undefined for "the SDK's default chain" (no setting, no role).
 */
export function credentialsFor(settings: AwsClientSettings, region: string, keys?: StaticKeys): AwsCredentialIdentityProvider | undefined {
    let base: AwsCredentialIdentityProvider | undefined;
    if (keys && settings.stackKeys) {
        const identity: AwsCredentialIdentity = { ...keys };
        base = async () => identity;
    } else if (settings.profile || settings.sharedCredentialsFiles || settings.sharedConfigFiles) {
        base = profileCredentials(settings);
    }
    if (!settings.assumeRoles?.length) return base;
    let current = base;
    for (const role of settings.assumeRoles) current = assumedRole(role, current, settings, region);
    return current;
}

/** The named profile from the shared files (`aws:profile`, `aws:sharedCredentialsFiles`, `aws:sharedConfigFiles`). */
function profileCredentials(settings: AwsClientSettings): AwsCredentialIdentityProvider {
    // Loaded when used, from the provider's process (see site-sync-resource.ts).
    const { fromIni } = require("@aws-sdk/credential-provider-ini") as typeof import("@aws-sdk/credential-provider-ini");
    return fromIni({
        profile: settings.profile,
        filepath: expandHome(settings.sharedCredentialsFiles?.[0]),
        configFilepath: expandHome(settings.sharedConfigFiles?.[0]),
        // Profiles that themselves assume a role call STS in aws:stsRegion when the stack sets one.
        ...(settings.stsRegion ? { clientConfig: { region: settings.stsRegion } } : {}),
    });
}

/** `role` assumed with the credentials of `source` (the default chain when undefined); refreshed before expiry. */
function assumedRole(
    role: AwsRoleToAssume,
    source: AwsCredentialIdentityProvider | undefined,
    settings: AwsClientSettings,
    region: string,
): AwsCredentialIdentityProvider {
    let cached: AwsCredentialIdentity | undefined;
    return async () => {
        // Five minutes of margin, as the SDK's own refreshing providers keep.
        if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 300_000)) return cached;
        const sts = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
        const client = new sts.STSClient({
            region: settings.stsRegion ?? region,
            credentials: source,
            ...(settings.endpoints?.sts ? { endpoint: settings.endpoints.sts } : {}),
        });
        try {
            const response = await client.send(
                new sts.AssumeRoleCommand({
                    RoleArn: role.roleArn,
                    RoleSessionName: role.sessionName ?? DEFAULT_SESSION_NAME,
                    ExternalId: role.externalId,
                    DurationSeconds: role.durationSeconds,
                    Policy: role.policy,
                    PolicyArns: role.policyArns?.map((arn) => ({ arn })),
                    SourceIdentity: role.sourceIdentity,
                }),
            );
            const credentials = response.Credentials;
            if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`STS returned no credentials for ${role.roleArn}`);
            cached = {
                accessKeyId: credentials.AccessKeyId,
                secretAccessKey: credentials.SecretAccessKey,
                sessionToken: credentials.SessionToken,
                expiration: credentials.Expiration,
            };
            return cached;
        } finally {
            client.destroy();
        }
    };
}

/**
 * How long a sync's AWS requests may take before they are abandoned and
 * retried. The SDK sets none of these by default, so one stalled request
 * used to leave `pulumi up` pending forever (issue 11 item 1).
 */
export interface SyncTimeouts {
    /** Connecting to the endpoint. @default 10000 */
    connectionTimeoutMs: number;
    /**
     * The socket idle, neither sending nor receiving: a stalled server. The
     * bound that matters for uploads, since it never cuts a slow but moving
     * transfer. @default 60000
     */
    socketIdleTimeoutMs: number;
    /** One whole request and its response, however they trickle. @default 300000 */
    requestTimeoutMs: number;
    /** Attempts per request, the first included (the SDK's standard retry strategy, with backoff). @default 5 */
    maxAttempts: number;
}

/**
 * The defaults. A request that times out fails with a TimeoutError, which
 * the SDK's standard retry strategy classifies as transient and retries,
 * like 500/502/503/504 and ECONNRESET (@smithy/core retry
 * service-error-classification: TRANSIENT_ERROR_CODES, TRANSIENT_ERROR_STATUS_CODES,
 * NODEJS_TIMEOUT_ERROR_CODES). Five minutes per request leaves an 8 MiB part
 * 28 KB/s; 60 s of silence is far beyond any S3 answer to a PUT.
 */
export const DEFAULT_SYNC_TIMEOUTS: SyncTimeouts = {
    connectionTimeoutMs: 10_000,
    socketIdleTimeoutMs: 60_000,
    requestTimeoutMs: 300_000,
    maxAttempts: 5,
};

/**
 * The SDK client settings for `timeouts`. In @smithy/node-http-handler 4.x,
 * `socketTimeout` is the idle timeout (it rejects with TimeoutError), and
 * `requestTimeout` bounds the whole request but only logs a warning unless
 * `throwOnRequestTimeout` is set (@smithy/types NodeHttpHandlerOptions).
 */
function requestSettings(timeouts: SyncTimeouts) {
    return {
        maxAttempts: timeouts.maxAttempts,
        requestHandler: {
            connectionTimeout: timeouts.connectionTimeoutMs,
            socketTimeout: timeouts.socketIdleTimeoutMs,
            requestTimeout: timeouts.requestTimeoutMs,
            throwOnRequestTimeout: true,
        },
    };
}

/**
 * The S3 client configuration of a sync: the bucket's region, the stack's
 * endpoint, `credentials` (from {@link credentialsFor}, shared with the
 * CloudFront client so a role is assumed once; undefined: the default
 * chain), and bounded timeouts with retries.
 */
export function s3ClientConfig(
    settings: AwsClientSettings,
    region: string,
    credentials?: AwsCredentialIdentityProvider,
    timeouts: SyncTimeouts = DEFAULT_SYNC_TIMEOUTS,
): S3ClientConfig {
    const endpoint = settings.endpoints?.s3;
    return {
        region,
        credentials,
        ...requestSettings(timeouts),
        ...(endpoint ? { endpoint } : {}),
        // A custom endpoint (an S3-compatible server) rarely resolves bucket
        // sub-domains, so path-style is the default there, as `aws s3 --endpoint-url` users expect.
        forcePathStyle: settings.s3UsePathStyle ?? endpoint !== undefined,
        // Resolve each command class's middleware stack once, not once per
        // request (@smithy/core Client.send). Rebuilt per request, that stack
        // and its handler closures live as long as the request, long enough
        // for V8 to move them to its old generation: 13 KiB of old-generation
        // garbage per PUT, 4.6 KiB with the cache (measured against s3rver),
        // a large part of what took a 100,000-file upload past 512 MiB
        // (bench/static-site/README.md, "100,000 files"). Safe for the sync:
        // it never adds middleware to the client or a command after the first
        // request, and every request of a sync has the same bucket, region
        // and credentials, so what the cached handlers' shared context holds
        // (endpoint, auth scheme) is the same for all of them.
        cacheMiddleware: true,
    };
}

/** The CloudFront client configuration of a sync's invalidations. */
export function cloudFrontClientConfig(
    settings: AwsClientSettings,
    credentials?: AwsCredentialIdentityProvider,
    timeouts: SyncTimeouts = DEFAULT_SYNC_TIMEOUTS,
): CloudFrontClientConfig {
    return {
        region: CLOUDFRONT_API_REGION,
        credentials,
        ...requestSettings(timeouts),
        ...(settings.endpoints?.cloudfront ? { endpoint: settings.endpoints.cloudfront } : {}),
    };
}

function expandHome(file: string | undefined): string | undefined {
    if (file === undefined) return undefined;
    return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}
