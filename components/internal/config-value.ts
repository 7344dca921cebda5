/**
 * Reads one Pulumi config value as the engine hands it to a program:
 * structured values (objects, lists, numbers, booleans from YAML) arrive
 * JSON-encoded, plain strings as written. Text that is not JSON is taken as
 * the string it is.
 */
export function decodeConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The inverse of {@link decodeConfigValue}: strings as written, anything else JSON-encoded. */
export function encodeConfigValue(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
