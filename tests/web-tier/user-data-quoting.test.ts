import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { shellQuote } from "../../components/internal/shell";
import { WEBSTACK_HOME } from "../../components/web-tier/host/boot-command";
import { renderUserData } from "../../components/web-tier/host/user-data";
import { bashSyntaxErrors, HOSTILE_VALUES, runInSandbox } from "../internal/bash-sandbox";

/**
 * The user data rendered with hostile values (names are refused before this,
 * but the script must not depend on that), then run for real: every command
 * it calls is a stub on PATH that records its arguments, so the test sees
 * what reached each command, and a `canary` file would show a value that
 * ran as a command.
 */
describe("WebTier user data with hostile values", function () {
    this.timeout(60_000);
    const STUBS = ["dnf", "alternatives", "npm-22", "id", "useradd", "pm2", "sed", "systemctl", "tee", "sleep"];

    function sandbox(): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-userdata-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        for (const command of STUBS) fs.writeFileSync(path.join(bin, command), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
        // tee receives the script's output (stderr too): it passes it on, as the real one does.
        fs.writeFileSync(path.join(bin, "tee"), "#!/bin/bash\ncat\n", { mode: 0o755 });
        // The aws stub writes each argument and the region NUL-terminated, then fails the read.
        fs.writeFileSync(
            path.join(bin, "aws"),
            `#!/bin/bash\nprintf '%s\\0' "$@" > "$SANDBOX/aws-args"\nprintf '%s' "$AWS_DEFAULT_REGION" > "$SANDBOX/aws-region"\nexit 1\n`,
            { mode: 0o755 },
        );
        return dir;
    }

    for (const value of HOSTILE_VALUES.filter((v) => v !== "")) {
        it(`renders ${JSON.stringify(value)} as data: bash -n passes, nothing runs, aws gets it byte-for-byte`, () => {
            const settingsParameter = `/shop/dev/${value}/release`;
            const script = renderUserData({ name: value, nodeVersion: 22, settingsParameter, region: value });
            assert.equal(bashSyntaxErrors(script), "");
            const dir = sandbox();
            // The one change to the script: its home (always quoted) points into the sandbox.
            const home = path.join(dir, "home");
            assert.ok(script.includes(shellQuote(WEBSTACK_HOME)));
            const local = script.split(shellQuote(WEBSTACK_HOME)).join(shellQuote(home));
            const { result, canary } = runInSandbox(local, { PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`, SANDBOX: dir, WEBSTACK_SETTINGS_ATTEMPTS: "1" }, dir);
            assert.equal(canary, false, "a hostile value ran as a command");
            // It ran to the settings read, which the stub refuses.
            assert.equal(result.status, 1, result.stdout + result.stderr);
            assert.match(result.stdout + result.stderr, /release settings never reached revision any/);
            const args = fs.readFileSync(path.join(dir, "aws-args"), "utf8").split("\0").slice(0, -1);
            assert.equal(args[args.indexOf("--name") + 1], settingsParameter);
            assert.equal(fs.readFileSync(path.join(dir, "aws-region"), "utf8"), value);
            // The settings (plain env values included) are never readable by others, not even before the first deploy tightens them.
            assert.equal(fs.statSync(path.join(home, "settings")).mode & 0o777, 0o750);
        });
    }
});
