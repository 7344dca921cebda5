/**
 * What the harness keeps of every resource the program registers.
 */
export interface RecordedResource {
    /** Pulumi type token, e.g. `aws:s3/bucketV2:BucketV2` or `webstack:index:StaticSite`. */
    type: string;
    /** Logical name, e.g. `site-bucket`. */
    name: string;
    /** The URN the mock engine gave it. */
    urn: string;
    /** The URN of the parent resource, or undefined for top-level resources. */
    parentUrn?: string;
    /**
     * The inputs as the engine received them. Secret values are still wrapped
     * (see {@link isSecretValue}); use {@link plainInputs} or {@link redactSecrets}
     * to read them.
     */
    rawInputs: Record<string, unknown>;
    /** True for custom (cloud) resources, false for components. */
    custom: boolean;
    /** The physical id the mock engine gave it (undefined for components). */
    id?: string;
    /**
     * The outputs the harness made up for it, as AWS or the provider would
     * compute them (auto-names, ARNs, addresses, ids): not in the program.
     */
    computed?: Record<string, unknown>;
    /** The explicit provider reference (`urn::id`), when one was given. */
    providerRef?: string;
    /** Resource options the engine received that matter for safety reviews. */
    options: {
        protect: boolean;
        retainOnDelete: boolean;
        deleteBeforeReplace: boolean;
        ignoreChanges: string[];
        dependsOn: string[];
        /** The former names it answers to (Pulumi `aliases`). */
        aliasNames: string[];
    };
}

/** Pulumi's marker for a serialized secret (see @pulumi/pulumi runtime/rpc). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** A deep copy of `value` with every secret replaced by `replacement`. */
export function redactSecrets(value: unknown, replacement: unknown = "[secret]"): unknown {
    return mapSecrets(value, () => replacement);
}

/** A deep copy of `value` with every secret unwrapped to its plain value. */
export function plainInputs(value: unknown): unknown {
    return mapSecrets(value, (secret) => plainInputs(secret.value));
}

function mapSecrets(value: unknown, onSecret: (secret: { value: unknown }) => unknown): unknown {
    if (isSecretValue(value)) return onSecret(value);
    if (Array.isArray(value)) return value.map((item) => mapSecrets(item, onSecret));
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = mapSecrets(item, onSecret);
        return out;
    }
    return value;
}
