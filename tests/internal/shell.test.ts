import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { shellCommentText, shellQuote } from "../../components/internal/shell";
import { bashSyntaxErrors, HOSTILE_VALUES, runInSandbox } from "./bash-sandbox";

describe("shellQuote", () => {
    for (const value of HOSTILE_VALUES) {
        it(`passes ${JSON.stringify(value)} to bash byte-for-byte and runs none of it`, () => {
            const script = `value=${shellQuote(value)}\nprintf '%s' "$value" > out`;
            assert.equal(bashSyntaxErrors(script), "");
            const { dir, result, canary } = runInSandbox(script);
            assert.equal(result.status, 0, result.stderr);
            assert.equal(canary, false, "the value ran a command");
            assert.equal(fs.readFileSync(path.join(dir, "out"), "utf8"), value);
        });
    }

    it("quotes a value used as a command argument too", () => {
        const value = "a b'c\n$(touch canary)";
        const { dir, result, canary } = runInSandbox(`printf '%s' ${shellQuote(value)} > out`);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(canary, false);
        assert.equal(fs.readFileSync(path.join(dir, "out"), "utf8"), value);
    });

    it("refuses a NUL, which no shell argument can hold", () => {
        assert.throws(() => shellQuote("a\0b"), /NUL/);
    });
});

describe("shellCommentText", () => {
    it("keeps a comment on one line whatever the value holds", () => {
        const line = `# ${shellCommentText("web\ntouch canary\r\u0085x")}`;
        assert.equal(line.split(/[\n\r]/).length, 1);
        const { result, canary } = runInSandbox(`${line}\nexit 0`);
        assert.equal(result.status, 0);
        assert.equal(canary, false);
    });
});
