import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { apiRequestCode } from "../../components/static-site/viewer-request";

/**
 * What the stages' `/api/*` route does to the example site's status call,
 * run for real on loopback: the page fetches the relative `/api/health`
 * (examples/site/assets/app.*.js), CloudFront runs the API behavior's
 * prefix-stripping function, and the origin (the example API, as the web
 * tier runs it) receives what the function returns.
 */
describe("example site's /api/health through the API route (loopback)", () => {
    let server: http.Server;
    let origin: string;
    before(async () => {
        const { handle } = require(path.resolve(__dirname, "../../examples/api/app.js")) as { handle: http.RequestListener };
        server = http.createServer(handle);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const viaRoute = async (uri: string) => {
        const handler = new Function(`${apiRequestCode("/api")}\nreturn handler;`)() as (event: unknown) => { uri: string };
        const request = handler({ request: { uri, querystring: {}, headers: {} } });
        return fetch(`${origin}${request.uri}`, { headers: { accept: "application/json" } });
    };

    it("answers the page's status call with the API's health", async () => {
        const response = await viaRoute("/api/health");
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as { status: string }).status, "ok");
    });

    it("would be a 404 without the stripped prefix (why the stages strip it)", async () => {
        assert.equal((await fetch(`${origin}/api/health`)).status, 404);
    });
});
