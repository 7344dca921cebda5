import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/** Runs the plan CLI exactly as `npm run plan -- <args>` does. */
function plan(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "stacks/plan/cli.ts", ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan", () => {
    for (const stage of ["dev", "staging", "prod"]) {
        it(`prints the ${stage} tree and exits 0`, () => {
            const result = plan(stage);
            assert.equal(result.code, 0, result.stderr);
            assert.match(result.stdout, new RegExp(`^Stage ${stage}: layout (iaas|paas)`, "m"));
            assert.match(result.stdout, new RegExp(`awsx:ec2:Vpc  ${stage}-vpc  cidrBlock=`));
            assert.match(result.stdout, /^Outputs:$/m);
        });
    }

    it("prints one parseable JSON document with --json, listing the VPC", () => {
        const result = plan("prod", "--json");
        assert.equal(result.code, 0, result.stderr);
        const document = JSON.parse(result.stdout);
        assert.equal(document.stage, "prod");
        const vpc = document.resources.find((r: { type: string }) => r.type === "awsx:ec2:Vpc");
        assert.equal(vpc.name, "prod-vpc");
        assert.equal(vpc.parent, null);
        assert.ok("provider" in vpc && "inputs" in vpc);
        assert.equal(typeof document.outputs.vpcId, "string");
    });

    it("applies --config overrides", () => {
        const document = JSON.parse(plan("prod", "--json", "--config", "webstack:layout=iaas").stdout);
        assert.equal(document.layout, "iaas");
    });

    it("exits non-zero naming webstack:layout for a bogus layout", () => {
        const result = plan("dev", "--config", "webstack:layout=bogus");
        assert.equal(result.code, 1);
        assert.match(result.stderr, /webstack:layout = "bogus"/);
        assert.match(result.stderr, /"iaas", "paas"/);
        assert.equal(result.stdout, "", "nothing is planned");
    });

    it("names the stages that exist when the stage file is missing", () => {
        const result = plan("qa");
        assert.equal(result.code, 1);
        assert.match(result.stderr, /Pulumi\.qa\.yaml/);
        assert.match(result.stderr, /dev, prod, staging/);
    });

    it("exits 2 with the usage on a bad option", () => {
        const result = plan("dev", "--frobnicate");
        assert.equal(result.code, 2);
        assert.match(result.stderr, /Usage: npm run plan/);
    });
});
