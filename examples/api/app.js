"use strict";

const health = require("./health");
const { version: packageVersion } = require("./package.json");

// The release id the deploy tooling sets wins over package.json, so the
// version served always names the release that is actually running.
const version = process.env.APP_VERSION || packageVersion;

function sendJson(res, status, body) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

const routes = {
  "/": () => [200, { name: "webstack-example-api", version }],
  "/version": () => [200, { version }],
  "/health": () => {
    const result = health();
    return [result.ok ? 200 : 503, { status: result.ok ? "ok" : "unhealthy", version, ...result }];
  },
};

/** The request listener: GET (and HEAD) on the routes above, JSON everywhere. */
function handle(req, res) {
  const path = (req.url || "/").split("?")[0];
  const route = routes[path];
  if (!route) return sendJson(res, 404, { error: "not found", path });
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return sendJson(res, 405, { error: "method not allowed" });
  }
  const [status, body] = route();
  return sendJson(res, status, body);
}

module.exports = { handle, version };
