/**
 * A real S3 API on loopback for tests and benchmarks: s3rver on 127.0.0.1,
 * a random free port and a fresh temporary directory, plus an S3Client
 * pointed at it. Nothing here ever talks to AWS.
 */
import { CreateBucketCommand, S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { ChildProcess, spawn } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";

/** s3rver's fixed credentials (it checks signatures against them). */
export const SANDBOX_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
export const SANDBOX_REGION = "us-east-1";

export interface S3Sandbox {
    /** e.g. http://127.0.0.1:40123 */
    endpoint: string;
    port: number;
    /** Where s3rver keeps the buckets; removed by stop(). */
    directory: string;
    /** A client for the sandbox (path-style addressing, sandbox credentials). */
    client: S3Client;
    /** The s3rver child's pid when started with `inChildProcess`. */
    serverPid?: number;
    createBucket(name: string): Promise<void>;
    stop(): Promise<void>;
}

export interface S3SandboxOptions {
    /**
     * Run s3rver in its own Node process. Benchmarks need this: in the same
     * process the server and the client under test would share one event
     * loop, and each would slow the other down. Also needed to list more
     * than 1,000 keys (see startInChild). @default false
     */
    inChildProcess?: boolean;
}

/** The subset of s3rver's API used here (it ships no types). */
interface S3rverInstance {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export async function startS3Sandbox(options: S3SandboxOptions = {}): Promise<S3Sandbox> {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-s3rver-"));
    const server = options.inChildProcess ? await startInChild(directory) : await startInProcess(directory);
    const endpoint = `http://127.0.0.1:${server.port}`;
    const client = createSandboxClient(endpoint);
    return {
        endpoint,
        port: server.port,
        directory,
        client,
        serverPid: server.pid,
        createBucket: async (name) => {
            await client.send(new CreateBucketCommand({ Bucket: name }));
        },
        stop: async () => {
            client.destroy();
            await server.stop();
            await fs.rm(directory, { recursive: true, force: true });
        },
    };
}

/** An S3Client for a sandbox endpoint. s3rver only understands path-style URLs. */
export function createSandboxClient(endpoint: string, config: Partial<S3ClientConfig> = {}): S3Client {
    return new S3Client({
        endpoint,
        region: SANDBOX_REGION,
        forcePathStyle: true,
        credentials: SANDBOX_CREDENTIALS,
        ...config,
    });
}

interface RunningServer {
    port: number;
    pid?: number;
    stop(): Promise<void>;
}

function s3rverOptions(directory: string): Record<string, unknown> {
    return { address: "127.0.0.1", port: 0, silent: true, directory };
}

async function startInProcess(directory: string): Promise<RunningServer> {
    const S3rver = require("s3rver") as S3rverConstructor;
    const server = new S3rver(s3rverOptions(directory));
    const { port } = await server.run();
    return { port, stop: () => server.close() };
}

/** The child's program: start s3rver, print its port, run until killed. */
const CHILD_PROGRAM = `
const S3rver = require(process.argv[1]);
new S3rver(JSON.parse(process.argv[2])).run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + "\\n"),
  (error) => { console.error(error); process.exit(1); },
);`;

async function startInChild(directory: string): Promise<RunningServer> {
    const child = spawn(
        process.execPath,
        // s3rver encrypts ListObjectsV2 continuation tokens with DES, which
        // OpenSSL 3 only offers through its legacy provider: without it,
        // listing more than 1,000 keys (as `aws s3 sync` does) fails with a 500.
        ["--openssl-legacy-provider", "-e", CHILD_PROGRAM, require.resolve("s3rver"), JSON.stringify(s3rverOptions(directory))],
        { stdio: ["ignore", "pipe", "inherit"] },
    );
    const port = await new Promise<number>((resolve, reject) => {
        let output = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes("\n")) resolve((JSON.parse(output) as { port: number }).port);
        });
        child.once("exit", (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
    });
    return { port, pid: child.pid, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}

/** One S3 request as seen by the client. */
export interface RecordedRequest {
    /** e.g. "PutObjectCommand" */
    command: string;
    /** The request's Key, if it has one. */
    key?: string;
    /** Position in the log when the request was sent / when its response arrived (one counter for both). */
    startedAt: number;
    finishedAt?: number;
    failed?: boolean;
}

/**
 * Record every request `client` sends, from a middleware on the client
 * itself: these are real requests, not numbers the code under test reports.
 * Returns the live log; clear it with `log.length = 0`.
 */
export function recordRequests(client: S3Client): RecordedRequest[] {
    const log: RecordedRequest[] = [];
    let clock = 0;
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const entry: RecordedRequest = {
                command: context.commandName ?? "unknown",
                key: (args.input as { Key?: string }).Key,
                startedAt: clock++,
            };
            log.push(entry);
            try {
                return await next(args);
            } catch (error) {
                entry.failed = true;
                throw error;
            } finally {
                entry.finishedAt = clock++;
            }
        },
        { step: "initialize", name: "webstackRecordRequests" },
    );
    return log;
}
