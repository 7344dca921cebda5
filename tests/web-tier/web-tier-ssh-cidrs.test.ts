import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ConfigError } from "../../components/internal/errors";
import { resolveWebTierArgs, WebTierArgs } from "../../components/web-tier/args";
import { planStage } from "../../stacks/plan/plan-document";

const base: WebTierArgs = { app: { path: path.resolve("examples/api") }, network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-1"] } };

function rejection(sshAllowedCidrs: string[], extra: Partial<WebTierArgs> = {}): ConfigError {
    try {
        resolveWebTierArgs({ ...base, ...extra, sshAllowedCidrs });
    } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error;
    }
    assert.fail(`expected ${JSON.stringify(sshAllowedCidrs)} to be refused`);
}

/**
 * Issue 10 finding 9 for package users: WebTier checks `sshAllowedCidrs`
 * with the same parser as the stage (components/internal/cidr.ts), so a
 * block AWS would refuse, or a set that opens SSH to the whole internet
 * however it is split, fails before any resource is registered.
 */
describe("WebTier sshAllowedCidrs: the stage's CIDR rules, for package users too", () => {
    describe("blocks AWS refuses", () => {
        const cases: { cidr: string; fix: RegExp }[] = [
            { cidr: "203.0.113.7/24", fix: /203\.0\.113\.0\/24/ },
            { cidr: "2001:db8::1/64", fix: /2001:db8::\/64/ },
            { cidr: "10.1.2.3/8", fix: /10\.0\.0\.0\/8/ },
            { cidr: "2001::db8::/64", fix: /2001:db8::\/64/ },
            { cidr: "1:2:3:4:5:6:7:8:9/128", fix: /2001:db8::\/64/ },
            { cidr: "12345::/16", fix: /2001:db8::\/64/ },
            { cidr: "203.0.113.7/33", fix: /\/32/ },
            { cidr: "2001:db8::/129", fix: /\/128/ },
        ];
        for (const c of cases) {
            it(`${c.cidr}: a ConfigError naming the setting, the value and the fix`, () => {
                const error = rejection(["198.51.100.0/24", c.cidr]);
                assert.equal(error.setting, "sshAllowedCidrs");
                assert.equal(error.value, c.cidr);
                assert.match(error.fix, c.fix);
            });
        }
    });

    describe("sets that together admit the whole internet", () => {
        const open = [["0.0.0.0/1", "128.0.0.0/1"], ["::/1"], ["2000::/3"], ["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"], ["0.0.0.0/0"], ["::/0"]];
        for (const cidrs of open) {
            it(`${cidrs.join(" + ")}: refused unless allowSshFromAnywhere, which admits it`, () => {
                const error = rejection(cidrs);
                assert.equal(error.setting, "sshAllowedCidrs");
                assert.deepEqual(error.value, cidrs);
                assert.match(error.problem, /whole internet/);
                assert.match(error.fix, /allowSshFromAnywhere: true/);
                assert.deepEqual(resolveWebTierArgs({ ...base, sshAllowedCidrs: cidrs, allowSshFromAnywhere: true }).ssh.allowedCidrs, cidrs);
            });
        }

        it("half the internet, private ranges and single hosts are not 'anywhere'", () => {
            for (const cidrs of [["0.0.0.0/1"], ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], ["2001:db8::/32", "203.0.113.7/32"], ["4000::/2"]]) {
                assert.deepEqual(resolveWebTierArgs({ ...base, sshAllowedCidrs: cidrs }).ssh.allowedCidrs, cidrs);
            }
        });

        it("allowSshFromAnywhere must be a boolean (a string 'false' is not a yes)", () => {
            const error = rejection(["203.0.113.7/32"], { allowSshFromAnywhere: "false" as unknown as boolean });
            assert.equal(error.setting, "allowSshFromAnywhere");
        });
    });

    describe("through the stage (the component's rule reported as the stage key)", () => {
        it("dev: 0.0.0.0/1 + 128.0.0.0/1 is refused as webstack:web.sshAllowedCidrs until allowSshFromAnywhere is set", async () => {
            const split = 'webstack:web.sshAllowedCidrs=["0.0.0.0/1","128.0.0.0/1"]';
            await assert.rejects(planStage({ stage: "dev", overrides: [split] }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, String(error));
                assert.equal(error.setting, "webstack:web.sshAllowedCidrs");
                assert.match(error.fix, /allowSshFromAnywhere/);
                return true;
            });
            const plan = await planStage({ stage: "dev", overrides: [split, "webstack:web.allowSshFromAnywhere=true"] });
            const ssh = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 22);
            assert.deepEqual(ssh.map((r) => r.inputs.cidrIpv4), ["0.0.0.0/1", "128.0.0.0/1"]);
        });

        it("prod: the acknowledgement states the reason, allowSshFromAnywhere is still the component's switch (as for 0.0.0.0/0)", async () => {
            const settings = ['webstack:web={"mode":"instance","sshAllowedCidrs":["::/1"]}', 'webstack:acknowledge={"sshFromInternet":"incident bridge until 2027-01-15, ticket OPS-99"}'];
            await assert.rejects(planStage({ stage: "prod", overrides: settings }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, String(error));
                assert.equal(error.setting, "webstack:web.sshAllowedCidrs");
                assert.deepEqual(error.value, ["::/1"]);
                assert.match(error.fix, /allowSshFromAnywhere: true/);
                return true;
            });
            const plan = await planStage({ stage: "prod", overrides: [...settings, "webstack:web.allowSshFromAnywhere=true"] });
            assert.deepEqual(plan.acknowledgements?.map((a) => a.acknowledgement), ["sshFromInternet"]);
            const ssh = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 22);
            assert.deepEqual(ssh.map((r) => r.inputs.cidrIpv6), ["::/1"]);
        });
    });
});
