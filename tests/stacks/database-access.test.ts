import * as assert from "node:assert/strict";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";
import { stageParts } from "../../stacks/program";

/**
 * Issue 9 item 10: a way into the stage's database that costs nothing:
 * Session Manager port forwarding through the web instance, printed as a
 * ready command.
 */
describe("stage database access", () => {
    const plans = new Map<string, PlanDocument>();
    let fleet: PlanDocument;
    const find = (plan: PlanDocument, type: string, name: string): PlannedResource => {
        const found = plan.resources.find((r) => r.type === type && r.name === name);
        assert.ok(found, `${plan.stage} has no ${type} ${name}`);
        return found;
    };

    before(async function () {
        this.timeout(120000);
        plans.set("dev", await planStage({ stage: "dev" }));
        // staging with an instance-mode web tier in front of RDS (a fleet or Beanstalk has no one instance to go through).
        plans.set("staging", await planStage({ stage: "staging", overrides: ["webstack:web.mode=instance"] }));
        fleet = await planStage({ stage: "prod" });
        plans.set("dev/mariadb", await planStage({ stage: "dev", overrides: ["webstack:database.engine=mariadb", "webstack:database.version=\"10.11\""] }));
    });

    it("runs after the web part", () => {
        const names = stageParts.map((part) => part.name);
        assert.ok(names.indexOf("database-access") > names.indexOf("web"), names.join(", "));
    });

    it("prints a ready port-forwarding command through the web instance to the database", () => {
        for (const [key, plan] of plans) {
            const outputs = plan.outputs;
            const local = Number(outputs.databasePort) + 10000;
            assert.equal(
                outputs.databaseTunnelCommand,
                `aws ssm start-session --region eu-west-1 --target ${outputs.webInstanceId}` +
                    ` --document-name AWS-StartPortForwardingSessionToRemoteHost` +
                    ` --parameters host=${outputs.databaseHost},portNumber=${outputs.databasePort},localPortNumber=${local}`,
                key,
            );
            assert.match(String(outputs.webInstanceId), /./, key);
            assert.match(String(outputs.databaseHost), /./, key);
        }
        assert.equal(plans.get("dev/mariadb")!.outputs.databasePort, 3306);
    });

    it("prints none for a fleet (autoscaling mode), whose instances come and go", () => {
        assert.equal(fleet.outputs.webInstanceId, undefined);
        assert.equal(fleet.outputs.databaseTunnelCommand, undefined);
    });

    it("needs nothing new: the web instance already reaches the database port and runs Session Manager", () => {
        for (const [key, plan] of plans) {
            const stage = plan.stage;
            const web = find(plan, "aws:ec2/instance:Instance", `${stage}-web-instance`).inputs as { vpcSecurityGroupIds: string[] };
            const clients = String(plan.outputs.databaseClientSecurityGroupId);
            // The web instance is a member of the database's client group ...
            assert.ok(web.vpcSecurityGroupIds.includes(clients), key);
            // ... which the database admits on its port ...
            const rule = find(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${stage}-db-client-0`).inputs;
            assert.deepEqual([rule.referencedSecurityGroupId, rule.fromPort, rule.toPort], [clients, plan.outputs.databasePort, plan.outputs.databasePort], key);
            // ... and its own group lets it connect out.
            const egress = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" && r.name.startsWith(`${stage}-web`));
            assert.ok(egress.some((r) => r.inputs.ipProtocol === "-1" && r.inputs.cidrIpv4 === "0.0.0.0/0"), key);
            // Session Manager on the instance: the channels port forwarding uses too.
            const access = find(plan, "aws:iam/rolePolicy:RolePolicy", `${stage}-web-access`).inputs as { policy: string };
            assert.ok(access.policy.includes("ssmmessages:OpenDataChannel"), key);
        }
    });
});
