import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BOOT_SCRIPT_PATH, BootParameters, renderBootScript } from "../../components/managed-database/ec2/boot-script";

const parameters: BootParameters = {
    engine: "postgres",
    majorVersion: "16",
    databaseName: "app",
    username: "app",
    port: 5432,
    secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbC123",
    volumeId: "vol-0123456789abcdef0",
    region: "eu-west-1",
};

function lint(script: string): void {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webstack-db-")), "user-data.sh");
    fs.writeFileSync(file, script);
    const syntax = spawnSync("bash", ["-n", file], { encoding: "utf8" });
    assert.equal(syntax.status, 0, `bash -n: ${syntax.stderr}`);
    const shellcheck = spawnSync("shellcheck", ["--shell=bash", file], { encoding: "utf8" });
    assert.equal(shellcheck.status, 0, `shellcheck: ${shellcheck.stdout}${shellcheck.stderr}`);
}

describe("ManagedDatabase ec2 boot script", () => {
    it("passes bash -n and shellcheck as shipped and as rendered for each engine", () => {
        lint(fs.readFileSync(BOOT_SCRIPT_PATH, "utf8"));
        lint(renderBootScript(parameters));
        lint(renderBootScript({ ...parameters, engine: "mariadb", majorVersion: "10.11", port: 3306 }));
    });

    it("fills in every placeholder with the values given", () => {
        const script = renderBootScript(parameters);
        assert.doesNotMatch(script, /'@[A-Z_]+@'/);
        assert.match(script, /^DB_ENGINE='postgres'/m);
        assert.match(script, /^DB_PORT='5432'/m);
        assert.match(script, new RegExp(`^SECRET_ARN='${parameters.secretArn}'`, "m"));
        assert.match(script, /^VOLUME_ID='vol-0123456789abcdef0'/m);
    });

    it("refuses a database name or user that is not a plain identifier (they also reach SQL, where shell quoting protects nothing)", () => {
        assert.throws(() => renderBootScript({ ...parameters, databaseName: "app'; rm -rf /" }), /DB_NAME=.*not a plain identifier/);
        assert.throws(() => renderBootScript({ ...parameters, username: "u$(id)" }), /DB_USER=.*not a plain identifier/);
    });

    it("requires IMDSv2 tokens, generates the password on the instance and keeps it off command lines", () => {
        const script = renderBootScript(parameters);
        assert.match(script, /X-aws-ec2-metadata-token/);
        assert.match(script, /openssl rand -hex 24/);
        assert.match(script, /put-secret-value --secret-id "\$SECRET_ARN" --secret-string "file:\/\/\$\{payload\}"/);
        // The engine listens on the private address and admits the VPC only, over TLS.
        assert.match(script, /listen_addresses = 'localhost,\$\{PRIVATE_IP\}'/);
        assert.match(script, /hostssl \$\{DB_NAME\} \$\{DB_USER\} \$\{VPC_CIDR\} scram-sha-256/);
        assert.match(script, /require_secure_transport = ON/);
    });

    it("turns the VPC CIDR into a MySQL host pattern", () => {
        const script = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8");
        const body = script.slice(script.indexOf("mysql_host_pattern() {"), script.indexOf("setup_mariadb() {"));
        for (const [cidr, pattern] of [["10.10.0.0/16", "10.10.0.0/255.255.0.0"], ["172.16.0.0/12", "172.16.0.0/255.240.0.0"], ["10.0.4.0/22", "10.0.4.0/255.255.252.0"]]) {
            const out = execFileSync("bash", ["-c", `${body}\nVPC_CIDR='${cidr}'\nmysql_host_pattern`], { encoding: "utf8" }).trim();
            assert.equal(out, pattern, cidr);
        }
    });
});
