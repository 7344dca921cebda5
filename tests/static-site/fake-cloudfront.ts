/**
 * A stand-in for CloudFront's CreateInvalidation on loopback: records every
 * request, answers the first `failures` with 403 AccessDenied (an error the
 * SDK does not retry), then accepts like CloudFront does.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

export interface FakeCloudFront {
    endpoint: string;
    /** Every request: its distribution id and the <Path> items of its body. */
    requests: { distributionId: string; paths: string[]; accepted: boolean }[];
    /** Make the next `count` requests fail. */
    failNext(count: number): void;
    close(): Promise<void>;
}

export async function startFakeCloudFront(): Promise<FakeCloudFront> {
    const requests: FakeCloudFront["requests"] = [];
    let failures = 0;
    const server = http.createServer((request, response) => {
        let body = "";
        request.on("data", (chunk: Buffer) => (body += chunk.toString()));
        request.on("end", () => {
            const distributionId = /\/distribution\/([^/]+)\/invalidation/.exec(request.url ?? "")?.[1] ?? "";
            const paths = [...body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => m[1]);
            const accepted = failures === 0;
            requests.push({ distributionId, paths, accepted });
            if (!accepted) {
                failures--;
                response.writeHead(403, { "content-type": "text/xml" });
                response.end(
                    '<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
                        "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>simulated refusal</Message></Error>" +
                        "<RequestId>r</RequestId></ErrorResponse>",
                );
                return;
            }
            response.writeHead(201, { "content-type": "text/xml", location: "https://cloudfront.amazonaws.com/x" });
            response.end(
                '<?xml version="1.0"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
                    `<Id>I${requests.length}</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime>` +
                    "<InvalidationBatch><Paths><Quantity>0</Quantity></Paths><CallerReference>r</CallerReference></InvalidationBatch></Invalidation>",
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        requests,
        failNext: (count) => (failures = count),
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
