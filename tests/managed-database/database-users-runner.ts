/**
 * Runs the database-users function the way Lambda would, from a copy of its
 * zip's layout (bundle.ts) outside the repository, in a fresh Node process
 * whose NODE_EXTRA_CA_CERTS trusts the test server's certificate, with moto
 * as Secrets Manager (the runtime's AWS SDK is not installed here, so the
 * runner gives the handler a plain JSON transport instead).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleLayout } from "../../components/managed-database/database-users/bundle";
import { Engine } from "../../components/managed-database/engines";

const RUNNER = `
const { ensureAppUser } = require(process.env.BUNDLE + "/index.js");
const { secretsClient } = require(process.env.BUNDLE + "/secrets.js");
const send = async (operation, input) => {
    const response = await fetch(process.env.MOTO, { method: "POST", body: JSON.stringify(input), headers: {
        "X-Amz-Target": "secretsmanager." + operation, "Content-Type": "application/x-amz-json-1.1",
        Authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0" } });
    const body = JSON.parse((await response.text()) || "{}");
    if (!response.ok) throw Object.assign(new Error(body.message || "HTTP " + response.status), { name: String(body.__type).split("#").pop() });
    return body;
};
const deps = { secrets: secretsClient(send) };
if (process.env.FAIL_CONNECT) deps.connect = async () => { throw new Error("injected: the database is unreachable"); };
ensureAppUser(JSON.parse(process.env.EVENT), deps).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

/** The zip's layout copied file for file into a temporary folder: proves the bundle carries every module the handler needs. */
export function copyBundle(engine: Engine): string {
    const bundle = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-dbusers-bundle-"));
    for (const [inZip, onDisk] of Object.entries(bundleLayout(engine))) fs.cpSync(onDisk, path.join(bundle, inZip), { recursive: true, dereference: true });
    return bundle;
}

export interface Invocation {
    status: number | null;
    stdout: string;
    stderr: string;
    result?: any;
}

export function invokeBundle(bundle: string, motoEndpoint: string, caFile: string, event: Record<string, unknown>, env: Record<string, string> = {}): Invocation {
    const run = spawnSync(process.execPath, ["-e", RUNNER], {
        cwd: bundle,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", BUNDLE: bundle, MOTO: motoEndpoint, EVENT: JSON.stringify(event), NODE_EXTRA_CA_CERTS: caFile, ...env },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, result: run.status === 0 ? JSON.parse(run.stdout) : undefined };
}
