import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PlanDocument, planStage, REPO_ROOT } from "../../stacks/plan/plan-document";

/**
 * awscheck (shared/tools/awscheck.py, beside the repository in CI) checks a
 * plan's literal inputs against the CloudFormation resource schemas cfn-lint
 * bundles and a few cross-field rules; it exits 1 on any ERROR.
 */
const AWSCHECK = path.resolve(REPO_ROOT, "..", "shared", "tools", "awscheck.py");

/**
 * Errors awscheck reports that do not hold for the AWS provider, each with
 * its reason. Nothing else may be listed here.
 */
const KNOWN_FALSE_POSITIVES: { pattern: RegExp; reason: string }[] = [];

interface CheckResult {
    code: number | null;
    errors: string[];
    output: string;
}

function awscheck(plan: unknown): CheckResult {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "awscheck-")), "plan.json");
    fs.writeFileSync(file, JSON.stringify(plan));
    const result = spawnSync("python3", [AWSCHECK, file], { encoding: "utf8", timeout: 120_000 });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    return { code: result.status, errors: (result.stdout ?? "").split("\n").filter((line) => line.startsWith("ERROR")), output };
}

/** Why awscheck cannot run here, or undefined when it can. */
function unavailable(): string | undefined {
    if (!fs.existsSync(AWSCHECK)) return `${AWSCHECK} is missing`;
    const probe = spawnSync("python3", ["-c", "import cfnlint"], { encoding: "utf8" });
    if (probe.error) return "python3 is not installed";
    if (probe.status !== 0) return "cfn-lint is not installed (pip install cfn-lint)";
    return undefined;
}

describe("awscheck over every stage × layout plan", function () {
    this.timeout(600_000);
    before(function () {
        const why = unavailable();
        if (!why) return;
        // Locally a missing tool skips; in CI it must be there.
        if (process.env.CI === "true") throw new Error(`awscheck cannot run: ${why}`);
        this.skip();
    });

    it("reports an ERROR (exit 1) for a plan with an input AWS rejects", () => {
        const plan: PlanDocument = {
            stage: "broken",
            layout: "iaas",
            region: "eu-west-1",
            outputs: {},
            resources: [
                {
                    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                    name: "broken-endpoint",
                    parent: null,
                    provider: { name: "default", region: "eu-west-1" },
                    protect: false,
                    deleteBeforeReplace: false,
                    retainOnDelete: false,
                    inputs: { vpcId: "vpc-0123456789abcdef0", serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Tunnel" },
                },
            ],
        };
        const result = awscheck(plan);
        assert.equal(result.code, 1, result.output);
        assert.ok(result.errors.some((line) => line.includes("broken-endpoint")), result.output);
    });

    const blueGreenCanary = ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=blue-green", `webstack:web.deploy.blue.release=${"3f9a".padEnd(64, "c")}`, "webstack:web.deploy.green.release=current", "webstack:web.deploy.traffic.green=10"];
    const variants: Array<[string, string, string[]]> = [
        ...["dev", "staging", "prod"].flatMap((stage) => ["iaas", "paas"].map((layout): [string, string, string[]] => [`${stage} × ${layout}`, stage, [`webstack:layout=${layout}`]])),
        ["prod × blue/green canary", "prod", blueGreenCanary],
    ];
    for (const [label, stage, overrides] of variants) {
        it(`finds no error in ${label}`, async () => {
                const plan = await planStage({ stage, overrides });
                const result = awscheck(plan);
                const unexpected = result.errors.filter((line) => !KNOWN_FALSE_POSITIVES.some((known) => known.pattern.test(line)));
                assert.deepEqual(unexpected, [], result.output);
                assert.ok(result.code === 0 || unexpected.length === 0, result.output);
                assert.match(result.output, new RegExp(`awscheck: ${plan.resources.length} resources`), "awscheck read the whole plan");
            });
    }
});
