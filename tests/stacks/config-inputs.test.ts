import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { planStage } from "../../stacks/plan/plan-document";

/** A valid dev stage: each case changes one key of it. */
const valid = {
    "aws:region": "eu-west-1",
    "webstack:layout": "iaas",
    "webstack:network": JSON.stringify({ cidr: "10.10.0.0/16", azCount: 2, nat: "none" }),
};

/** Parses `overrides` over the valid stage and returns the ConfigError it throws. */
function errorFor(overrides: Record<string, string>, stage = "dev"): ConfigError {
    try {
        parseStageConfig({ ...valid, ...overrides }, stage);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`);
}

interface BadCase {
    title: string;
    overrides: Record<string, string>;
    stage?: string;
    setting: string;
    value: unknown;
    fix: RegExp;
}

/** Issue 10 finding 10: inputs that used to fail with a plain Error halfway through the program. */
const regionCases: BadCase[] = [
    { title: "a region with spaces", overrides: { "aws:region": "eu west 1" }, setting: "aws:region", value: "eu west 1", fix: /"eu-west-1"/ },
    { title: "a misspelt region", overrides: { "aws:region": "eu-wset-1" }, setting: "aws:region", value: "eu-wset-1", fix: /"eu-west-1"/ },
    { title: "a region that does not exist", overrides: { "aws:region": "mars-north-1" }, setting: "aws:region", value: "mars-north-1", fix: /eu-west-1/ },
    { title: "an availability zone instead of a region", overrides: { "aws:region": "eu-west-1a" }, setting: "aws:region", value: "eu-west-1a", fix: /"eu-west-1"/ },
    { title: "an upper-case region", overrides: { "aws:region": "EU-WEST-1" }, setting: "aws:region", value: "EU-WEST-1", fix: /"eu-west-1"/ },
];

function runCases(cases: BadCase[]): void {
    for (const c of cases) {
        it(`refuses ${c.title}, naming ${c.setting}, the value and the fix`, () => {
            const error = errorFor(c.overrides, c.stage);
            assert.equal(error.setting, c.setting);
            assert.deepEqual(error.value, c.value);
            assert.match(error.fix, c.fix);
        });
    }
}

describe("stage config: input errors are ConfigErrors before the first resource (issue 10)", () => {
    describe("aws:region (finding 10)", () => {
        runCases(regionCases);

        it("accepts every region of the provider's Region enum it is given, e.g. us-gov-west-1", () => {
            assert.equal(parseStageConfig({ ...valid, "aws:region": "us-gov-west-1" }, "dev").region, "us-gov-west-1");
        });

        it("the plan of a stage with a region with spaces fails with a ConfigError, not a boot-script Error", async () => {
            await assert.rejects(planStage({ stage: "dev", overrides: ["aws:region=eu west 1"] }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
                assert.equal(error.setting, "aws:region");
                return true;
            });
        });
    });
});
