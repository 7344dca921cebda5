import { z } from "zod";
import { ConfigError } from "../../components/internal/errors";

/** `["network", "azCount"]` → `webstack:network.azCount` */
export function settingName(namespace: string, path: PropertyKey[]): string {
    const [first, ...rest] = path.map(String);
    return [`${namespace}:${first ?? ""}`, ...rest].join(".");
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let current: any = root;
    for (const key of path) current = current?.[key as any];
    return current;
}

/** What the user should do about one zod issue, in words. */
function fixFor(issue: z.core.$ZodIssue, knownKeys: (path: PropertyKey[]) => string[]): string {
    switch (issue.code) {
        case "invalid_value":
            return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "unrecognized_keys":
            return `remove it or fix its spelling; allowed here: ${knownKeys(issue.path).join(", ") || "none"}`;
        case "too_small":
            return `use a value of at least ${String(issue.minimum)}`;
        case "too_big":
            return `use a value of at most ${String(issue.maximum)}`;
        case "invalid_type":
            return `give a ${issue.expected}`;
        case "custom":
            return String((issue.params as { fix?: string } | undefined)?.fix ?? "see the problem above");
        default:
            return issue.message;
    }
}

/**
 * Turns zod's issues into one ConfigError that names every bad setting, its
 * value and the fix. The first problem is the error's `setting`.
 */
export function toConfigError(
    namespace: string,
    input: Record<string, unknown>,
    issues: z.core.$ZodIssue[],
    knownKeys: (path: PropertyKey[]) => string[],
): ConfigError {
    const problems = issues.map((issue) => {
        const extraKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const path = extraKeys.length > 0 ? [...issue.path, extraKeys[0]] : issue.path;
        const value = valueAt(input, path);
        const problem =
            issue.code === "unrecognized_keys" ? "unknown setting" : issue.code === "invalid_value" ? "not an allowed value" : issue.message;
        return new ConfigError({ setting: settingName(namespace, path), value, problem, fix: fixFor(issue, knownKeys) });
    });
    if (problems.length === 1) return problems[0];
    const first = problems[0];
    const error = new ConfigError({ setting: first.setting, value: first.value, problem: "see below", fix: first.fix });
    error.message = `The stage configuration has ${problems.length} problems:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`;
    return error;
}
