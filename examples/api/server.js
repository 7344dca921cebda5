"use strict";

const http = require("node:http");
const { handle } = require("./app");

const port = Number(process.env.PORT || 3000);
// Loopback by default: on the instance nginx is the only client.
const host = process.env.HOST || "127.0.0.1";
// Must stay below the process manager's kill timeout so in-flight requests
// finish before a hard kill.
const shutdownGraceMs = Number(process.env.SHUTDOWN_GRACE_MS || 4000);

let closing = false;
// Once closing, every answer also closes its connection, so nginx stops
// reusing it and the server can finish instead of waiting out its grace.
const server = http.createServer((req, res) => {
  if (closing) res.shouldKeepAlive = false;
  handle(req, res);
});
// Longer than nginx's upstream keepalive_timeout (60s), so nginx closes
// idle connections first and never reuses one Node has just closed.
server.keepAliveTimeout = 65_000;

server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port} (pid ${process.pid})`);
});

// Stop accepting, let in-flight requests finish, then exit; a release
// switch stops the old release this way after nginx has moved away from it.
function shutdown(signal) {
  console.log(`${signal}: closing`);
  closing = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), shutdownGraceMs).unref();
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
