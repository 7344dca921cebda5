import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/internal/errors";

/**
 * The stage keys that may hold `secure:` values, and why only these: a
 * secret must stay secret from config to resource, so a key may be secure
 * only where webstack passes its value on as a `pulumi.secret`. Pulumi marks
 * secretness per top-level key: a `secure:` value anywhere inside
 * `webstack:web` makes the whole key secret, so every
 * `webstack:web.app.environment` value is then kept secret (the web tier
 * stores the release settings as an SSM SecureString, see
 * components/web-tier/release-settings.ts `settingsParameterType`). Every
 * other key becomes names, sizes and flags of resources, which cannot be
 * secret.
 */
export const SECRET_CAPABLE_KEYS = ["webstack:web"] as const;

/**
 * The keys of `config` the engine marks secret. The Pulumi SDK keeps its
 * `isConfigSecret` internal (stripped from the .d.ts, exported at runtime by
 * @pulumi/pulumi/runtime/config.js, reading PULUMI_CONFIG_SECRET_KEYS), and
 * `allConfig()` hands secure values over decrypted with no marking.
 */
export function engineSecretKeys(config: Record<string, string>): string[] {
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    return isSecret ? Object.keys(config).filter((key) => isSecret(key)) : [];
}

/** Refuses a `secure:` value under a webstack key whose value cannot stay secret. */
export function checkSecretKeys(secretKeys: readonly string[], namespace: string, stage: string): void {
    for (const key of secretKeys) {
        if (!key.startsWith(`${namespace}:`) || (SECRET_CAPABLE_KEYS as readonly string[]).includes(key)) continue;
        throw new ConfigError({
            setting: key,
            value: "[secret]",
            problem: "this setting becomes resource names and inputs, where a secure value would be stored in plain text",
            fix: `make it a plain value in Pulumi.${stage}.yaml; put secret values in webstack:web.app.environment (kept secret) or webstack:web.app.secrets (SSM parameter names)`,
        });
    }
}
