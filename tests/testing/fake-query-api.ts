import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded request: the form parameters and the Authorization header. */
export interface FakeQueryRequest {
    params: Record<string, string>;
    authorization: string;
}

/**
 * An AWS Query API (form-encoded POST, XML answers) on loopback, for the
 * deploy-time steps' provider tests: it records every request and answers
 * with `answer(params)`, a status and an XML body. Subclasses script the
 * answers of one service (Auto Scaling, ELBv2).
 */
export abstract class FakeQueryApi {
    readonly requests: FakeQueryRequest[] = [];
    private server?: http.Server;

    /** The endpoint URL to give the SDK client. */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => {
                const params = Object.fromEntries(new URLSearchParams(body));
                this.requests.push({ params, authorization: String(req.headers.authorization ?? "") });
                const [status, xml] = this.answer(params);
                res.writeHead(status, { "content-type": "text/xml" });
                res.end(xml);
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    protected abstract answer(params: Record<string, string>): [number, string];
}
