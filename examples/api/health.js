"use strict";

// The readiness check behind GET /health, kept in its own module so a
// deploy can be gated on it. A real app would check what it cannot serve
// without (its database pool, its required settings); this one only
// reports that the process is up.
module.exports = function health() {
  return { ok: true };
};
