// The systemd unit that resumes the active release after a reboot, rendered
// by the real boot/resume-unit.sh and checked by the real
// `systemd-analyze verify`, next to PM2's own unit rendered from the template
// `pm2 startup systemd` uses (node_modules/pm2). The ordering matters: PM2's
// unit resurrects the saved process list; a resume that ran before it would
// find PM2 not running the release yet and start a second copy on the same
// port (or race PM2's daemon start).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { APP_USER, renderUserData } from "../../components/web-tier/host/user-data";

const BOOT_DIR = path.resolve(__dirname, "../../components/web-tier/boot");
const PM2_TEMPLATE = path.resolve(__dirname, "../../node_modules/pm2/lib/templates/init-scripts/systemd.tpl");
const PM2_BIN = path.resolve(__dirname, "../../node_modules/pm2/bin/pm2");
const systemdAnalyzeHint = "systemd-analyze is not installed: apt-get install -y systemd (Debian/Ubuntu) or dnf install -y systemd";
/** The name `pm2 startup systemd --user <user>` gives its unit (pm2 lib/API/Startup.js: `'pm2-' + user`). */
const pm2Unit = `pm2-${APP_USER}.service`;

function hasSystemdAnalyze(): boolean {
    return spawnSync("systemd-analyze", ["--version"]).status === 0;
}

function renderResumeUnit(root: string, user: string, region: string): string {
    const result = spawnSync("bash", [path.join(BOOT_DIR, "resume-unit.sh"), root, user, region], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
}

/** PM2's unit as `pm2 startup` writes it, with paths that exist here (on the instance they are /usr/bin, /home/webapp). */
function renderPm2Unit(user: string): string {
    return fs
        .readFileSync(PM2_TEMPLATE, "utf8")
        .replace(/%USER%/g, user)
        .replace(/%NODE_PATH%/g, path.dirname(process.execPath))
        .replace(/%HOME_PATH%/g, `/home/${user}/.pm2`)
        .replace(/%PM2_PATH%/g, PM2_BIN);
}

/** Values of `key=` lines in `[section]`, split on whitespace (systemd's list syntax for dependencies). */
function directive(unit: string, section: string, key: string): string[] {
    let current = "";
    const values: string[] = [];
    for (const line of unit.split("\n")) {
        const header = /^\[(.+)\]$/.exec(line.trim());
        if (header) current = header[1];
        else if (current === section && line.startsWith(`${key}=`)) values.push(...line.slice(key.length + 1).trim().split(/\s+/));
    }
    return values;
}

describe("WebTier resume unit (systemd-analyze verify, real)", function () {
    this.timeout(60_000);
    let dir: string;

    before(function () {
        if (!hasSystemdAnalyze()) {
            if (process.env.CI === "true") throw new Error(systemdAnalyzeHint);
            console.warn(`    skipped: ${systemdAnalyzeHint}`);
            this.skip();
        }
    });

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-units-"));
        fs.writeFileSync(path.join(dir, "webstack-resume.service"), renderResumeUnit("/opt/webstack", APP_USER, "eu-west-1"));
        fs.writeFileSync(path.join(dir, pm2Unit), renderPm2Unit(APP_USER));
        // nginx's own unit comes from the AL2023 package; a stub stands in for it here.
        fs.writeFileSync(path.join(dir, "nginx.service"), "[Unit]\nDescription=nginx stub\n\n[Service]\nType=forking\nExecStart=/bin/true\n");
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** `systemd-analyze verify` with the temp dir searched first (the trailing ":" keeps the host's units, e.g. network-online.target). */
    function verify(...units: string[]) {
        return spawnSync("systemd-analyze", ["verify", "--man=no", ...units.map((unit) => path.join(dir, unit))], {
            encoding: "utf8",
            env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:`, SYSTEMD_LOG_COLOR: "0" },
        });
    }

    it("the resume unit and PM2's unit pass systemd-analyze verify without a warning", () => {
        const result = verify("webstack-resume.service", pm2Unit);
        // verify exits 0 on parse warnings ("Failed to parse ..., ignoring"), so any output is a failure too.
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stderr.trim(), "", "systemd-analyze printed warnings");
    });

    it("the check is live: a unit with a misspelt directive value is reported", () => {
        const unit = fs.readFileSync(path.join(dir, "webstack-resume.service"), "utf8").replace("Type=oneshot", "Type=oneshott");
        fs.writeFileSync(path.join(dir, "webstack-resume.service"), unit);
        assert.match(verify("webstack-resume.service").stderr, /Failed to parse service type/);
    });

    it("is a oneshot ordered after PM2's unit (and wants it), after nginx and the network", () => {
        const unit = fs.readFileSync(path.join(dir, "webstack-resume.service"), "utf8");
        assert.deepEqual(directive(unit, "Service", "Type"), ["oneshot"]);
        const after = directive(unit, "Unit", "After");
        const wants = directive(unit, "Unit", "Wants");
        assert.ok(after.includes(pm2Unit), `After= lacks ${pm2Unit}: ${after.join(" ")}`);
        assert.ok(wants.includes(pm2Unit), `Wants= lacks ${pm2Unit}: ${wants.join(" ")}`);
        assert.ok(after.includes("nginx.service") && after.includes("network-online.target"), after.join(" "));
        assert.deepEqual(directive(unit, "Install", "WantedBy"), ["multi-user.target"]);
    });

    it("PM2's unit is the one the user data registers (same user, so the same name)", () => {
        const userData = renderUserData({ name: "web", nodeVersion: 20, settingsParameter: "/shop/dev/web/release", region: "eu-west-1" });
        assert.match(userData, new RegExp(`pm2 startup systemd --user '${APP_USER}' `));
        // deploy-release.sh renders the unit for the same user.
        assert.match(fs.readFileSync(path.join(BOOT_DIR, "deploy-release.sh"), "utf8"), /resume-unit\.sh" "\$ROOT" "\$APP_USER"/);
    });

    it("the ExecStart line runs the deploy script's resume under the deploy lock", () => {
        const unit = fs.readFileSync(path.join(dir, "webstack-resume.service"), "utf8");
        assert.deepEqual(directive(unit, "Service", "ExecStart"), [
            "/usr/bin/flock",
            "/opt/webstack/deploy.lock",
            "/bin/bash",
            "/opt/webstack/scripts-current/boot/deploy-release.sh",
            "/opt/webstack/settings/current.json",
            "resume",
        ]);
    });
});
