import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { BOOT_SCRIPT_PATH, BootParameters, renderBootScript } from "../../components/managed-database/ec2/boot-script";
import { bashSyntaxErrors, HOSTILE_VALUES, runInSandbox } from "../internal/bash-sandbox";

/**
 * The database boot script's values go through the shared shellQuote: with
 * hostile values the whole script still parses, and its variable
 * assignments (boot.sh's own lines) run in a sandbox set each variable to
 * the value byte-for-byte without running any of it.
 */
describe("ManagedDatabase ec2 boot script with hostile values", function () {
    this.timeout(60_000);
    const parameters: BootParameters = {
        engine: "postgres",
        majorVersion: "16",
        databaseName: "app",
        username: "app_admin",
        port: 5432,
        secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        volumeId: "vol-0123456789abcdef0",
        region: "eu-west-1",
    };
    const template = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8");
    // boot.sh's assignment lines, e.g. `SECRET_ARN='@SECRET_ARN@'        # comment`.
    const assignments = template.split("\n").filter((line) => /^[A-Z_]+='@[A-Z_]+@'/.test(line));
    const dump = ["SECRET_ARN", "VOLUME_ID", "AWS_REGION", "DB_MAJOR_VERSION"].map((name) => `printf '%s\\0' "$${name}" >> out`);

    it("finds the assignment lines it runs", () => {
        assert.equal(assignments.length, 8);
    });

    for (const value of HOSTILE_VALUES) {
        it(`renders ${JSON.stringify(value)} as data`, () => {
            const hostile = { ...parameters, secretArn: value, volumeId: value, region: value, majorVersion: value };
            assert.equal(bashSyntaxErrors(renderBootScript(hostile)), "");
            const part = renderBootScript(hostile, [...assignments, ...dump, ""].join("\n"));
            const { dir, result, canary } = runInSandbox(part);
            assert.equal(result.status, 0, result.stderr);
            assert.equal(canary, false, "a hostile value ran as a command");
            assert.deepEqual(fs.readFileSync(path.join(dir, "out"), "utf8").split("\0").slice(0, -1), [value, value, value, value]);
        });
    }
});
