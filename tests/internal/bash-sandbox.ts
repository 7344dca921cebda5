import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Helpers for tests that run rendered shell scripts: hostile values, a
 * sandbox folder to run them in, and bash's own syntax check.
 */

/** Values an attacker would put in a name, a path or a region; each must arrive as data. */
export const HOSTILE_VALUES = [
    "web\ntouch canary",
    "$(touch canary)",
    "`touch canary`",
    "'; touch canary; '",
    "\"; touch canary; \"",
    "a b;touch canary",
    "x' \"$(touch canary)\" '",
    "''''",
    "\\",
    "trailing\\",
    "${IFS}touch${IFS}canary",
    "!! $HOME * ? [a] ~",
    "\r\n\ttouch canary\n",
    "naïve – ünïcödé",
    "",
];

/** Runs `script` with bash in a fresh folder; returns the folder and the result. */
export function runInSandbox(script: string, env: Record<string, string> = {}, dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-shell-"))) {
    // stdin ignored: bash reads ~/.bashrc when its stdin is a socket (its rshd check), and node passes sockets.
    const result = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
    return { dir, result, canary: fs.existsSync(path.join(dir, "canary")) };
}

/** bash -n's complaints about `script`, or "" when it parses. */
export function bashSyntaxErrors(script: string): string {
    const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
    return result.status === 0 ? "" : result.stderr || `bash -n exited ${result.status}`;
}

