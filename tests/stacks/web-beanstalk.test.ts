import * as assert from "node:assert/strict";
import { onePlanned } from "./plan-queries";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

const T = {
    environment: "aws:elasticbeanstalk/environment:Environment",
    version: "aws:elasticbeanstalk/applicationVersion:ApplicationVersion",
    group: "aws:autoscaling/group:Group",
    instance: "aws:ec2/instance:Instance",
    aclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    record: "aws:route53/record:Record",
};

type Setting = { namespace: string; name: string; value: string };
const settingOf = (plan: PlanDocument, stage: string, namespace: string, name: string) =>
    (onePlanned(plan, T.environment, `${stage}-web-env`).inputs.settings as Setting[]).find((s) => s.namespace === namespace && s.name === name)?.value;

/** What runs the web tier of a plan: "beanstalk", "autoscaling" or "instance". */
function webTierOf(plan: PlanDocument): string[] {
    const kinds: string[] = [];
    if (plan.resources.some((r) => r.type === T.environment)) kinds.push("beanstalk");
    if (plan.resources.some((r) => r.type === T.group && r.name.includes("-web-"))) kinds.push("autoscaling");
    if (plan.resources.some((r) => r.type === T.instance && r.name.endsWith("-web-instance"))) kinds.push("instance");
    return kinds;
}

/** Issue 14, must-show 3: layout paas runs Beanstalk in staging and prod; layout iaas runs the IaaS tiers, by configuration only. */
describe("stage files: the PaaS web tier (Beanstalk) by layout", function () {
    this.timeout(300_000);

    const cases: Array<[string, string[], string]> = [
        ["staging", [], "beanstalk"],
        ["prod", [], "beanstalk"],
        ["staging", ["webstack:layout=iaas"], "instance"],
        ["prod", ["webstack:layout=iaas"], "autoscaling"],
        ["dev", [], "instance"],
        ["dev", ["webstack:layout=paas"], "beanstalk"],
    ];
    for (const [stage, overrides, expected] of cases) {
        it(`${stage}${overrides.length ? ` with ${overrides.join(" ")}` : ""} runs the web tier as ${expected}`, async () => {
            assert.deepEqual(webTierOf(await planStage({ stage, overrides })), [expected]);
        });
    }

    describe("prod (paas)", () => {
        let plan: PlanDocument;
        before(async () => {
            plan = await planStage({ stage: "prod" });
        });

        it("deploys immutably with managed updates, enhanced health and streamed logs (checklist rows 46-49)", () => {
            assert.equal(settingOf(plan, "prod", "aws:elasticbeanstalk:command", "DeploymentPolicy"), "Immutable");
            assert.equal(settingOf(plan, "prod", "aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled"), "true");
            assert.equal(settingOf(plan, "prod", "aws:elasticbeanstalk:healthreporting:system", "SystemType"), "enhanced");
            assert.equal(settingOf(plan, "prod", "aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs"), "true");
        });

        it("puts the instances in the private subnets and the load balancer in the public ones, two to six instances", () => {
            assert.equal(settingOf(plan, "prod", "aws:ec2:vpc", "Subnets"), [...(plan.outputs.privateSubnetIds as string[])].sort().join(","));
            assert.equal(settingOf(plan, "prod", "aws:ec2:vpc", "ELBSubnets"), [...(plan.outputs.publicSubnetIds as string[])].sort().join(","));
            assert.deepEqual([settingOf(plan, "prod", "aws:autoscaling:asg", "MinSize"), settingOf(plan, "prod", "aws:autoscaling:asg", "MaxSize")], ["2", "6"]);
        });

        it("serves HTTPS on origin.<domain> with the regional certificate, behind the site's distribution, with a WAF on the environment's ALB", () => {
            assert.equal(settingOf(plan, "prod", "aws:elbv2:listener:443", "SSLCertificateArns"), plan.outputs.regionalCertificateArn);
            assert.equal(onePlanned(plan, T.record, "prod-web-dns-a").inputs.name, "origin.shop.example.com");
            const association = onePlanned(plan, T.aclAssociation, "prod-web-alb-waf-association").inputs;
            assert.match(String(association.resourceArn), /:loadbalancer\/app\/awseb-/);
        });

        it("gives the load balancer its own group, open to CloudFront's origin-facing servers only, and the app servers nginx's port from it only", () => {
            const albGroup = onePlanned(plan, "aws:ec2/securityGroup:SecurityGroup", "prod-web-alb-sg").outputs?.id;
            assert.equal(settingOf(plan, "prod", "aws:elbv2:loadbalancer", "SecurityGroups"), albGroup);
            assert.equal(settingOf(plan, "prod", "aws:elbv2:loadbalancer", "ManagedSecurityGroup"), albGroup);
            const ingress = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.name.startsWith("prod-web-"));
            const albIn = ingress.filter((r) => r.inputs.securityGroupId === albGroup);
            assert.deepEqual(albIn.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? "", Boolean(r.inputs.prefixListId)]), [[443, "", true]]);
            const appIn = ingress.filter((r) => r.inputs.securityGroupId === onePlanned(plan, "aws:ec2/securityGroup:SecurityGroup", "prod-web-app-sg").outputs?.id);
            assert.deepEqual(appIn.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]), [[80, albGroup]]);
        });
    });
});
