import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { resolveWebTierArgs, WebTierArgs } from "../../components/web-tier/args";

/** Asserts that resolving `args` throws a ConfigError naming `setting`, with a fix (and `messagePart` in the message). */
export function rejectsArgs(args: unknown, setting: string, messagePart?: RegExp): ConfigError {
    let caught: unknown;
    try {
        resolveWebTierArgs(args as WebTierArgs);
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${setting}, got ${String(caught)}`);
    assert.equal(caught.setting, setting);
    assert.ok(caught.fix.length > 0, "the error says how to fix it");
    if (messagePart) assert.match(caught.message, messagePart);
    return caught;
}
