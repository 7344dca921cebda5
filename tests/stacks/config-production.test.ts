import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { coversPublicInternet } from "../../components/internal/cidr";
import { planStage } from "../../stacks/plan/plan-document";
import { renderTree } from "../../stacks/plan/render-tree";

/** A production-safe stage: each case weakens one thing. */
const safe = {
    "aws:region": "eu-west-1",
    "webstack:layout": "paas",
    "webstack:network": JSON.stringify({ nat: "single" }),
};

function parse(overrides: Record<string, string>, stage = "prod") {
    return parseStageConfig({ ...safe, ...overrides }, stage);
}

const reason = "launch week, Multi-AZ from January (ticket OPS-12)";

const weakenings: { title: string; overrides: Record<string, string>; stage?: string; setting: string; value: unknown; acknowledgement: string }[] = [
    { title: "webstack:production=false on a stack named prod", overrides: { "webstack:production": "false" }, setting: "webstack:production", value: false, acknowledgement: "notProduction" },
    { title: "webstack:production=false on a stack named prod-eu", overrides: { "webstack:production": "false" }, stage: "prod-eu", setting: "webstack:production", value: false, acknowledgement: "notProduction" },
    { title: "a single-AZ database", overrides: { "webstack:database": '{"multiAz":false}' }, setting: "webstack:database.multiAz", value: false, acknowledgement: "singleAzDatabase" },
    { title: "S3 website hosting", overrides: { "webstack:site": '{"hosting":"s3-website"}' }, setting: "webstack:site.hosting", value: "s3-website", acknowledgement: "s3WebsiteHosting" },
    { title: "no NAT for the private database tier", overrides: { "webstack:network": '{"nat":"none"}' }, setting: "webstack:network.nat", value: "none", acknowledgement: "noNatPrivateTier" },
    {
        title: "SSH from 0.0.0.0/0",
        overrides: { "webstack:web": '{"mode":"instance","sshAllowedCidrs":["0.0.0.0/0"],"allowSshFromAnywhere":true}' },
        setting: "webstack:web.sshAllowedCidrs",
        value: ["0.0.0.0/0"],
        acknowledgement: "sshFromInternet",
    },
    { title: "SSH from 0.0.0.0/1 + 128.0.0.0/1", overrides: { "webstack:web": '{"mode":"instance","sshAllowedCidrs":["0.0.0.0/1","128.0.0.0/1"]}' }, setting: "webstack:web.sshAllowedCidrs", value: ["0.0.0.0/1", "128.0.0.0/1"], acknowledgement: "sshFromInternet" },
    { title: "SSH from ::/1", overrides: { "webstack:web": '{"mode":"instance","sshAllowedCidrs":["::/1"]}' }, setting: "webstack:web.sshAllowedCidrs", value: ["::/1"], acknowledgement: "sshFromInternet" },
    { title: "SSH from 2000::/3 (all IPv6 unicast)", overrides: { "webstack:web": '{"mode":"instance","sshAllowedCidrs":["2000::/3"]}' }, setting: "webstack:web.sshAllowedCidrs", value: ["2000::/3"], acknowledgement: "sshFromInternet" },
    {
        title: "SSH from public IPv4 split in three (0/1, 128/2, 192/3)",
        overrides: { "webstack:web": '{"mode":"instance","sshAllowedCidrs":["0.0.0.0/1","128.0.0.0/2","192.0.0.0/3"]}' },
        setting: "webstack:web.sshAllowedCidrs",
        value: ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"],
        acknowledgement: "sshFromInternet",
    },
    { title: "a single-AZ database on a stage that sets production=true", overrides: { "webstack:production": "true", "webstack:database": '{"multiAz":false}' }, stage: "live", setting: "webstack:database.multiAz", value: false, acknowledgement: "singleAzDatabase" },
];

describe("stage config: production cannot be weakened silently (issue 10 finding 8)", () => {
    for (const c of weakenings) {
        it(`refuses ${c.title} without webstack:acknowledge.${c.acknowledgement}, and accepts it with a reason`, () => {
            assert.throws(
                () => parse(c.overrides, c.stage),
                (error: unknown) => {
                    assert.ok(error instanceof ConfigError, String(error));
                    assert.equal(error.setting, c.setting);
                    assert.deepEqual(error.value, c.value);
                    assert.match(error.fix, new RegExp(`webstack:acknowledge: \\{ ${c.acknowledgement}: `));
                    return true;
                },
            );
            const config = parse({ ...c.overrides, "webstack:acknowledge": JSON.stringify({ [c.acknowledgement]: reason }) }, c.stage);
            assert.deepEqual(
                config.acknowledged.map((a) => [a.acknowledgement, a.reason]),
                [[c.acknowledgement, reason]],
            );
        });
    }

    it("leaves non-production stages alone: dev may use S3 website hosting, no NAT and a single AZ database", () => {
        const config = parseStageConfig({ ...safe, "webstack:site": '{"hosting":"s3-website"}', "webstack:network": '{"nat":"none"}', "webstack:database": '{"multiAz":false}' }, "dev");
        assert.deepEqual(config.acknowledged, []);
    });

    it("an acknowledged notProduction makes a prod* stack an ordinary stage", () => {
        const config = parse({ "webstack:production": "false", "webstack:network": '{"nat":"none"}', "webstack:acknowledge": JSON.stringify({ notProduction: "a throw-away copy of prod for load tests" }) });
        assert.equal(config.production, false);
    });

    it("refuses an acknowledgement without a real reason, and an unknown acknowledgement", () => {
        assert.throws(() => parse({ "webstack:database": '{"multiAz":false}', "webstack:acknowledge": '{"singleAzDatabase":"ok"}' }), (e: unknown) => e instanceof ConfigError && e.setting === "webstack:acknowledge.singleAzDatabase");
        assert.throws(() => parse({ "webstack:acknowledge": '{"singleAz":"launch week, ticket OPS-12"}' }), (e: unknown) => e instanceof ConfigError && e.setting === "webstack:acknowledge.singleAz" && /singleAzDatabase/.test(e.fix));
    });

    it("does not count sets that leave public addresses out as 'from anywhere'", () => {
        assert.equal(coversPublicInternet(["0.0.0.0/1"]), false);
        assert.equal(coversPublicInternet(["0.0.0.0/1", "128.0.0.0/2"]), false);
        assert.equal(coversPublicInternet(["203.0.113.0/24", "2001:db8::/32"]), false);
        assert.equal(coversPublicInternet(["2000::/4", "3000::/4"]), true);
    });

    it("the plan prints every acknowledgement in force", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:database.multiAz=false", `webstack:acknowledge.singleAzDatabase=${reason}`] });
        assert.deepEqual(plan.acknowledgements?.map((a) => a.acknowledgement), ["singleAzDatabase"]);
        const tree = renderTree(plan);
        assert.match(tree.split("\n")[1], /^ACKNOWLEDGED webstack:acknowledge\.singleAzDatabase: webstack:database\.multiAz is false.*Reason: launch week/);
    });
});
