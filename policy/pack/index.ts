/**
 * The webstack policy pack: `pulumi preview --policy-pack policy/pack`
 * (or `pulumi up --policy-pack policy/pack`) runs the production checklist
 * inside the engine. This file only wires: the rows are policy/rules/, the
 * policies policies.ts, the stack's production setting stack-settings.ts.
 *
 * Constructing a PolicyPack starts the analyzer's gRPC server at once
 * (@pulumi/policy 1.21 policy.js: the constructor calls server.serve, which
 * binds 127.0.0.1 and prints the port for the engine), so nothing but the
 * engine and the pack-loading test (tests/policy/pack-loading.test.ts, which
 * replaces serve first) may load this module.
 */
import { PolicyPack } from "@pulumi/policy";
import { checklistPolicies } from "./policies";
import { stackSettings } from "./stack-settings";

const settings = stackSettings();

new PolicyPack("webstack", {
    description: `webstack's production checklist (docs/production-checklist.md) for stack ${settings.stack}: ${settings.production ? "production, every row mandatory" : "not production, relaxed rows advisory"}`,
    policies: checklistPolicies(settings),
});
