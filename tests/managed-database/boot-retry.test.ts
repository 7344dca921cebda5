import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BOOT_SCRIPT_PATH } from "../../components/managed-database/ec2/boot-script";

/**
 * Issue 9 item 4: at first boot the instance may call Secrets Manager before
 * its role policy has propagated or the endpoint answers. The boot script's
 * Secrets Manager calls retry with backoff; here they run against a fake
 * `aws` on PATH that fails a given number of times.
 */
const script = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8");

/** The script's function definitions only: everything before `main "$@"`, without the IMDS look-ups at the top level. */
function functionsOnly(): string {
    return script
        .split("\n")
        .filter((line) => !/^(PRIVATE_IP|MAC|VPC_CIDR)=\$\(imds /.test(line))
        .join("\n")
        .replace(/\nmain "\$@"\s*$/, "\n");
}

function sandbox(failures: number, failWith: string): { dir: string; env: NodeJS.ProcessEnv; calls: () => string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-db-retry-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // Fails `failures` times (exit 255 with `failWith` on stderr, as the CLI
    // does), then answers get-secret-value with a stored password.
    fs.writeFileSync(
        path.join(bin, "aws"),
        `#!/bin/bash
echo "$*" >>"${dir}/calls"
count=$(wc -l <"${dir}/calls")
if [ "$count" -le ${failures} ]; then echo "${failWith}" >&2; exit 255; fi
case "$2" in
  get-secret-value) echo '{"username":"app","password":"s3cret"}' ;;
  put-secret-value) echo '{}' ;;
esac
`,
        { mode: 0o755 },
    );
    // No real waiting in the test: sleep records its argument.
    fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/bash\necho "$1" >>"${dir}/sleeps"\n`, { mode: 0o755 });
    return {
        dir,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        calls: () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []),
    };
}

function run(body: string, env: NodeJS.ProcessEnv) {
    const program = `${functionsOnly()}\nSECRET_ARN='arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC'\n${body}`;
    return spawnSync("bash", ["-c", program], { encoding: "utf8", env });
}

describe("ManagedDatabase boot script: Secrets Manager retries", () => {
    it("retries a failing call with growing waits until it succeeds", () => {
        const box = sandbox(3, "An error occurred (AccessDeniedException) when calling the GetSecretValue operation");
        const result = run("aws_retry aws secretsmanager get-secret-value --secret-id x", box.env);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(box.calls().length, 4);
        const sleeps = fs.readFileSync(path.join(box.dir, "sleeps"), "utf8").trim().split("\n").map(Number);
        assert.equal(sleeps.length, 3);
        assert.ok(sleeps[1] > sleeps[0] && sleeps[2] > sleeps[1], `backoff grows: ${sleeps.join(", ")}`);
        assert.match(result.stdout, /s3cret/);
    });

    it("gives up after its attempts and fails", () => {
        const box = sandbox(1000, "Could not connect to the endpoint URL");
        const result = run("aws_retry aws secretsmanager get-secret-value --secret-id x", box.env);
        assert.notEqual(result.status, 0);
        assert.ok(box.calls().length > 3 && box.calls().length < 20, `attempts: ${box.calls().length}`);
    });

    it("reads the password through the retries at first boot", () => {
        const box = sandbox(2, "An error occurred (AccessDeniedException)");
        const result = run("database_password", box.env);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim(), "s3cret");
        assert.equal(box.calls().length, 3);
    });

    it("does not retry 'no value yet': that is the first boot, which generates the password", () => {
        const box = sandbox(1, "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        const result = run("export DB_USER=app DB_ENGINE=postgres DB_PORT=5432 DB_NAME=app; database_password", box.env);
        assert.equal(result.status, 0, result.stderr);
        const calls = box.calls();
        assert.equal(calls.length, 2, calls.join("\n"));
        assert.match(calls[0], /get-secret-value/);
        assert.match(calls[1], /put-secret-value/);
        assert.match(result.stdout.trim(), /^[0-9a-f]{48}$/);
    });
});
