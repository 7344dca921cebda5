import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Everything the instance needs to deploy the current release, as the SSM
 * parameter `/<app>/<stage>/<name>/release` holds it (JSON). It names
 * secrets by parameter, never by value, so it is a plain String parameter
 * (unless a plain environment value is itself a Pulumi secret, see
 * `settingsParameterType`).
 *
 * This is the one place a release's identity lives. User data and the SSM
 * document only know the parameter's name, so a new release changes this
 * parameter, never the instance's user data, and never replaces the instance.
 */
export interface ReleaseSettings {
    bucket: string;
    /** S3 key of the app archive: `<prefix>releases/<sha256>.tgz`. */
    releaseKey: string;
    /** sha256 of the app archive's tar stream; the instance checks the download against it. */
    releaseSha256: string;
    /** S3 key of the instance scripts (release switch, nginx template, deploy script): `<prefix>payload/<sha256>.tgz`. */
    payloadKey: string;
    payloadSha256: string;
    /** PM2 cluster workers: a number or "max". */
    instances: number | "max";
    ports: { blue: number; green: number };
    healthCheckPath: string;
    strategy: "in-place" | "all-at-once";
    /** Seconds the switch watches a new release before stopping the previous one (`--watch-seconds`; 0 = no watch). */
    watchSeconds: number;
    environment: Record<string, string>;
    /** Environment variable name → SSM parameter name. */
    secrets: Record<string, string>;
}

/** JSON with keys sorted at every level, so equal settings always give the same text (and revision). */
export function renderSettings(settings: ReleaseSettings): string {
    const sortKeys = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(sortKeys);
        if (value && typeof value === "object") {
            return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
        }
        return value;
    };
    return JSON.stringify(sortKeys(settings));
}

/** The revision of a settings text: its sha256. The deploy document is run with it, and the instance waits until the parameter holds it. */
export function settingsRevision(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

export interface ReleaseSettingsParameter {
    parameter: aws.ssm.Parameter;
    /** sha256 of the parameter's value: a new one re-runs the deploy association. */
    revision: pulumi.Output<string>;
}

/**
 * `SecureString` when any plain environment value is a Pulumi secret (e.g.
 * `config.requireSecret(...)` passed as `environment`), `String` otherwise:
 * a secret must not land in AWS as plaintext just because it was passed the
 * convenient way. The instance reads the parameter with decryption either way.
 */
export function settingsParameterType(environment: Record<string, pulumi.Input<string>>): pulumi.Output<"String" | "SecureString"> {
    const secretness = Object.values(environment).map((value) =>
        pulumi.Output.isInstance(value) ? (value as unknown as { isSecret: Promise<boolean> }).isSecret : Promise.resolve(false),
    );
    return pulumi.output(Promise.all(secretness)).apply((flags) => (flags.some(Boolean) ? "SecureString" : "String"));
}

/** The SSM parameter holding the current release settings. */
export function createReleaseSettingsParameter(
    name: string,
    parameterName: string,
    settings: pulumi.Input<ReleaseSettings>,
    type: pulumi.Input<"String" | "SecureString">,
    tags: Record<string, string>,
    parent: pulumi.Resource,
    dependsOn: pulumi.Resource[],
    kmsKeyArn?: pulumi.Input<string>,
): ReleaseSettingsParameter {
    const text = pulumi.output(settings).apply((resolved) => renderSettings(resolved as ReleaseSettings));
    const parameter = new aws.ssm.Parameter(
        `${name}-release-settings`,
        {
            name: parameterName,
            type,
            // A SecureString is encrypted with kmsKeyArn when given (else
            // alias/aws/ssm). KeyId applies to SecureString parameters only
            // (SSM API reference, PutParameter "KeyId"), so a String gets none.
            keyId: kmsKeyArn === undefined ? undefined : pulumi.all([type, kmsKeyArn]).apply(([t, key]) => (t === "SecureString" ? key : undefined)),
            // Standard parameters hold 4 KB; many environment variables can
            // exceed that, and Intelligent-Tiering moves to Advanced only then.
            tier: "Intelligent-Tiering",
            value: text,
            description: `current release of web tier ${name} (read by the instance at boot and on deploy)`,
            // The value may be secret (see settingsParameterType); the tag says which release it names, in the plan and the console.
            tags: pulumi.output(settings).apply((resolved) => ({ ...tags, ReleaseSha256: (resolved as ReleaseSettings).releaseSha256 })),
        },
        // The parameter must name archives that already exist in S3.
        { parent, dependsOn },
    );
    return { parameter, revision: text.apply(settingsRevision) };
}
