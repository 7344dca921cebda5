import * as assert from "node:assert/strict";
import { onePlanned, planRejection } from "./plan-queries";
import { fakePrefixListId } from "../../components/testing";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

const T = {
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
    balancer: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    record: "aws:route53/record:Record",
    acl: "aws:wafv2/webAcl:WebAcl",
    instance: "aws:ec2/instance:Instance",
    dynamic: "pulumi-nodejs:dynamic:Resource",
    distribution: "aws:cloudfront/distribution:Distribution",
};

const one = onePlanned;

const rejection = planRejection;

/** The stage files' fleets, through the program: what `npm run plan -- prod` shows (and its --json carries). */
describe("stage files: the autoscaling web tier (the fleet)", function () {
    this.timeout(180_000);

    // prod's stage file runs Beanstalk (layout paas); its fleet settings apply with web.mode=autoscaling, or with layout iaas.
    for (const [label, overrides] of [["prod --config webstack:web.mode=autoscaling", ["webstack:web.mode=autoscaling"]], ["prod --config webstack:layout=iaas", ["webstack:layout=iaas"]]] as const) {
        describe(label, () => {
            let plan: PlanDocument;
            before(async () => {
                plan = await planStage({ stage: "prod", overrides: [...overrides] });
            });

            it("runs a fleet, not an instance: launch template, group, ALB, target group, listeners, waiter", () => {
                assert.equal(plan.resources.filter((r) => r.type === T.instance && r.name.startsWith("prod-web")).length, 0);
                for (const [type, name] of [[T.template, "prod-web-launch-template"], [T.group, "prod-web-fleet"], [T.balancer, "prod-web-alb"], [T.targetGroup, "prod-web-tg"], [T.listener, "prod-web-https"], [T.listener, "prod-web-http"], [T.dynamic, "prod-web-rollout"]]) {
                    assert.equal(one(plan, type, name).parent, "prod-web");
                }
            });

            it("keeps the instances in the private subnets of three AZs, two at least, on ELB health, pinned to the template's latest version", () => {
                const group = one(plan, T.group, "prod-web-fleet").inputs as Record<string, any>;
                const template = one(plan, T.template, "prod-web-launch-template");
                assert.deepEqual(group.vpcZoneIdentifiers, plan.outputs.privateSubnetIds);
                assert.equal((group.vpcZoneIdentifiers as string[]).length, 3);
                assert.equal(group.minSize, 2);
                assert.equal(group.maxSize, 6);
                assert.equal(group.healthCheckType, "ELB");
                assert.equal(group.launchTemplate.id, template.outputs?.id);
                assert.equal(group.launchTemplate.version, String(template.outputs?.latestVersion));
                assert.deepEqual(group.targetGroupArns, [one(plan, T.targetGroup, "prod-web-tg").outputs?.arn]);
                const networkInterface = (template.inputs.networkInterfaces as Record<string, unknown>[])[0];
                assert.equal(networkInterface.associatePublicIpAddress, "false", "private subnets: no public address");
            });

            it("serves HTTPS on origin.shop.example.com with the regional certificate, for CloudFront only", () => {
                const https = one(plan, T.listener, "prod-web-https").inputs;
                assert.equal(https.certificateArn, plan.outputs.regionalCertificateArn);
                assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
                const albIngress = plan.resources.filter((r) => r.type === T.ingress && r.parent === "prod-web-alb-sg");
                assert.deepEqual(
                    albIngress.map((r) => [r.inputs.fromPort, r.inputs.prefixListId, r.inputs.cidrIpv4]),
                    [[443, fakePrefixListId(plan.region, "com.amazonaws.global.cloudfront.origin-facing"), undefined]],
                );
                const alias = one(plan, T.record, "prod-web-alias-origin.shop.example.com-a").inputs as Record<string, any>;
                assert.equal(alias.name, "origin.shop.example.com");
                assert.equal(alias.aliases[0].name, one(plan, T.balancer, "prod-web-alb").outputs?.dnsName);
                assert.equal(plan.outputs.webUrl, "https://origin.shop.example.com");
            });

            it("routes the site's /api/* to the ALB over HTTPS", () => {
                const origins = one(plan, T.distribution, "prod-site-cdn").inputs.origins as { domainName: string; customOriginConfig?: { originProtocolPolicy: string } }[];
                const api = origins.find((origin) => origin.customOriginConfig);
                assert.equal(api?.domainName, "origin.shop.example.com");
                assert.equal(api?.customOriginConfig?.originProtocolPolicy, "https-only");
            });

            it("lets the app servers take HTTP from the ALB's group only, and joins the database's client group", () => {
                const appIngress = plan.resources.filter((r) => r.type === T.ingress && r.parent === "prod-web-app-sg");
                assert.deepEqual(appIngress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]), [[80, one(plan, "aws:ec2/securityGroup:SecurityGroup", "prod-web-alb-sg").outputs?.id, undefined]]);
                const groups = (one(plan, T.template, "prod-web-launch-template").inputs.networkInterfaces as { securityGroups: string[] }[])[0].securityGroups;
                assert.deepEqual(groups, [plan.outputs.webSecurityGroupId, plan.outputs.databaseClientSecurityGroupId]);
            });

            it("protects the ALB in production: deletion protection, a regional WAF, access logs", () => {
                const alb = one(plan, T.balancer, "prod-web-alb").inputs as Record<string, any>;
                assert.equal(alb.enableDeletionProtection, true);
                assert.equal(alb.dropInvalidHeaderFields, true);
                assert.equal(alb.accessLogs.enabled, true);
                assert.equal(one(plan, T.acl, "prod-web-alb-waf").inputs.scope, "REGIONAL");
            });

            it("waits for the rollout of the template's version", () => {
                const waiter = one(plan, T.dynamic, "prod-web-rollout").inputs;
                assert.equal(waiter.autoScalingGroupName, plan.outputs.webAutoScalingGroup);
                assert.equal(String(waiter.launchTemplateVersion), String(one(plan, T.template, "prod-web-launch-template").outputs?.latestVersion));
                assert.equal(waiter.timeoutMinutes, 30);
            });
        });
    }

    describe("dev --config webstack:web.mode=autoscaling (no NAT, no domain, not production)", () => {
        let plan: PlanDocument;
        before(async () => {
            plan = await planStage({ stage: "dev", overrides: ["webstack:web.mode=autoscaling"] });
        });

        it("runs the fleet in the public subnets with public addresses, open only to the ALB", () => {
            const group = one(plan, T.group, "dev-web-fleet").inputs as Record<string, any>;
            assert.deepEqual(group.vpcZoneIdentifiers, plan.outputs.publicSubnetIds);
            const networkInterface = (one(plan, T.template, "dev-web-launch-template").inputs.networkInterfaces as Record<string, unknown>[])[0];
            assert.equal(networkInterface.associatePublicIpAddress, "true");
            const appIngress = plan.resources.filter((r) => r.type === T.ingress && r.parent === "dev-web-app-sg");
            assert.deepEqual(appIngress.map((r) => r.inputs.cidrIpv4), [undefined]);
        });

        it("answers plain HTTP on the ALB's own name, open to the world, without production's protections", () => {
            const listeners = plan.resources.filter((r) => r.type === T.listener && r.parent === "dev-web");
            assert.deepEqual(listeners.map((r) => [r.inputs.port, r.inputs.protocol, (r.inputs.defaultActions as { type: string }[])[0].type]), [[80, "HTTP", "forward"]]);
            const albIngress = plan.resources.filter((r) => r.type === T.ingress && r.parent === "dev-web-alb-sg");
            assert.deepEqual(albIngress.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6]), [[80, "0.0.0.0/0"], [80, "::/0"]]);
            const alb = one(plan, T.balancer, "dev-web-alb").inputs;
            assert.equal(alb.enableDeletionProtection, false);
            assert.equal(plan.resources.filter((r) => r.type === T.acl && r.parent === "dev-web").length, 0);
            assert.equal(plan.outputs.webUrl, `http://${one(plan, T.balancer, "dev-web-alb").outputs?.dnsName}`);
        });
    });

    describe("config errors, before any resource", () => {
        it("one AZ: the ALB needs two, named as webstack:network.azCount", async () => {
            const error = await rejection("dev", ["webstack:web.mode=autoscaling", "webstack:network.azCount=1"]);
            assert.equal(error.setting, "webstack:network.azCount");
        });

        it("a component rule is reported as the stage key", async () => {
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", "webstack:web.autoscaling.minSize=1"])).setting, "webstack:web.autoscaling.minSize");
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", "webstack:web.autoscaling.maxSize=1"])).setting, "webstack:web.autoscaling.maxSize");
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", 'webstack:web.autoscaling.schedules=[{"name":"x","recurrence":"0 25 * * *","minSize":2}]'])).setting, "webstack:web.autoscaling.schedules[0].recurrence");
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", "webstack:web.deploy.strategy=in-place"])).setting, "webstack:web.deploy.strategy");
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", "webstack:web.loadBalancer.idleTimeoutSeconds=0"])).setting, "webstack:web.loadBalancer.idleTimeoutSeconds");
        });

        it("an unknown key under webstack:web.autoscaling is an error", async () => {
            assert.equal((await rejection("prod", ["webstack:web.mode=autoscaling", "webstack:web.autoscaling.minimum=2"])).setting, "webstack:web.autoscaling.minimum");
        });
    });
});
