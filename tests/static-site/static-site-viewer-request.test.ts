import * as assert from "node:assert/strict";
import { apiRequestCode, viewerRequestCode } from "../../components/static-site/viewer-request";

/** Loads the function source the way CloudFront does (a script defining `handler`) and returns the handler. */
function load(code: string): (event: unknown) => any {
    return new Function(`${code}\nreturn handler;`)() as (event: unknown) => any;
}

function event(host: string, uri: string, querystring: Record<string, unknown> = {}) {
    return { request: { uri, querystring, headers: { host: { value: host } } } };
}

describe("StaticSite viewer-request function", () => {
    const staticSite = load(viewerRequestCode({ redirects: { "www.example.com": "example.com" }, directoryIndexes: true, indexDocument: "index.html" }));
    const spa = load(viewerRequestCode({ redirects: {}, directoryIndexes: false, indexDocument: "index.html" }));

    it("redirects the www name to the apex with 301, keeping path and query", () => {
        const response = staticSite(event("www.example.com", "/docs/a", { q: { value: "1" }, tag: { value: "x", multiValue: [{ value: "x" }, { value: "y" }] }, flag: { value: "" } }));
        assert.equal(response.statusCode, 301);
        assert.equal(response.headers.location.value, "https://example.com/docs/a?q=1&tag=x&tag=y&flag");
    });

    it("serves directory indexes in static mode", () => {
        assert.equal(staticSite(event("example.com", "/docs/")).uri, "/docs/index.html");
        assert.equal(staticSite(event("example.com", "/docs")).uri, "/docs/index.html");
        assert.equal(staticSite(event("example.com", "/assets/app.3f9a1c2b.js")).uri, "/assets/app.3f9a1c2b.js");
        assert.equal(staticSite(event("example.com", "/v1.2/guide")).uri, "/v1.2/guide/index.html");
    });

    it("leaves requests alone when there is nothing to do", () => {
        assert.equal(spa(event("example.com", "/app/route")).uri, "/app/route");
        assert.equal(spa(event("www.example.com", "/")).uri, "/");
    });

    it("with spaFallback (an spa next to an API), fetches client-side routes as /index.html and leaves files alone", () => {
        const spaWithApi = load(viewerRequestCode({ redirects: {}, directoryIndexes: false, spaFallback: true, indexDocument: "index.html" }));
        assert.equal(spaWithApi(event("example.com", "/orders/42")).uri, "/index.html");
        assert.equal(spaWithApi(event("example.com", "/")).uri, "/index.html");
        assert.equal(spaWithApi(event("example.com", "/v1.2/settings")).uri, "/index.html");
        assert.equal(spaWithApi(event("example.com", "/assets/app.3f9a1c2b.js")).uri, "/assets/app.3f9a1c2b.js");
        assert.equal(spaWithApi(event("example.com", "/favicon.ico")).uri, "/favicon.ico");
    });

    it("the API's prefix-stripping function maps /api/x to /x and /api to /, and leaves other paths alone", () => {
        const strip = load(apiRequestCode("/api"));
        assert.equal(strip(event("example.com", "/api/health")).uri, "/health");
        assert.equal(strip(event("example.com", "/api/v1/orders/42")).uri, "/v1/orders/42");
        assert.equal(strip(event("example.com", "/api")).uri, "/");
        assert.equal(strip(event("example.com", "/apikeys")).uri, "/apikeys");
    });
});
