import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { planStage } from "../../stacks/plan/plan-document";

const valid = {
    "aws:region": "eu-west-1",
    "webstack:layout": "iaas",
    "webstack:network": JSON.stringify({ cidr: "10.10.0.0/16", azCount: 2, nat: "none" }),
};

/** Parses `overrides` over a valid dev config and returns the ConfigError it throws. */
function errorFor(overrides: Record<string, string | undefined>, stage = "dev"): ConfigError {
    const config = Object.fromEntries(
        Object.entries({ ...valid, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    try {
        parseStageConfig(config, stage);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`);
}

describe("stage config schema", () => {
    it("fills in defaults for a minimal stage", () => {
        const config = parseStageConfig({ "aws:region": "us-east-2", "webstack:layout": "paas" }, "staging");
        assert.deepEqual(config.network, { cidr: "10.0.0.0/16", azCount: 2, nat: "single", sessionManagerEndpoints: false });
        assert.equal(config.production, false);
        assert.equal(config.region, "us-east-2");
        assert.deepEqual(config.tags, {});
    });

    it("treats stacks named prod* as production unless told otherwise", () => {
        // `valid` has no NAT: a production stage must acknowledge that (issue 10 finding 8).
        const noNat = { ...valid, "webstack:acknowledge": '{"noNatPrivateTier":"test stage without a NAT gateway"}' };
        assert.equal(parseStageConfig(noNat, "prod").production, true);
        assert.equal(parseStageConfig(noNat, "prod-eu").production, true);
        assert.equal(parseStageConfig({ ...valid, "webstack:production": "false", "webstack:acknowledge": '{"notProduction":"a copy of prod for load tests"}' }, "prod").production, false);
        assert.equal(parseStageConfig({ ...noNat, "webstack:production": "true" }, "qa").production, true);
    });

    it("ignores other namespaces (aws:, pulumi:)", () => {
        assert.doesNotThrow(() => parseStageConfig({ ...valid, "aws:profile": "team", "pulumi:tags": "{}" }, "dev"));
    });

    const badCases: { title: string; overrides: Record<string, string | undefined>; setting: string; mentions: RegExp; stage?: string }[] = [
        { title: "a missing layout", overrides: { "webstack:layout": undefined }, setting: "webstack:layout", mentions: /iaas/ },
        { title: "an unknown layout", overrides: { "webstack:layout": "bogus" }, setting: "webstack:layout", mentions: /"bogus".*"iaas", "paas"/s },
        { title: "a misspelt top-level key", overrides: { "webstack:netwrok": "{}" }, setting: "webstack:netwrok", mentions: /webstack:network/ },
        { title: "a misspelt network key", overrides: { "webstack:network": '{"nats":"none"}' }, setting: "webstack:network.nats", mentions: /cidr, azCount, nat/ },
        { title: "an unknown NAT strategy", overrides: { "webstack:network": '{"nat":"two"}' }, setting: "webstack:network.nat", mentions: /"one-per-az"/ },
        { title: "zero AZs", overrides: { "webstack:network": '{"azCount":0}' }, setting: "webstack:network.azCount", mentions: /at least 1/ },
        { title: "seven AZs", overrides: { "webstack:network": '{"azCount":7}' }, setting: "webstack:network.azCount", mentions: /at most 6/ },
        { title: "a fractional AZ count", overrides: { "webstack:network": '{"azCount":1.5}' }, setting: "webstack:network.azCount", mentions: /1\.5/ },
        { title: "a CIDR that is not a CIDR", overrides: { "webstack:network": '{"cidr":"10.0.0.0"}' }, setting: "webstack:network.cidr", mentions: /10\.0\.0\.0\/16/ },
        { title: "a CIDR octet above 255", overrides: { "webstack:network": '{"cidr":"10.300.0.0/16"}' }, setting: "webstack:network.cidr", mentions: /0-255/ },
        { title: "a CIDR block too small for the subnets", overrides: { "webstack:network": '{"cidr":"10.0.0.0/26"}' }, setting: "webstack:network.cidr", mentions: /\/16 and \/22/ },
        { title: "a public CIDR block", overrides: { "webstack:network": '{"cidr":"8.8.0.0/16"}' }, setting: "webstack:network.cidr", mentions: /10\.0\.0\.0\/8/ },
        { title: "a single AZ in production", overrides: { "webstack:network": '{"azCount":1}' }, setting: "webstack:network.azCount", mentions: /at least two/, stage: "prod" },
        { title: "a network that is not an object", overrides: { "webstack:network": "big" }, setting: "webstack:network", mentions: /object/ },
        { title: "a reserved aws: tag key", overrides: { "webstack:tags": '{"aws:owner":"me"}' }, setting: "webstack:tags.aws:owner", mentions: /reserved/ },
        { title: "a non-string tag value", overrides: { "webstack:tags": '{"team":7}' }, setting: "webstack:tags.team", mentions: /string/ },
        { title: "production that is not a boolean", overrides: { "webstack:production": "yes" }, setting: "webstack:production", mentions: /boolean/ },
        { title: "a missing region", overrides: { "aws:region": undefined }, setting: "aws:region", mentions: /Pulumi\.dev\.yaml/ },
    ];

    for (const bad of badCases) {
        it(`rejects ${bad.title}, naming ${bad.setting}`, () => {
            const error = errorFor(bad.overrides, bad.stage);
            assert.equal(error.setting, bad.setting);
            assert.match(error.message, bad.mentions);
            assert.match(error.message, /Fix: /);
        });
    }

    it("reports every problem at once, not just the first", () => {
        const error = errorFor({ "webstack:layout": "x", "webstack:network": '{"azCount":9,"cidr":"1.2.3.4/8"}' });
        assert.match(error.message, /5 problems/); // the CIDR breaks three rules (prefix, host bits, private range)
        for (const setting of ["webstack:layout", "webstack:network.azCount", "webstack:network.cidr"]) {
            assert.ok(error.message.includes(setting), `message names ${setting}`);
        }
    });

    // Every stage has a database, and its subnet group needs two AZs: one AZ
    // used to get past the stage schema and fail in the database part under
    // a key no stage file has (webstack:database.subnetIds), printing
    // Pulumi's Output.toJSON warning as the value.
    for (const stage of ["dev", "staging", "prod"]) {
        it(`rejects a single AZ in the ${stage} stage file, naming webstack:network.azCount`, async () => {
            const error = await planStage({ stage, overrides: ["webstack:network.azCount=1"] }).then(
                () => assert.fail("planned a stage with one AZ"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof ConfigError, String(error));
            assert.equal(error.setting, "webstack:network.azCount");
            assert.equal(error.value, 1);
            assert.match(error.fix, /webstack:network\.azCount to 2 or more/);
            assert.doesNotMatch(error.message, /toJSON/);
        });
    }
});
