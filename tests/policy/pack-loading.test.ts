import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { checklist } from "../../policy/checklist";
import { enforcementLevel } from "../../policy/enforcement";
import { policyName, WAIVERS_POLICY } from "../../policy/pack/policies";
import { REPO_ROOT } from "../../stacks/plan/plan-document";
import { applyOverrides, loadStageFile } from "../../stacks/plan/stage-file";

/**
 * Must-show 5: the pack's entry module loads under Node with @pulumi/policy
 * installed and registers every checklist row, without a policy server.
 *
 * @pulumi/policy 1.21's PolicyPack constructor calls `server.serve`
 * unconditionally (node_modules/@pulumi/policy/policy.js); serve binds a
 * gRPC server on 127.0.0.1 and prints its port for the engine
 * (server.js), which would keep the process alive. No environment variable
 * turns that off, so the child process below replaces the `serve` export
 * of @pulumi/policy/server.js (policy.js calls it through the module object)
 * with a recorder before it requires the entry. The child must then exit
 * on its own: a listening server would keep it running until the timeout.
 * It runs where the engine runs a pack (the pack folder), with the
 * variables the engine sets (PULUMI_NODEJS_STACK, PULUMI_CONFIG).
 */
const PACK_DIR = path.join(REPO_ROOT, "policy", "pack");

interface Registered {
    name: string;
    version: string;
    description: string;
    policies: { name: string; description: string; enforcementLevel: string; validatesStack: boolean }[];
}

const CHILD = `
const server = require("@pulumi/policy/server");
const registered = [];
server.serve = (name, version, _level, args) => registered.push({
    name, version, description: args.description,
    policies: args.policies.map((p) => ({ name: p.name, description: p.description, enforcementLevel: p.enforcementLevel, validatesStack: typeof p.validateStack === "function" })),
});
require(process.cwd());
process.stdout.write(JSON.stringify(registered));
`;

function loadPack(stack: string, overrides: string[] = []): Registered[] {
    const config = applyOverrides(loadStageFile(REPO_ROOT, stack).config, overrides);
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", CHILD], {
        cwd: PACK_DIR,
        env: { ...process.env, PULUMI_NODEJS_STACK: stack, PULUMI_STACK: stack, PULUMI_CONFIG: JSON.stringify(config) },
        encoding: "utf8",
        timeout: 60_000,
    });
    assert.equal(result.signal, null, `the pack's process did not exit on its own (a server listening?): ${result.stderr}`);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Registered[];
}

describe("the policy pack (policy/pack)", function () {
    this.timeout(120_000);

    it("has a PulumiPolicy.yaml for the nodejs runtime and a package.json with the version PolicyPack reads", () => {
        const project = parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as { runtime?: unknown };
        assert.equal(project.runtime, "nodejs");
        const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version?: string; main?: string };
        assert.match(manifest.version ?? "", /^\d+\.\d+\.\d+$/);
        assert.ok(fs.existsSync(path.join(PACK_DIR, manifest.main ?? "index.js")), "package.json main exists");
    });

    it("loads for prod and registers one mandatory stack policy per row (49), plus the advisory waivers list", () => {
        const packs = loadPack("prod");
        assert.equal(packs.length, 1, "one PolicyPack constructed");
        const [pack] = packs;
        assert.equal(pack.name, "webstack");
        assert.equal(pack.version, "0.1.0");
        assert.match(pack.description, /stack prod: production/);
        assert.deepEqual(
            pack.policies.map((policy) => policy.name),
            [...checklist.map((rule) => policyName(rule)), WAIVERS_POLICY],
        );
        for (const rule of checklist) {
            const policy = pack.policies.find((candidate) => candidate.name === policyName(rule))!;
            assert.ok(policy.validatesStack, `${policy.name} validates the stack`);
            assert.equal(policy.description, `#${rule.number} ${rule.title} (mirrors ${rule.mirrors})`);
            assert.equal(policy.enforcementLevel, rule.severity === "advisory" ? "advisory" : "mandatory", policy.name);
        }
        assert.equal(pack.policies.at(-1)?.enforcementLevel, "advisory");
    });

    it("loads for dev with relaxed rows advisory and the rest mandatory, as the plan judges dev", () => {
        const [pack] = loadPack("dev");
        assert.match(pack.description, /stack dev: not production/);
        const levels = Object.fromEntries(pack.policies.map((policy) => [policy.name, policy.enforcementLevel]));
        for (const rule of checklist) assert.equal(levels[policyName(rule)], enforcementLevel(rule, false), policyName(rule));
        assert.equal(levels["checklist-35"], "advisory", "Multi-AZ is relaxed outside production");
        assert.equal(levels["checklist-34"], "mandatory", "encryption at rest is not");
    });

    it("reads webstack:production from the stack's configuration: prod with production: false (acknowledged) is not production", () => {
        const [pack] = loadPack("prod", ["webstack:production=false", "webstack:acknowledge.notProduction=a rehearsal copy of prod, torn down every night"]);
        assert.match(pack.description, /stack prod: not production/);
        assert.equal(pack.policies.find((policy) => policy.name === "checklist-35")?.enforcementLevel, "advisory");
    });

    it("judges strictly (every row mandatory) a configuration the program would refuse", () => {
        const [pack] = loadPack("dev", ["webstack:layout=bogus"]);
        assert.match(pack.description, /stack dev: production/);
        assert.equal(pack.policies.find((policy) => policy.name === "checklist-35")?.enforcementLevel, "mandatory");
    });
});
