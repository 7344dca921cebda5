import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";
import { parseCompareArgs } from "../../stacks/plan/compare/compare-cli";
import { comparePlans } from "../../stacks/plan/compare/compare-plans";
import { renderComparison } from "../../stacks/plan/compare/render-comparison";

function planned(type: string, name: string, inputs: Record<string, unknown> = {}, parent: string | null = null, extra: Partial<PlannedResource> = {}): PlannedResource {
    const component = type.startsWith("webstack:");
    return { type, name, parent, provider: component ? null : { name: "default", region: "eu-west-1" }, protect: false, deleteBeforeReplace: false, retainOnDelete: false, inputs, ...extra };
}

/** A stage with a web tier (an instance, or a fleet), a database and a log group. */
function stage(name: string, options: { production?: boolean; layout?: string; fleet?: boolean; instanceClass?: string; protect?: boolean; computedName?: string } = {}): PlanDocument {
    const web = options.fleet
        ? [planned("aws:autoscaling/group:Group", `${name}-web-fleet`, { minSize: 2, maxSize: 6 }, `${name}-web`)]
        : [planned("aws:ec2/instance:Instance", `${name}-web-instance`, { instanceType: "t4g.small" }, `${name}-web`)];
    return {
        stage: name,
        layout: options.layout ?? "paas",
        region: "eu-west-1",
        production: options.production,
        outputs: {},
        resources: [
            planned("webstack:index:WebTier", `${name}-web`),
            planned("webstack:index:ManagedDatabase", `${name}-db`),
            ...web,
            planned(
                "aws:rds/instance:Instance",
                `${name}-db-instance`,
                {
                    instanceClass: options.instanceClass ?? "db.t4g.small",
                    identifier: `${name}-db`,
                    dbSubnetGroupName: options.computedName ?? "subnets-1234567",
                    tags: { stage: name, team: "web" },
                },
                `${name}-db`,
                { protect: options.protect ?? false, computed: ["dbSubnetGroupName"] },
            ),
            planned("aws:ec2/vpc:Vpc", `${name}-vpc`, { cidrBlock: options.production ? "10.30.0.0/16" : "10.20.0.0/16" }),
        ],
    };
}

describe("plan --compare: comparePlans", () => {
    it("matches resources by name without the stage prefix and lists the rest by side and component", () => {
        const comparison = comparePlans(stage("staging"), stage("prod", { production: true, fleet: true }));
        assert.deepEqual(comparison.onlyInA, [{ type: "aws:ec2/instance:Instance", name: "web-instance", component: "web" }]);
        assert.deepEqual(comparison.onlyInB, [{ type: "aws:autoscaling/group:Group", name: "web-fleet", component: "web" }]);
    });

    it("lists sizes and protection that differ, counts the other inputs, and ignores the stage's own name and values AWS computes", () => {
        const comparison = comparePlans(
            stage("staging", { computedName: "subnets-aaaaaaa" }),
            stage("prod", { production: true, instanceClass: "db.t4g.medium", protect: true, computedName: "subnets-bbbbbbb" }),
        );
        assert.deepEqual(
            comparison.differences.map((d) => `${d.resource} ${d.setting} ${d.category} ${String(d.a)}→${String(d.b)}`),
            ["db-instance instanceClass size db.t4g.small→db.t4g.medium", "db-instance protect protection false→true"],
        );
        // identifier "staging-db" ~ "prod-db" and tags.stage are the stage's name; dbSubnetGroupName is computed.
        assert.deepEqual(comparison.otherDifferences, { inputs: 1, resources: ["vpc"] });
    });

    it("reports each component's mode and warns when a stage compared with production is built differently", () => {
        const comparison = comparePlans(stage("staging"), stage("prod", { production: true, fleet: true }));
        assert.deepEqual(
            comparison.modes.map((m) => `${m.component} ${m.type} ${m.a}/${m.b}`),
            ["web WebTier instance/autoscaling", "db ManagedDatabase rds/rds"],
        );
        assert.equal(comparison.warnings.length, 2, comparison.warnings.join("\n"));
        assert.match(comparison.warnings[0], /build web \(WebTier\) differently: instance vs autoscaling/);
        assert.match(comparison.warnings[1], /staging exists to rehearse prod/);
    });

    it("warns about a layout difference with production, and stays quiet when the modes match or neither stage is production", () => {
        const layout = comparePlans(stage("staging", { layout: "iaas", fleet: true }), stage("prod", { production: true, fleet: true }));
        assert.deepEqual(layout.warnings.slice(0, 1), ["staging and prod use different layouts (iaas vs paas)."]);
        assert.equal(layout.warnings.length, 2);
        assert.deepEqual(comparePlans(stage("staging", { fleet: true }), stage("prod", { production: true, fleet: true })).warnings, []);
        assert.deepEqual(comparePlans(stage("dev", { layout: "iaas" }), stage("staging", { fleet: true })).warnings, []);
    });

    it("renders layout and modes first, then resources only in one, then the differing settings by resource", () => {
        const text = renderComparison(comparePlans(stage("staging"), stage("prod", { production: true, fleet: true, instanceClass: "db.t4g.medium" })));
        const order = ["Layout: paas vs paas (same)", "instance vs autoscaling   DIFFERS", "WARNING staging and prod build web", "Only in staging (1 resource):", "  web (1): web-instance", "Only in prod (1 resource):", "  web (1): web-fleet", "  db-instance: instanceClass db.t4g.small → db.t4g.medium"];
        let at = -1;
        for (const line of order) {
            const found = text.indexOf(line);
            assert.ok(found > at, `"${line}" missing or out of order in:\n${text}`);
            at = found;
        }
    });
});

