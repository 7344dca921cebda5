import * as assert from "node:assert/strict";
import { resolveWebTierArgs, WebTierArgs } from "../../../components/web-tier/args";
import { rejectsArgs } from "../reject-args";

const fleet = { mode: "autoscaling" as const, app: { path: "examples/api" }, network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"] } };
const SHA = "3f9a".padEnd(64, "0");
const blueGreen = (deploy: Record<string, unknown>) => ({ ...fleet, deploy: { strategy: "blue-green", ...deploy } });

describe("WebTier blue-green args (pure resolution)", () => {
    it("with no color given, blue runs the current release and takes all the traffic; green has no fleet", () => {
        const resolved = resolveWebTierArgs(blueGreen({}) as unknown as WebTierArgs).deploy.blueGreen!;
        assert.deepEqual(resolved.shares, { blue: 100, green: 0 });
        assert.deepEqual([resolved.colors.blue.release, resolved.colors.blue.running], ["current", true]);
        assert.deepEqual([resolved.colors.green.release, resolved.colors.green.running], [undefined, false]);
        assert.equal(resolved.candidate, "blue");
    });

    it("the issue's example: blue pinned, green current, 10 % to green, green is the candidate", () => {
        const resolved = resolveWebTierArgs(blueGreen({ blue: { release: SHA }, green: { release: "current" }, traffic: { green: 10 } }) as unknown as WebTierArgs).deploy.blueGreen!;
        assert.deepEqual(resolved.shares, { blue: 90, green: 10 });
        assert.equal(resolved.candidate, "green");
        assert.equal(resolved.colors.blue.release, SHA);
    });

    it("idle: zero stops a color's instances only while it has no traffic; keep (the default) keeps them", () => {
        const zeroed = resolveWebTierArgs(blueGreen({ blue: { release: SHA, idle: "zero" }, green: { release: "current" }, traffic: { green: 100 } }) as unknown as WebTierArgs).deploy.blueGreen!;
        assert.equal(zeroed.colors.blue.running, false);
        const kept = resolveWebTierArgs(blueGreen({ blue: { release: SHA }, green: { release: "current" }, traffic: { green: 100 } }) as unknown as WebTierArgs).deploy.blueGreen!;
        assert.equal(kept.colors.blue.running, true);
        const serving = resolveWebTierArgs(blueGreen({ blue: { release: SHA, idle: "zero" }, green: { release: "current" }, traffic: { green: 50 } }) as unknown as WebTierArgs).deploy.blueGreen!;
        assert.equal(serving.colors.blue.running, true, "a color with traffic runs whatever its idle policy");
    });

    describe("rejects bad input before any resource, naming the key", () => {
        const cases: Array<[string, unknown, string, RegExp?]> = [
            ["both colors with traffic, green without a release", blueGreen({ blue: { release: "current" }, traffic: { green: 10 } }), "deploy.green.release", /10 % of the requests/],
            ["all traffic to a color with no release", blueGreen({ green: { release: "current" }, traffic: { blue: 100 } }), "deploy.blue.release"],
            ["a share above 100", blueGreen({ green: { release: "current" }, traffic: { green: 120 } }), "deploy.traffic.green", /0 to 100/],
            ["a negative share", blueGreen({ green: { release: "current" }, traffic: { blue: -5 } }), "deploy.traffic.blue"],
            ["a fractional share", blueGreen({ green: { release: "current" }, traffic: { green: 12.5 } }), "deploy.traffic.green"],
            ["shares that add up to 110", blueGreen({ blue: { release: SHA }, green: { release: "current" }, traffic: { blue: 60, green: 50 } }), "deploy.traffic", /add up to 110/],
            ["a third color", blueGreen({ green: { release: "current" }, traffic: { red: 10 } }), "deploy.traffic.red", /not a color/],
            ["a sha of 63 hex characters", blueGreen({ blue: { release: SHA.slice(1) } }), "deploy.blue.release", /64-hex/],
            ["a sha with a non-hex character", blueGreen({ blue: { release: SHA.slice(1) + "g" } }), "deploy.blue.release"],
            ["a sha in uppercase", blueGreen({ blue: { release: SHA.toUpperCase() } }), "deploy.blue.release", /lowercase/],
            ["release: latest", blueGreen({ green: { release: "latest" } }), "deploy.green.release"],
            ["an unknown idle policy", blueGreen({ blue: { release: "current", idle: "sleep" } }), "deploy.blue.idle"],
            ["an unknown color key", blueGreen({ blue: { release: "current", weight: 3 } }), "deploy.blue.weight"],
            ["a color that is not a map", blueGreen({ green: "current" }), "deploy.green"],
            ["blue-green in instance mode", { ...fleet, mode: "instance", network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"] }, deploy: { strategy: "blue-green" } }, "deploy.strategy", /mode: "autoscaling"/],
            ["traffic with the rolling strategy", { ...fleet, deploy: { strategy: "rolling", traffic: { green: 10 } } }, "deploy.traffic", /blue-green/],
            ["colors with the default (rolling) strategy", { ...fleet, deploy: { green: { release: "current" } } }, "deploy.green"],
            ["a watch window with blue-green", blueGreen({ watchSeconds: 30 }), "deploy.watchSeconds"],
            ["a gate timeout of 0", blueGreen({ gateTimeoutMinutes: 0 }), "deploy.gateTimeoutMinutes"],
            ["a preview CIDR with host bits", blueGreen({ previewCidrs: ["203.0.113.7/24"] }), "deploy.previewCidrs[0]", /203\.0\.113\.0\/24/],
            ["preview CIDRs as one string", blueGreen({ previewCidrs: "203.0.113.0/24" }), "deploy.previewCidrs"],
            ["no traffic to anyone", blueGreen({ blue: { release: "current" }, traffic: { blue: 0, green: 0 } }), "deploy.traffic"],
        ];
        for (const [label, args, setting, part] of cases) {
            it(label, () => {
                rejectsArgs(args, setting, part);
            });
        }
    });
});
