import * as pulumi from "@pulumi/pulumi";

/**
 * The one error type webstack throws for bad input.
 *
 * Every message names the setting, the value that was given and how to fix
 * it, so a user never has to read webstack's source to understand a failure.
 * Components throw it from their pure `resolve*Args` functions, before any
 * resource is registered.
 */
export class ConfigError extends Error {
    /** The setting that is wrong, as the user wrote it (e.g. `hosting`, `webstack:layout`). */
    readonly setting: string;
    /** The offending value (rendered with JSON.stringify in the message). */
    readonly value: unknown;
    /** What is wrong with the value, in words. */
    readonly problem: string;
    /** What the user should do instead. */
    readonly fix: string;

    constructor(details: { setting: string; value: unknown; problem: string; fix: string }) {
        super(
            `Invalid ${details.setting} = ${renderValue(details.value)}: ${details.problem}. ` +
                `Fix: ${details.fix}`,
        );
        this.name = "ConfigError";
        this.setting = details.setting;
        this.value = details.value;
        this.problem = details.problem;
        this.fix = details.fix;
    }
}

/**
 * The same error, reported under the name the user wrote: a component arg
 * `deploy.strategy` set through the stage key `webstack:web` becomes
 * `webstack:web.deploy.strategy`. Settings already under `prefix`'s
 * namespace, and other errors, pass through unchanged.
 */
export function renamedSetting(prefix: string, error: unknown): unknown {
    if (!(error instanceof ConfigError) || error.setting.includes(":")) return error;
    return new ConfigError({ setting: `${prefix}.${error.setting}`, value: error.value, problem: error.problem, fix: error.fix });
}

/** Runs `check`, reporting any ConfigError it throws under `prefix` (see {@link renamedSetting}). */
export function checkedAs<T>(prefix: string, check: () => T): T {
    try {
        return check();
    } catch (error) {
        throw renamedSetting(prefix, error);
    }
}

/** Shorthand used by the argument resolvers: throw a ConfigError. */
export function invalid(setting: string, value: unknown, problem: string, fix: string): never {
    throw new ConfigError({ setting, value, problem, fix });
}

/** How an Output (a value known only at deploy time) is shown in a message. */
export const COMPUTED_VALUE = "(a computed value)";

/**
 * The value with every Output replaced by {@link COMPUTED_VALUE}. JSON.stringify
 * would call `Output.toJSON`, which returns a paragraph-long warning
 * ("Calling [toJSON] on an [Output<T>] is not supported...") instead of a value.
 */
function withoutOutputs(value: unknown, seen = new Set<unknown>()): unknown {
    if (pulumi.Output.isInstance(value)) return COMPUTED_VALUE;
    // A resource's properties are Outputs (and its parent, its provider...).
    if (pulumi.Resource.isInstance(value)) return "(a resource)";
    if (value === null || typeof value !== "object" || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => withoutOutputs(item, seen));
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutOutputs(item, seen)]));
}

function renderValue(value: unknown): string {
    if (value === undefined) return "(not set)";
    // An Output or a resource on its own reads better unquoted.
    if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) return String(withoutOutputs(value));
    // JSON escapes C0 controls but not DEL and C1 (terminal escapes): escape those too.
    const text = JSON.stringify(withoutOutputs(value))?.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
