import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deployCommands } from "../../components/web-tier/host/boot-command";
import { listFolder, packAppFolder, packArchive, ReleaseArchive } from "../../components/web-tier/release/release-archive";
import { ReleaseSettings, renderSettings, settingsRevision } from "../../components/web-tier/release/release-settings";

/**
 * The on-instance glue run for real: the deploy commands (user data and SSM
 * document) and boot/deploy-release.sh + app-env.sh, against a fake `aws`
 * CLI that serves SSM parameters and S3 objects from folders, and a release
 * switch stand-in that records how it is called. (The real release switch is
 * tested on loopback with nginx and PM2 by its own tests.)
 */
describe("WebTier boot glue (bash, fake aws CLI)", function () {
    this.timeout(60_000);
    let root: string;
    let release: ReleaseArchive;
    let scripts: ReleaseArchive;
    const SECRET = "s3cr3t-value";

    const fakeAws = `#!/usr/bin/env bash
set -euo pipefail
echo "aws $*" >> "$FAKE_ROOT/aws-calls.log"
if [[ $1 == ssm && $2 == get-parameter ]]; then
  while (($#)); do if [[ $1 == --name ]]; then name=$2; fi; shift; done
  file="$FAKE_ROOT/ssm/$(printf '%s' "$name" | tr / _)"
  [[ -f $file ]] || { echo "ParameterNotFound: $name" >&2; exit 254; }
  cat "$file"; echo
elif [[ $1 == s3 && $2 == cp ]]; then
  for arg in "$@"; do case $arg in s3://*) src=\${arg#s3://} ;; esac; done
  cp "$FAKE_ROOT/s3/$src" "\${@: -1}"
else
  echo "fake aws: unsupported $*" >&2; exit 2
fi
`;
    // Records its arguments; on deploy, runs the env command as the real one does.
    const switchStub = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> "$FAKE_ROOT/switch-calls.log"
env_command=''
args=("$@")
for i in "\${!args[@]}"; do [[ \${args[$i]} == --env-command ]] && env_command=\${args[$((i + 1))]}; done
if [[ " $* " == *" deploy "* ]]; then bash -c "$env_command" > "$FAKE_ROOT/app-env.out"; fi
`;

    function writeParameter(name: string, value: string) {
        fs.writeFileSync(path.join(root, "ssm", name.replace(/\//g, "_")), value);
    }
    function putObject(key: string, file: string) {
        fs.mkdirSync(path.dirname(path.join(root, "s3", "bucket", key)), { recursive: true });
        fs.copyFileSync(file, path.join(root, "s3", "bucket", key));
    }
    function settingsFor(overrides: Partial<ReleaseSettings> = {}): ReleaseSettings {
        return {
            bucket: "bucket",
            releaseKey: `releases/${release.sha256}.tgz`,
            releaseSha256: release.sha256,
            payloadKey: `payload/${scripts.sha256}.tgz`,
            payloadSha256: scripts.sha256,
            instances: "max",
            ports: { blue: 3001, green: 3002 },
            healthCheckPath: "/health",
            strategy: "in-place",
            watchSeconds: 30,
            environment: { NODE_ENV: "production", DB_HOST: "db.internal" },
            secrets: { API_TOKEN: "/shop/dev/api-token" },
            ...overrides,
        };
    }
    function runDeploy(revision: string, extraEnv: Record<string, string> = {}) {
        const script = deployCommands("/shop/dev/web/release", "eu-west-1", revision, path.join(root, "home")).join("\n");
        return spawnSync("bash", ["-c", script], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${path.join(root, "bin")}:${process.env.PATH}`, FAKE_ROOT: root, WEBSTACK_APP_USER: "root", WEBSTACK_SWITCH_LOG_DIR: path.join(root, "switch-logs"), ...extraEnv },
        });
    }

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "webtier-boot-"));
        for (const dir of ["bin", "ssm", "s3", "stub/payload"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
        fs.writeFileSync(path.join(root, "bin", "aws"), fakeAws, { mode: 0o755 });
        fs.writeFileSync(path.join(root, "stub", "payload", "release-switch.sh"), switchStub);
        const cache = path.join(root, "cache");
        release = packAppFolder(path.resolve("examples/api"), cache);
        scripts = packArchive([...listFolder(path.join(root, "stub", "payload"), "payload"), ...listFolder(path.resolve("components/web-tier/boot"), "boot")], cache);
        putObject(`releases/${release.sha256}.tgz`, release.file);
        putObject(`payload/${scripts.sha256}.tgz`, scripts.file);
        writeParameter("/shop/dev/api-token", SECRET);
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("deploys the release the settings name, through the switch, with the settings' flags", () => {
        const text = renderSettings(settingsFor());
        writeParameter("/shop/dev/web/release", text);
        const run = runDeploy(settingsRevision(text));
        assert.equal(run.status, 0, run.stderr);
        const calls = fs.readFileSync(path.join(root, "switch-calls.log"), "utf8").trim().split("\n");
        assert.equal(calls.length, 2);
        assert.match(calls[0], /install-site$/);
        const archive = path.join(root, "home", "archives", `${release.sha256}.tgz`);
        assert.ok(calls[1].endsWith(`deploy ${archive} ${release.sha256.slice(0, 16)}-${settingsRevision(text).slice(0, 8)}`), calls[1]);
        for (const flag of ["--ports 3001,3002", "--strategy in-place", "--health-path /health", "--instances max", `--root ${path.join(root, "home")}`, "--pm2 runuser -u root -- pm2", "--listen 80 default_server", "--app-user root", `--switch-log-dir ${path.join(root, "switch-logs")}`, "--keep 2"]) {
            assert.ok(calls[1].includes(flag), `${flag} in ${calls[1]}`);
        }
        assert.equal(fs.readFileSync(archive).equals(fs.readFileSync(release.file)), true);
    });

    it("hands deploy.watchSeconds to the switch as --watch-seconds, and 30 for settings written before it existed", () => {
        const withWatch = renderSettings(settingsFor({ watchSeconds: 45 }));
        writeParameter("/shop/dev/web/release", withWatch);
        const first = runDeploy(settingsRevision(withWatch));
        assert.equal(first.status, 0, first.stderr);
        const { watchSeconds: _, ...older } = settingsFor();
        const withoutWatch = renderSettings(older as ReleaseSettings);
        writeParameter("/shop/dev/web/release", withoutWatch);
        const second = runDeploy(settingsRevision(withoutWatch));
        assert.equal(second.status, 0, second.stderr);
        const deploys = fs.readFileSync(path.join(root, "switch-calls.log"), "utf8").trim().split("\n").filter((line) => line.includes(" deploy "));
        assert.equal(deploys.length, 2);
        assert.match(deploys[0], / --watch-seconds 45 /);
        assert.match(deploys[1], / --watch-seconds 30 /);
    });

    it("leaves the release settings readable by root and the app user only (issue 10)", () => {
        const text = renderSettings(settingsFor());
        writeParameter("/shop/dev/web/release", text);
        const run = runDeploy(settingsRevision(text));
        assert.equal(run.status, 0, run.stderr);
        const settings = path.join(root, "home", "settings");
        const mode = (file: string) => (fs.lstatSync(file).mode & 0o777).toString(8);
        assert.equal(mode(settings), "750");
        assert.equal(mode(path.join(settings, `${settingsRevision(text)}.json`)), "640");
    });

    it("gives the app its plain variables and its secrets from SSM, never on a command line", () => {
        const text = renderSettings(settingsFor());
        writeParameter("/shop/dev/web/release", text);
        const run = runDeploy("any");
        assert.equal(run.status, 0, run.stderr);
        const env = fs.readFileSync(path.join(root, "app-env.out"), "utf8").trim().split("\n").sort();
        assert.deepEqual(env, ["API_TOKEN=s3cr3t-value", "DB_HOST=db.internal", "NODE_ENV=production"]);
        assert.equal(fs.readFileSync(path.join(root, "switch-calls.log"), "utf8").includes(SECRET), false);
        assert.match(fs.readFileSync(path.join(root, "aws-calls.log"), "utf8"), /ssm get-parameter --with-decryption --name \/shop\/dev\/api-token/);
    });

    it("refuses a release whose content does not match its hash", () => {
        const text = renderSettings(settingsFor());
        writeParameter("/shop/dev/web/release", text);
        fs.writeFileSync(path.join(root, "s3", "bucket", "releases", `${release.sha256}.tgz`), fs.readFileSync(scripts.file));
        const run = runDeploy("any");
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /hashes to [0-9a-f]{64}, not/);
        assert.equal(fs.readFileSync(path.join(root, "switch-calls.log"), "utf8").includes(" deploy "), false, "the switch never saw it");
    });

    it("waits for the revision it was started for, and fails if the parameter never reaches it", () => {
        writeParameter("/shop/dev/web/release", renderSettings(settingsFor()));
        const wanted = settingsRevision(renderSettings(settingsFor({ environment: { NODE_ENV: "staging" } })));
        const run = runDeploy(wanted, { WEBSTACK_SETTINGS_ATTEMPTS: "1" });
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, new RegExp(`never reached revision ${wanted}`));
        assert.equal(fs.existsSync(path.join(root, "switch-calls.log")), false);
    });

    it("retries an unreadable settings parameter (IAM still propagating) instead of failing at the first error", () => {
        const run = runDeploy("any", { WEBSTACK_SETTINGS_ATTEMPTS: "2" });
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /never reached revision any \(last: unreadable\)/);
        const reads = fs.readFileSync(path.join(root, "aws-calls.log"), "utf8").split("\n").filter((l) => l.includes("--name /shop/dev/web/release"));
        assert.equal(reads.length, 2, "read again after the failed read");
    });

    it("a changed environment with the same archive is a new release id (the switch would skip an active id)", () => {
        const first = renderSettings(settingsFor());
        writeParameter("/shop/dev/web/release", first);
        assert.equal(runDeploy("any").status, 0);
        const second = renderSettings(settingsFor({ environment: { NODE_ENV: "production", DB_HOST: "db2.internal" } }));
        writeParameter("/shop/dev/web/release", second);
        assert.equal(runDeploy(settingsRevision(second)).status, 0);
        const ids = fs.readFileSync(path.join(root, "switch-calls.log"), "utf8").trim().split("\n").filter((l) => l.includes(" deploy ")).map((l) => l.split(" ").pop());
        assert.equal(ids.length, 2);
        assert.notEqual(ids[0], ids[1]);
        assert.equal(ids[0]?.slice(0, 16), ids[1]?.slice(0, 16), "same archive");
    });
});
