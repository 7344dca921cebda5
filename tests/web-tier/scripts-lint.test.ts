// Every shell script the package ships (instance payloads under components/)
// must parse (`bash -n`) and pass shellcheck: they run as root on instances
// where a typo shows up only at deploy time.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";

const componentsDir = path.resolve(__dirname, "../../components");
const shellcheckHint = "shellcheck is not installed: apt-get install -y shellcheck (Debian/Ubuntu) or dnf install -y ShellCheck";

function shellScripts(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : shellScripts(full);
        return entry.name.endsWith(".sh") ? [full] : [];
    });
}

function hasShellcheck(): boolean {
    return spawnSync("shellcheck", ["--version"]).status === 0;
}

describe("shell scripts under components/", () => {
    const scripts = shellScripts(componentsDir);
    const name = (script: string) => path.relative(componentsDir, script);

    it("are there to check (the instance payload at least)", () => {
        assert.ok(scripts.some((script) => script.endsWith("web-tier/payload/release-switch.sh")), `found: ${scripts.map(name).join(", ")}`);
    });

    for (const script of scripts) {
        it(`${name(script)} parses with bash -n`, () => {
            const result = spawnSync("bash", ["-n", script], { encoding: "utf8" });
            assert.equal(result.status, 0, result.stderr);
        });

        it(`${name(script)} passes shellcheck`, function () {
            if (!hasShellcheck()) {
                if (process.env.CI === "true") throw new Error(shellcheckHint);
                console.warn(`      skipped: ${shellcheckHint}`);
                this.skip();
            }
            // -x follows `source`d files; run from the script's folder so relative sources resolve.
            const result = spawnSync("shellcheck", ["-x", path.basename(script)], { cwd: path.dirname(script), encoding: "utf8" });
            assert.equal(result.status, 0, result.stdout + result.stderr);
        });
    }
});
