import * as assert from "node:assert/strict";
import { Harness } from "../../components/testing";
import { parseStageConfig } from "../../stacks/config";
import { networkNeeds } from "../../stacks/network-needs";
import { PlanDocument, planStage, REPO_ROOT } from "../../stacks/plan/plan-document";
import { applyOverrides, loadStageFile } from "../../stacks/plan/stage-file";
import { runProgram } from "../../stacks/program";

describe("stage database: the app's own user (rds mode)", () => {
    let prod: PlanDocument;
    let devPaas: PlanDocument;

    before(async function () {
        this.timeout(120000);
        prod = await planStage({ stage: "prod" });
        devPaas = await planStage({ stage: "dev", overrides: ["webstack:layout=paas"] });
    });

    it("gives the app the app user and its secret, and exports the master user and secret for administration", () => {
        for (const plan of [prod, devPaas]) {
            const appSecretArn = plan.outputs.databasePasswordSecretArn;
            assert.equal(plan.outputs.databaseUser, "app_user", plan.stage);
            assert.equal(plan.outputs.databaseMasterUser, "app", plan.stage);
            assert.match(String(plan.outputs.databaseMasterSecretArn), /:secret:rds!db-/, plan.stage);
            assert.match(String(appSecretArn), new RegExp(`:secret:${plan.stage}-db-app-secret-`), plan.stage);
            assert.notEqual(plan.outputs.databaseMasterSecretArn, appSecretArn);
        }
    });

    it("lets the web servers read the app secret and not the master secret", () => {
        for (const plan of [prod, devPaas]) {
            const master = String(plan.outputs.databaseMasterSecretArn);
            const app = String(plan.outputs.databasePasswordSecretArn);
            assert.match(master, /:secret:rds!db-/, `${plan.stage}: the master secret is known`);
            assert.notEqual(app, master);
            const webPolicies = plan.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && !r.name.startsWith(`${plan.stage}-db`));
            assert.ok(webPolicies.length > 0, plan.stage);
            const readers = webPolicies.filter((policy) => String(policy.inputs.policy).includes(app));
            assert.ok(readers.length > 0, `${plan.stage}: some web role reads the app secret`);
            for (const policy of webPolicies) assert.ok(!String(policy.inputs.policy).includes(master), `${plan.stage}: ${policy.name} names the master secret`);
        }
    });

    it("in a stage without NAT, gives the function a Secrets Manager endpoint and invokes it only once the endpoint exists", async () => {
        const file = loadStageFile(REPO_ROOT, "dev");
        const config = applyOverrides(file.config, ["webstack:layout=paas"]);
        const stage = parseStageConfig(config, "dev");
        assert.equal(stage.network.nat, "none");
        assert.equal(networkNeeds(stage).secretsManagerEndpoint, true);
        const harness = await Harness.start({ stack: "dev", config });
        runProgram(stage);
        await harness.settled();
        const endpoint = harness.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find((r) => String(harness.inputsOf(r).serviceName).endsWith(".secretsmanager"));
        assert.ok(endpoint, "a Secrets Manager interface endpoint");
        const run = harness.get("aws:lambda/invocation:Invocation", "dev-db-users-run");
        assert.ok(run.options.dependsOn.includes(endpoint.urn));
        // With NAT, no endpoint is needed.
        assert.equal(networkNeeds(parseStageConfig(applyOverrides(loadStageFile(REPO_ROOT, "staging").config, []), "staging")).secretsManagerEndpoint, false);
    });
});
