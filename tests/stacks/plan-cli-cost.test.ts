/**
 * `npm run plan -- <stage> --cost`: the report prints each priced line and
 * the total `priceStage` computes, and `--json` carries it as `cost`.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { planStage } from "../../stacks/plan/plan-document";
import { priceStage, StageCost } from "../../stacks/plan/cost/price-stage";
import { formatUsd } from "../../stacks/plan/cost/render-cost";

const root = path.resolve(__dirname, "..", "..");

function plan(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "stacks/plan/cli.ts", ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan -- <stage> --cost", function () {
    this.timeout(240_000);

    it("prints staging's lines, its total and what is not counted", async () => {
        const expected = priceStage(await planStage({ stage: "staging" }));
        const result = plan("staging", "--cost");
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Monthly cost of stage staging \(eu-west-1, on-demand list prices, 730 hours a month\):$/m);
        for (const line of expected.lines) assert.ok(result.stdout.includes(`${line.what}`) && result.stdout.includes(formatUsd(line.monthlyUsd)), `${line.resource}: ${line.what}`);
        assert.match(result.stdout, new RegExp(`^Total: \\${formatUsd(expected.totalUsd)}/month$`, "m"));
        assert.match(result.stdout, /^Not counted: data transfer, requests/m);
        // A component with nothing fixed is listed at $0.00, not left out (staging's site: CloudFront, no WAF).
        assert.match(result.stdout, /^ {2}StaticSite: \$0\.00 \(nothing fixed: usage only\)$/m);
        // staging has a NAT gateway: its hours are in the report.
        assert.match(result.stdout, /staging-vpc-nat-1 +NAT gateway hours/);
    });

    it("adds the cost to --json, and a setting changes it (a second NAT gateway)", () => {
        const one = JSON.parse(plan("staging", "--cost", "--json").stdout) as { cost: StageCost };
        const two = JSON.parse(plan("staging", "--cost", "--json", "--config", "webstack:network.nat=one-per-az").stdout) as { cost: StageCost };
        const natHours = (cost: StageCost) => cost.lines.filter((line) => line.type === "aws:ec2/natGateway:NatGateway").map((line) => line.monthlyUsd);
        assert.equal(natHours(one.cost).length, 1);
        assert.equal(natHours(two.cost).length, 2);
        // The second gateway adds its hours and its Elastic IP's address.
        const address = one.cost.lines.find((line) => line.type === "aws:ec2/eip:Eip")!.monthlyUsd;
        assert.ok(Math.abs(two.cost.totalUsd - one.cost.totalUsd - natHours(one.cost)[0] - address) < 0.005, `${one.cost.totalUsd} -> ${two.cost.totalUsd}`);
    });
});
