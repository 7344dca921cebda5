import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { Harness } from "../../components/testing";
import { parseStageConfig } from "../../stacks/config";
import { PlanDocument, PlannedResource, planStage, REPO_ROOT } from "../../stacks/plan/plan-document";
import { describeSettings } from "../../stacks/plan/key-settings";
import { applyOverrides, loadStageFile } from "../../stacks/plan/stage-file";
import { runProgram } from "../../stacks/program";

/**
 * Every place a plan could carry a password in plain text: an input or
 * output whose key names a password and holds a string that is not a
 * reference (ARN) or redacted, and resources that exist only to hold a
 * secret value (a SecretVersion, a SecureString parameter) unless redacted.
 */
function plaintextPasswords(plan: PlanDocument): string[] {
    const found: string[] = [];
    const visit = (value: unknown, where: string): void => {
        if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${where}[${i}]`));
        if (typeof value !== "object" || value === null) return;
        for (const [key, item] of Object.entries(value)) {
            const isReference = typeof item === "string" && (item.startsWith("arn:") || item === "[secret]");
            if (/password/i.test(key) && typeof item === "string" && item !== "" && !isReference) found.push(`${where}.${key}`);
            visit(item, `${where}.${key}`);
        }
    };
    for (const resource of plan.resources) {
        visit(resource.inputs, `${resource.type} ${resource.name}`);
        if (resource.type === "aws:secretsmanager/secretVersion:SecretVersion" && resource.inputs.secretString !== "[secret]") found.push(`${resource.name}.secretString`);
        if (resource.type === "aws:ssm/parameter:Parameter" && resource.inputs.type === "SecureString" && resource.inputs.value !== "[secret]") found.push(`${resource.name}.value`);
    }
    visit(plan.outputs, "outputs");
    return found;
}

const cases: Array<{ stage: string; layout: "iaas" | "paas" }> = ["dev", "staging", "prod"].flatMap((stage) => (["iaas", "paas"] as const).map((layout) => ({ stage, layout })));

describe("stage database", () => {
    const plans = new Map<string, PlanDocument>();
    const planOf = (stage: string, layout?: string) => plans.get(`${stage}/${layout ?? "default"}`)!;
    const inStage = (plan: PlanDocument, type: string, name: string): PlannedResource => {
        const found = plan.resources.find((r) => r.type === type && r.name === name);
        assert.ok(found, `${plan.stage} has no ${type} ${name}`);
        return found;
    };
    /** Resources of `type` that belong to the stage's database (`<stage>-db...`), not to the web tier. */
    const count = (plan: PlanDocument, type: string) => plan.resources.filter((r) => r.type === type && r.name.startsWith(`${plan.stage}-db`)).length;

    before(async function () {
        this.timeout(120000);
        for (const stage of ["dev", "staging", "prod"]) plans.set(`${stage}/default`, await planStage({ stage }));
        for (const { stage, layout } of cases) plans.set(`${stage}/${layout}`, await planStage({ stage, overrides: [`webstack:layout=${layout}`] }));
    });

    it("follows the layout each stage file sets: dev on EC2, staging and prod on RDS", () => {
        assert.equal(planOf("dev").outputs.databaseMode, "ec2");
        assert.equal(count(planOf("dev"), "aws:ec2/instance:Instance"), 1);
        assert.equal(count(planOf("dev"), "aws:rds/instance:Instance"), 0);
        for (const stage of ["staging", "prod"]) {
            assert.equal(planOf(stage).outputs.databaseMode, "rds", stage);
            assert.equal(count(planOf(stage), "aws:rds/instance:Instance"), 1, stage);
            assert.equal(count(planOf(stage), "aws:ebs/volume:Volume"), 0, stage);
        }
    });

    it("flips with --config webstack:layout, and webstack:database.mode overrides the layout", async () => {
        for (const { stage, layout } of cases) {
            assert.equal(planOf(stage, layout).outputs.databaseMode, layout === "iaas" ? "ec2" : "rds", `${stage}/${layout}`);
        }
        const overridden = await planStage({ stage: "dev", overrides: ["webstack:database.mode=rds"] });
        assert.equal(overridden.layout, "iaas");
        assert.equal(overridden.outputs.databaseMode, "rds");
    });

    it("puts the database in the VPC's private subnets, open to the app clients group", () => {
        for (const { stage, layout } of cases) {
            const plan = planOf(stage, layout);
            const privateSubnets = plan.outputs.privateSubnetIds as string[];
            const rule = inStage(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${stage}-db-client-0`);
            assert.equal(rule.inputs.referencedSecurityGroupId, plan.outputs.databaseClientSecurityGroupId, `${stage}/${layout}`);
            if (layout === "paas") {
                assert.deepEqual(inStage(plan, "aws:rds/subnetGroup:SubnetGroup", `${stage}-db-subnets`).inputs.subnetIds, privateSubnets);
            } else {
                assert.equal(inStage(plan, "aws:ec2/instance:Instance", `${stage}-db-instance`).inputs.subnetId, privateSubnets[0]);
            }
        }
    });

    it("prod keeps its data safe: deletion protection, final snapshot, protect, Multi-AZ, ≥ 7 days of backups", () => {
        const rds = inStage(planOf("prod"), "aws:rds/instance:Instance", "prod-db-instance");
        assert.equal(rds.protect, true);
        assert.equal(rds.inputs.deletionProtection, true);
        assert.equal(rds.inputs.skipFinalSnapshot, false);
        assert.match(String(rds.inputs.finalSnapshotIdentifier), /^prod-db-final-/);
        assert.equal(rds.inputs.multiAz, true);
        assert.equal(rds.inputs.backupRetentionPeriod, 30);
        assert.equal(rds.inputs.instanceClass, "db.t4g.medium");
        const ec2 = planOf("prod", "iaas");
        assert.equal(inStage(ec2, "aws:ebs/volume:Volume", "prod-db-data").protect, true);
        const policy = inStage(ec2, "aws:dlm/lifecyclePolicy:LifecyclePolicy", "prod-db-snapshots").inputs as { policyDetails: { schedules: Array<{ retainRule: unknown }> } };
        assert.deepEqual(policy.policyDetails.schedules[0].retainRule, { interval: 30, intervalUnit: "DAYS" });
    });

    it("dev and staging take the cheaper choices, still encrypted and private", () => {
        const dev = planOf("dev");
        const volume = inStage(dev, "aws:ebs/volume:Volume", "dev-db-data");
        assert.equal(volume.protect, false);
        assert.equal(volume.inputs.encrypted, true);
        assert.equal(inStage(dev, "aws:ec2/instance:Instance", "dev-db-instance").inputs.associatePublicIpAddress, false);
        assert.equal(inStage(dev, "aws:ec2/instance:Instance", "dev-db-instance").inputs.instanceType, "t4g.micro");
        const staging = inStage(planOf("staging"), "aws:rds/instance:Instance", "staging-db-instance");
        assert.equal(staging.protect, false);
        assert.equal(staging.inputs.multiAz, false);
        assert.equal(staging.inputs.deletionProtection, false);
        assert.equal(staging.inputs.storageEncrypted, true);
        assert.equal(staging.inputs.publiclyAccessible, false);
    });

    it("has no plaintext password in any stage and layout, only the secret's ARN", () => {
        for (const [key, plan] of plans) {
            assert.deepEqual(plaintextPasswords(plan), [], key);
            assert.match(String(plan.outputs.databasePasswordSecretArn), /^arn:aws:secretsmanager:eu-west-1:\d{12}:secret:/, key);
            const json = JSON.stringify(plan);
            assert.ok(json.includes(String(plan.outputs.databasePasswordSecretArn)), key);
        }
    });

    it("the password check itself catches a plaintext password", () => {
        const leaky: PlanDocument = {
            stage: "x", layout: "paas", region: "eu-west-1", outputs: {},
            resources: [{ type: "aws:rds/instance:Instance", name: "leak", parent: null, provider: null, protect: false, deleteBeforeReplace: false, retainOnDelete: false, inputs: { password: "hunter2hunter2" } }],
        };
        assert.deepEqual(plaintextPasswords(leaky), ["aws:rds/instance:Instance leak.password"]);
    });

    it("reports a bad database setting as the stage key it came from", async () => {
        await assert.rejects(planStage({ stage: "prod", overrides: ["webstack:database.backupRetentionDays=3"] }), (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(error.setting, "webstack:database.backupRetentionDays");
            return true;
        });
        await assert.rejects(planStage({ stage: "dev", overrides: ["webstack:database.engine=oracle"] }), (error: unknown) => error instanceof ConfigError && error.setting === "webstack:database.engine");
    });
    it("never changes the engine when the layout flips", async () => {
        for (const { stage, layout } of cases) assert.equal(planOf(stage, layout).outputs.databaseEngine, "postgres", `${stage}/${layout}`);
        const mariadb = await planStage({ stage: "dev", overrides: ["webstack:database.engine=mariadb", "webstack:database.version=\"10.11\"", "webstack:layout=paas"] });
        assert.equal(mariadb.outputs.databaseEngine, "mariadb");
        assert.equal(inStage(mariadb, "aws:rds/instance:Instance", "dev-db-instance").inputs.engine, "mariadb");
        // MySQL on RDS flipped to the iaas layout: refused with the fix, never MariaDB in its place.
        await assert.rejects(planStage({ stage: "prod", overrides: ["webstack:database.engine=mysql", "webstack:database.version=\"8.0\"", "webstack:layout=iaas"] }), (error: unknown) => {
            assert.ok(error instanceof ConfigError, String(error));
            assert.equal(error.setting, "webstack:database.engine");
            assert.match(error.fix, /mariadb/);
            return true;
        });
    });

    it("allows a major version upgrade only when the stage says so, visibly in the plan", async () => {
        for (const stage of ["staging", "prod"]) assert.equal(inStage(planOf(stage), "aws:rds/instance:Instance", `${stage}-db-instance`).inputs.allowMajorVersionUpgrade, false, stage);
        const upgrade = await planStage({ stage: "staging", overrides: ["webstack:database.version=\"17\"", "webstack:database.allowMajorVersionUpgrade=true"] });
        const rds = inStage(upgrade, "aws:rds/instance:Instance", "staging-db-instance");
        assert.equal(rds.inputs.allowMajorVersionUpgrade, true);
        assert.equal(rds.inputs.engineVersion, "17");
        assert.equal(inStage(upgrade, "aws:rds/parameterGroup:ParameterGroup", "staging-db-params").inputs.family, "postgres17");
        // The plan's tree shows it next to the version, not only the JSON.
        assert.ok(describeSettings(rds.type, rds.inputs).includes("allowMajorVersionUpgrade=true"), describeSettings(rds.type, rds.inputs).join(" "));
        const prod = inStage(planOf("prod"), "aws:rds/instance:Instance", "prod-db-instance");
        assert.ok(describeSettings(prod.type, prod.inputs).includes("allowMajorVersionUpgrade=false"));
    });

    it("keeps RDS logs for the stage's retention: 365 days in prod, 30 elsewhere, or webstack:database.logRetentionDays", async () => {
        for (const [stage, days] of [["prod", 365], ["staging", 30]] as const) {
            const plan = planOf(stage);
            for (const log of ["postgresql", "upgrade"]) {
                const group = inStage(plan, "aws:cloudwatch/logGroup:LogGroup", `${stage}-db-log-${log}`);
                assert.equal(group.inputs.name, `/aws/rds/instance/${stage}-db/${log}`);
                assert.equal(group.inputs.retentionInDays, days, `${stage} ${log}`);
            }
        }
        const group = inStage(planOf("prod"), "aws:cloudwatch/logGroup:LogGroup", "prod-db-log-postgresql");
        assert.ok(describeSettings(group.type, group.inputs).includes("retentionInDays=365"), "the plan's tree shows the retention");
        const custom = await planStage({ stage: "staging", overrides: ["webstack:database.logRetentionDays=90"] });
        assert.equal(inStage(custom, "aws:cloudwatch/logGroup:LogGroup", "staging-db-log-postgresql").inputs.retentionInDays, 90);
    });

    it("dev's database instance boots after the network's interface endpoints", async () => {
        const file = loadStageFile(REPO_ROOT, "dev");
        const config = applyOverrides(file.config, []);
        const harness = await Harness.start({ stack: "dev", config });
        runProgram(parseStageConfig(config, "dev"));
        await harness.settled();
        const endpoints = harness.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((r) => harness.inputsOf(r).vpcEndpointType === "Interface");
        assert.ok(endpoints.length > 0, "dev (no NAT) reaches Secrets Manager through an interface endpoint");
        const instance = harness.get("aws:ec2/instance:Instance", "dev-db-instance");
        for (const endpoint of endpoints) assert.ok(instance.options.dependsOn.includes(endpoint.urn), endpoint.name);
    });
});
