/**
 * `aws s3 sync` as the baseline to compare the engine with, run against the
 * same loopback S3 server with throwaway credentials and an empty config,
 * so nothing of the machine's own AWS setup is read or used.
 */
import { execFileSync, spawn } from "child_process";
import { existsSync, promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../../tests/static-site/s3-sandbox";

/** Debian's awscli package (v2) installs /usr/bin/aws; another `aws` may come first on PATH. */
export function awsCliPath(): string | undefined {
    if (existsSync("/usr/bin/aws")) return "/usr/bin/aws";
    try {
        return execFileSync("sh", ["-c", "command -v aws"]).toString().trim() || undefined;
    } catch {
        return undefined;
    }
}

export function awsCliVersion(cli: string): string {
    return execFileSync(cli, ["--version"]).toString().trim();
}

/**
 * Run `aws s3 sync folder s3://bucket --delete`. `maxConcurrentRequests`
 * sets the CLI's s3.max_concurrent_requests (its default is 10).
 */
export async function awsS3Sync(
    cli: string,
    folder: string,
    bucket: string,
    endpoint: string,
    maxConcurrentRequests?: number,
): Promise<void> {
    const configDirectory = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-awscli-"));
    const configFile = path.join(configDirectory, "config");
    const s3Settings = maxConcurrentRequests ? `s3 =\n  max_concurrent_requests = ${maxConcurrentRequests}\n` : "";
    await fs.writeFile(configFile, `[default]\nregion = ${SANDBOX_REGION}\n${s3Settings}`);
    const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: configDirectory,
        AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: SANDBOX_REGION,
        AWS_CONFIG_FILE: configFile,
        AWS_SHARED_CREDENTIALS_FILE: path.join(configDirectory, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_PAGER: "",
    };
    try {
        await new Promise<void>((resolve, reject) => {
            const child = spawn(
                cli,
                ["s3", "sync", folder, `s3://${bucket}/`, "--delete", "--only-show-errors", "--endpoint-url", endpoint],
                { env, stdio: ["ignore", "inherit", "inherit"] },
            );
            child.once("error", reject);
            child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`aws s3 sync exited with ${code}`))));
        });
    } finally {
        await fs.rm(configDirectory, { recursive: true, force: true });
    }
}
