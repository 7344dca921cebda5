import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { planStage } from "../../stacks/plan/plan-document";
import { loadStageFile } from "../../stacks/plan/stage-file";

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

const web = (settings: object) => ({ "webstack:web": JSON.stringify({ mode: "instance", ...settings }) });

/** Issue 10 finding 9: inputs AWS would refuse, refused first. */
const awsWouldRefuse: BadCase[] = [
    { title: "an SSH CIDR with host bits set", overrides: web({ sshAllowedCidrs: ["203.0.113.7/24"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "203.0.113.7/24", fix: /203\.0\.113\.0\/24/ },
    { title: "an IPv6 SSH CIDR with host bits set", overrides: web({ sshAllowedCidrs: ["2001:db8::1/64"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "2001:db8::1/64", fix: /2001:db8::\/64/ },
    { title: "an IPv6 CIDR with two ::", overrides: web({ sshAllowedCidrs: ["2001::db8::/64"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "2001::db8::/64", fix: /2001:db8::\/64/ },
    { title: "an IPv6 CIDR with nine groups", overrides: web({ sshAllowedCidrs: ["1:2:3:4:5:6:7:8:9/128"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "1:2:3:4:5:6:7:8:9/128", fix: /2001:db8::\/64/ },
    { title: "an IPv6 CIDR with a non-hex group", overrides: web({ sshAllowedCidrs: ["2001:dbg::/32"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "2001:dbg::/32", fix: /2001:db8::\/64/ },
    { title: "an IPv6 prefix above /128", overrides: web({ sshAllowedCidrs: ["2001:db8::/129"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "2001:db8::/129", fix: /\/128/ },
    { title: "an IPv4 prefix above /32", overrides: web({ sshAllowedCidrs: ["203.0.113.7/33"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "203.0.113.7/33", fix: /\/32/ },
    { title: "an IPv4 octet above 255 in an SSH CIDR", overrides: web({ sshAllowedCidrs: ["203.0.113.256/32"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "203.0.113.256/32", fix: /0-255/ },
    { title: "an SSH address without a prefix", overrides: web({ sshAllowedCidrs: ["203.0.113.7"] }), setting: "webstack:web.sshAllowedCidrs.0", value: "203.0.113.7", fix: /\/32/ },
    { title: "an instance type that does not exist", overrides: web({ instance: { type: "t9.huge" } }), setting: "webstack:web.instance.type", value: "t9.huge", fix: /t4g\.small/ },
    { title: "a misspelt instance type", overrides: web({ instance: { type: "t4g.smal" } }), setting: "webstack:web.instance.type", value: "t4g.smal", fix: /"t4g\.small"/ },
    { title: "an instance type with a space", overrides: web({ instance: { type: "t3 micro" } }), setting: "webstack:web.instance.type", value: "t3 micro", fix: /"t3\.micro"/ },
    { title: "a database version written as a YAML number", overrides: { "webstack:database": '{"version":8.0}' }, setting: "webstack:database.version", value: 8, fix: /quote it: version: "8"/ },
    { title: "a webstack:__proto__ key", overrides: { "webstack:__proto__": '{"polluted":true}' }, setting: "webstack:__proto__", value: "__proto__", fix: /remove/ },
    { title: "a nested __proto__ key", overrides: { "webstack:tags": '{"__proto__":{"polluted":"yes"}}' }, setting: "webstack:tags.__proto__", value: "__proto__", fix: /remove/ },
    { title: "a constructor key deep in the web settings", overrides: { "webstack:web": '{"app":{"environment":{"constructor":"x"}}}' }, setting: "webstack:web.app.environment.constructor", value: "constructor", fix: /remove/ },
    { title: "a stage name with a path", overrides: {}, stage: "../prod", setting: "stage", value: "../prod", fix: /"dev"/ },
    { title: "a stage name with a slash", overrides: {}, stage: "team/prod", setting: "stage", value: "team/prod", fix: /"dev"/ },
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
    describe("inputs AWS would refuse (finding 9)", () => {
        runCases(awsWouldRefuse);

        it("refuses a database version RDS does not offer, from the maintained list, before the first resource", async () => {
            await assert.rejects(planStage({ stage: "staging", overrides: [`webstack:database.version="12"`] }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, String(error));
                assert.equal(error.setting, "webstack:database.version");
                assert.equal(error.value, "12");
                assert.match(error.fix, /13, 14, 15, 16, 17/);
                return true;
            });
        });

        it("keeps valid IPv6 SSH blocks, compressed or with an IPv4 tail", () => {
            const config = parseStageConfig({ ...valid, ...web({ sshAllowedCidrs: ["2001:db8::/32", "::ffff:203.0.113.7/128", "203.0.113.7/32"] }) }, "dev");
            assert.deepEqual(config.web.sshAllowedCidrs, ["2001:db8::/32", "::ffff:203.0.113.7/128", "203.0.113.7/32"]);
        });

        it("no prototype was changed by a __proto__ key", () => {
            assert.throws(() => parseStageConfig({ ...valid, "webstack:tags": '{"__proto__":{"polluted":"yes"}}' }, "dev"));
            assert.equal(({} as Record<string, unknown>).polluted, undefined);
        });

        it("warns about typos in the aws: namespace and unknown namespaces, naming the closest key", () => {
            const config = parseStageConfig({ ...valid, "aws:regoin": "eu-west-2", "webstak:layout": "paas", "aws:profile": "team" }, "dev");
            assert.deepEqual(config.warnings, [
                "aws:regoin is not a setting of the AWS provider and is ignored; did you mean aws:region?",
                'webstak:layout: the namespace "webstak" is not read by this program; did you mean webstack:layout?',
            ]);
        });

        describe("stage files", () => {
            function stageFile(text: string): string {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-stage-"));
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: webstack\n");
                fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), text);
                return dir;
            }
            function loadError(dir: string, stage = "bad"): ConfigError {
                try {
                    loadStageFile(dir, stage);
                } catch (error) {
                    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
                    return error;
                }
                assert.fail("expected the stage file to be refused");
            }

            it("a YAML syntax error names the stage file and its line", () => {
                const error = loadError(stageFile("config:\n  aws:region: eu-west-1\n  webstack:layout: [iaas\n  webstack:site: {}\n"));
                assert.match(error.setting, /^Pulumi\.bad\.yaml:\d+$/);
                assert.match(error.fix, /Pulumi\.bad\.yaml at line \d+/);
            });

            it("a bad indentation names the line of the mapping it breaks", () => {
                const error = loadError(stageFile("config:\n  aws:region: eu-west-1\n    webstack:layout: iaas\n"));
                // The yaml parser reports the value on line 2 that line 3 wrongly nests under.
                assert.equal(error.setting, "Pulumi.bad.yaml:2");
            });

            it("a config: that is a list says config: must be a map", () => {
                const error = loadError(stageFile("config:\n  - aws:region: eu-west-1\n"));
                assert.equal(error.setting, "Pulumi.bad.yaml config");
                assert.match(error.problem, /must be a map/);
            });

            it("a config: that is a string says config: must be a map", () => {
                const error = loadError(stageFile("config: aws:region=eu-west-1\n"));
                assert.equal(error.value, "aws:region=eu-west-1");
            });

            it("a stage file that is a list says it is not a map", () => {
                const error = loadError(stageFile("- config\n"));
                assert.equal(error.setting, "Pulumi.bad.yaml");
            });

            it("a stage name with a path is refused before any file is read", () => {
                const dir = stageFile("config: {}\n");
                const error = loadError(path.join(dir, "sub"), "../bad");
                assert.equal(error.setting, "stage");
                assert.equal(error.value, "../bad");
            });
        });
    });

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
