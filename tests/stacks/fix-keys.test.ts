import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stageSchema } from "../../stacks/config";

const ROOT = path.resolve(__dirname, "..", "..");

/** The object schema under defaults, optionals, refinements and preprocessing, if any. */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
    let current: any = schema;
    for (let depth = 0; current && !current.shape && depth < 10; depth++) {
        current = current.def?.innerType ?? current.def?.out ?? current.def?.in;
    }
    return current?.shape;
}

/** Every stage key path the schema accepts: `webstack:network`, `webstack:network.azCount`, ... */
function schemaKeys(schema: unknown, prefix: string, into = new Set<string>()): Set<string> {
    const shape = objectShape(schema);
    for (const [key, child] of Object.entries(shape ?? {})) {
        const name = prefix.endsWith(":") ? `${prefix}${key}` : `${prefix}.${key}`;
        into.add(name);
        schemaKeys(child, name, into);
    }
    return into;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/**
 * Words that look like stage keys but are not: resource type tokens
 * (`webstack:index:DnsAndTls`), a tag key, and the misspelling the schema's
 * own documentation uses as an example of what it rejects.
 */
const NOT_STAGE_KEYS = new Set(["webstack:snapshot", "webstack:netwrok"]);

describe("every webstack:... key that components/ and stacks/ name exists in the stage schema", () => {
    const known = schemaKeys(stageSchema, "webstack:");

    it("knows the schema's keys (the walk reaches nested and preprocessed objects)", () => {
        for (const key of ["webstack:layout", "webstack:network.azCount", "webstack:domain.zone", "webstack:web.app.port", "webstack:database.mode"]) {
            assert.ok(known.has(key), `${key} in ${[...known].join(", ")}`);
        }
    });

    it("finds no fix, comment or message naming a key that does not exist", () => {
        const unknown: string[] = [];
        for (const file of [...sourceFiles(path.join(ROOT, "components")), ...sourceFiles(path.join(ROOT, "stacks"))]) {
            const text = fs.readFileSync(file, "utf8");
            // A key ends before ":" (type tokens) or a trailing "." (a sentence's end, or a template's `${prefix}.`).
            for (const match of text.matchAll(/webstack:[a-zA-Z][a-zA-Z0-9.]*(:)?/g)) {
                if (match[1]) continue;
                const key = match[0].replace(/\.+$/, "");
                if (!known.has(key) && !NOT_STAGE_KEYS.has(key)) unknown.push(`${path.relative(ROOT, file)}: ${key}`);
            }
        }
        assert.deepEqual(unknown, []);
    });
});