describe("plan --compare: arguments", () => {
    it("applies --config to both stages and --config-a / --config-b to one", () => {
        assert.deepEqual(parseCompareArgs(["--compare", "staging", "prod", "--config", "x:a=1", "--config-a", "x:b=2", "--config-b", "x:c=3", "--json"]), {
            stages: ["staging", "prod"],
            json: true,
            overridesA: ["x:a=1", "x:b=2"],
            overridesB: ["x:a=1", "x:c=3"],
        });
    });

    it("needs exactly two stages and no other option", () => {
        assert.match(String(parseCompareArgs(["--compare", "staging"])), /two stages \(got staging\)/);
        assert.match(String(parseCompareArgs(["--compare", "a", "b", "c"])), /two stages/);
        assert.match(String(parseCompareArgs(["--compare", "a", "b", "--policy"])), /--policy does not go with --compare/);
    });
});

describe("plan --compare: the stages", function () {
    this.timeout(300_000);

    it("reports a layout difference when one side is overridden (staging on iaas against prod on paas)", async () => {
        const staging = await planStage({ stage: "staging", overrides: ["webstack:layout=iaas"] });
        const prod = await planStage({ stage: "prod" });
        const comparison = comparePlans(staging, prod);
        assert.deepEqual([comparison.a.layout, comparison.b.layout], ["iaas", "paas"]);
        assert.ok(comparison.warnings.includes("staging and prod use different layouts (iaas vs paas)."), comparison.warnings.join("\n"));
        // The layout moves the database to EC2: the mode says so.
        assert.deepEqual(comparison.modes.find((m) => m.component === "db"), { component: "db", type: "ManagedDatabase", a: "ec2", b: "rds" });
        assert.match(renderComparison(comparison), /^Layout: iaas vs paas {3}DIFFERS$/m);
    });

    it("npm run plan -- --compare staging prod: same layout and modes (no warning), prod's WAF and the database's size and protection listed; exit 0", () => {
        const root = path.resolve(__dirname, "..", "..");
        const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "stacks/plan/cli.ts", "--compare", "staging", "prod"], { cwd: root, encoding: "utf8", timeout: 240_000 });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^Layout: paas vs paas \(same\)$/m);
        assert.match(result.stdout, /^ {2}web \(WebTier\) +beanstalk vs beanstalk$/m);
        assert.doesNotMatch(result.stdout, /^WARNING/m);
        const prodOnly = result.stdout.slice(result.stdout.indexOf("Only in prod"), result.stdout.indexOf("Sizes, counts"));
        assert.match(prodOnly, /^ {2}web \(\d+\): [^]*\bweb-alb-waf\b/m);
        assert.match(result.stdout, /instanceClass db\.t4g\.small → db\.t4g\.medium/);
        assert.match(result.stdout, /deletionProtection false → true/);
    });
});
