import * as assert from "node:assert/strict";
import { evaluateChecklist } from "../../policy/checklist";
import { CheckedResource, CheckedStage } from "../../policy/plan-view";

/**
 * Rows 14-22, 32 and 46-49 read load balancers, Auto Scaling groups and
 * Beanstalk environments, which no web-tier mode creates yet: they are
 * proven here over a hand-written stage that follows the checklist, then
 * broken one setting at a time.
 */
function resource(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): CheckedResource {
    return { type, name, parent: null, inputs, outputs: { id: `${name}-id`, arn: `arn:aws:test:::${name}`, ...outputs } };
}

function compliantStage(production = true): CheckedStage {
    return {
        stage: production ? "prod" : "dev",
        production,
        acknowledged: [],
        resources: [
            resource("aws:lb/loadBalancer:LoadBalancer", "alb", {
                loadBalancerType: "application",
                subnets: ["subnet-a", "subnet-b"],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: true,
                accessLogs: { enabled: true, bucket: "logs" },
            }),
            resource("aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf", { resourceArn: "arn:aws:test:::alb", webAclArn: "arn:acl" }),
            resource("aws:lb/listener:Listener", "https", { loadBalancerArn: "arn:aws:test:::alb", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:cert" }),
            resource("aws:lb/listener:Listener", "http", { loadBalancerArn: "arn:aws:test:::alb", port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] }),
            resource("aws:lb/targetGroup:TargetGroup", "targets", { port: 80, protocol: "HTTP", healthCheck: { enabled: true, path: "/health" } }),
            resource("aws:autoscaling/group:Group", "fleet", {
                minSize: 2,
                maxSize: 4,
                vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
                targetGroupArns: ["arn:aws:test:::targets"],
                healthCheckType: "ELB",
                launchTemplate: { id: "lt-1", version: "3" },
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 110, autoRollback: true } },
            }),
            resource("aws:elasticbeanstalk/environment:Environment", "env", {
                settings: [
                    { namespace: "aws:elasticbeanstalk:managedactions", name: "ManagedActionsEnabled", value: "true" },
                    { namespace: "aws:elasticbeanstalk:healthreporting:system", name: "SystemType", value: "enhanced" },
                    { namespace: "aws:elasticbeanstalk:cloudwatch:logs", name: "StreamLogs", value: "true" },
                    { namespace: "aws:elasticbeanstalk:command", name: "DeploymentPolicy", value: "Immutable" },
                ],
            }),
        ],
    };
}

const ROWS = [14, 15, 16, 17, 18, 19, 20, 21, 22, 32, 46, 47, 48, 49];

function violations(stage: CheckedStage): string[] {
    return evaluateChecklist(stage)
        .filter((finding) => ROWS.includes(finding.rule) && finding.status === "violation")
        .map((finding) => `#${finding.rule} ${finding.resource}`);
}

function named(stage: CheckedStage, name: string): Record<string, unknown> {
    return stage.resources.find((candidate) => candidate.name === name)!.inputs;
}

function setting(stage: CheckedStage, name: string, value: string): void {
    const settings = named(stage, "env").settings as { name: string; value: string }[];
    settings.find((candidate) => candidate.name === name)!.value = value;
}

const CASES: { row: number; what: string; resource: string; breakIt(stage: CheckedStage): void }[] = [
    { row: 14, what: "an old TLS policy", resource: "https", breakIt: (stage) => (named(stage, "https").sslPolicy = "ELBSecurityPolicy-2016-08") },
    { row: 15, what: "an HTTP listener that forwards", resource: "http", breakIt: (stage) => (named(stage, "http").defaultActions = [{ type: "forward", targetGroupArn: "arn:aws:test:::targets" }]) },
    { row: 16, what: "invalid headers passed on", resource: "alb", breakIt: (stage) => delete named(stage, "alb").dropInvalidHeaderFields },
    { row: 17, what: "desync mitigation monitor", resource: "alb", breakIt: (stage) => (named(stage, "alb").desyncMitigationMode = "monitor") },
    { row: 18, what: "no deletion protection", resource: "alb", breakIt: (stage) => (named(stage, "alb").enableDeletionProtection = false) },
    { row: 19, what: "no access logs", resource: "alb", breakIt: (stage) => (named(stage, "alb").accessLogs = { enabled: false, bucket: "logs" }) },
    { row: 20, what: "no web ACL", resource: "alb", breakIt: (stage) => (stage.resources = stage.resources.filter((candidate) => candidate.name !== "alb-waf")) },
    { row: 21, what: "a group in one subnet", resource: "fleet", breakIt: (stage) => (named(stage, "fleet").vpcZoneIdentifiers = ["subnet-a"]) },
    { row: 22, what: "EC2 health behind a target group", resource: "fleet", breakIt: (stage) => (named(stage, "fleet").healthCheckType = "EC2") },
    { row: 22, what: "a target group without a health check path", resource: "targets", breakIt: (stage) => (named(stage, "targets").healthCheck = { enabled: true }) },
    { row: 32, what: "$Latest", resource: "fleet", breakIt: (stage) => (named(stage, "fleet").launchTemplate = { id: "lt-1", version: "$Latest" }) },
    {
        row: 32,
        what: "a refresh that stops an instance first",
        resource: "fleet",
        breakIt: (stage) => (named(stage, "fleet").instanceRefresh = { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 100, autoRollback: true } }),
    },
    { row: 46, what: "no managed updates", resource: "env", breakIt: (stage) => setting(stage, "ManagedActionsEnabled", "false") },
    { row: 47, what: "basic health", resource: "env", breakIt: (stage) => setting(stage, "SystemType", "basic") },
    { row: 48, what: "no log streaming", resource: "env", breakIt: (stage) => setting(stage, "StreamLogs", "false") },
    { row: 49, what: "all-at-once deployments", resource: "env", breakIt: (stage) => setting(stage, "DeploymentPolicy", "AllAtOnce") },
];

describe("checklist rows for load balancers, Auto Scaling and Beanstalk", () => {
    it("a stage that follows them passes", () => {
        assert.deepEqual(violations(compliantStage()), []);
    });

    for (const testCase of CASES) {
        it(`#${testCase.row}: ${testCase.what}`, () => {
            const stage = compliantStage();
            testCase.breakIt(stage);
            assert.deepEqual(violations(stage), [`#${testCase.row} ${testCase.resource}`]);
        });
    }

    it("outside production a single-instance group in one subnet, rolling at 90 %, with all-at-once Beanstalk deploys passes", () => {
        const stage = compliantStage(false);
        Object.assign(named(stage, "fleet"), { minSize: 1, vpcZoneIdentifiers: ["subnet-a"], instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90, autoRollback: true } } });
        setting(stage, "DeploymentPolicy", "AllAtOnce");
        named(stage, "alb").enableDeletionProtection = false;
        assert.deepEqual(violations(stage), []);
        named(stage, "https").sslPolicy = "ELBSecurityPolicy-2016-08";
        assert.deepEqual(violations(stage), ["#14 https"], "the TLS policy is never relaxed");
    });
});
