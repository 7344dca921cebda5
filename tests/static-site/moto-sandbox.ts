/**
 * moto's S3 server on loopback, for the tests that need S3's conditional
 * writes: s3rver ignores If-None-Match / If-Match on PutObject (it honours
 * If-None-Match on GET only), moto 5 enforces both on PutObject and If-Match
 * on DeleteObject, answering 412 PreconditionFailed as S3 does
 * (moto/s3/responses.py put_object, delete_object). Nothing here talks to AWS.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as net from "net";

export interface MotoSandbox {
    endpoint: string;
    client: S3Client;
    /** A second, independent client: another deploy. */
    newClient(): S3Client;
    createBucket(name: string): Promise<void>;
    stop(): Promise<void>;
}

/** Why moto cannot run here, or undefined. Install: pip install "moto[server]". */
export function motoUnavailable(): string | undefined {
    const probe = spawnSync("python3", ["-c", "import moto.server"], { encoding: "utf8" });
    if (probe.error) return "python3 is not installed";
    if (probe.status !== 0) return 'moto is not installed (pip install "moto[server]")';
    return undefined;
}

export async function startMotoSandbox(): Promise<MotoSandbox> {
    const port = await freePort();
    const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const endpoint = `http://127.0.0.1:${port}`;
    try {
        await waitUntilListening(port, child, () => stderr);
    } catch (error) {
        await stopChild(child);
        throw error;
    }
    const clients: S3Client[] = [];
    const newClient = () => {
        const client = new S3Client({
            endpoint,
            region: "us-east-1",
            forcePathStyle: true,
            credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        });
        clients.push(client);
        return client;
    };
    const client = newClient();
    return {
        endpoint,
        client,
        newClient,
        createBucket: async (name) => {
            await client.send(new CreateBucketCommand({ Bucket: name }));
        },
        stop: async () => {
            for (const c of clients) c.destroy();
            await stopChild(child);
        },
    };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

async function waitUntilListening(port: number, child: ChildProcess, output: () => string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}: ${output()}`);
        const open = await new Promise<boolean>((resolve) => {
            const socket = net.connect(port, "127.0.0.1");
            socket.once("connect", () => (socket.destroy(), resolve(true)));
            socket.once("error", () => resolve(false));
        });
        if (open) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto did not listen on port ${port} within 30 s: ${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}
