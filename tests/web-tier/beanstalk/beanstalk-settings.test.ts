import * as assert from "node:assert/strict";
import { PlanView } from "../../../policy/plan-view";
import { beanstalkRules } from "../../../policy/rules/beanstalk";
import { WebTierArgs } from "../../../components/web-tier/args";
import { beanstalkStrategies, deploymentPolicyOf, resolveBeanstalk } from "../../../components/web-tier/beanstalk/args";
import { HTTPS_REDIRECT_PATH, httpsRedirectConfig } from "../../../components/web-tier/beanstalk/https-redirect";
import { BeanstalkSettingsInputs, beanstalkSettings, sortSettings } from "../../../components/web-tier/beanstalk/settings";

const base: WebTierArgs = {
    app: { path: "examples/api" },
    network: { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-b", "subnet-pub-a"], privateSubnetIds: ["subnet-priv-b", "subnet-priv-a"] },
};
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-AbCdEf";
const API_KEY_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/api-key";
const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";

const inputs: BeanstalkSettingsInputs = {
    vpcId: "vpc-0abc",
    publicSubnetIds: ["subnet-pub-b", "subnet-pub-a"],
    privateSubnetIds: ["subnet-priv-b", "subnet-priv-a"],
    instanceType: "t4g.small",
    rootVolumeGiB: 20,
    healthCheckPath: "/health",
    instanceProfileName: "web-profile-1234",
    serviceRoleName: "web-eb-service-1234",
    securityGroupIds: ["sg-app", "sg-dbclient"],
    environment: { NODE_ENV: "production" },
    secretArns: { API_KEY: API_KEY_ARN, DB_PASSWORD: DB_SECRET },
    certificateArn: CERT_ARN,
};

const production = resolveBeanstalk(
    { ...base, beanstalk: { minSize: 2, maxSize: 6, cpuTargetPercent: 90, schedules: [{ name: "mornings", recurrence: "0 6 * * 1-5", minSize: 4, maxSize: 8 }], updateWindow: "Tue:03:30" } } as WebTierArgs,
    "immutable",
    "production",
);
const settings = beanstalkSettings(production, inputs);
const value = (namespace: string, name: string, resource?: string) => settings.find((s) => s.namespace === namespace && s.name === name && s.resource === resource)?.value;

describe("Beanstalk option settings", () => {
    it("are sorted by namespace, name and resource, unique, and all strings (no plan diff from order or types)", () => {
        const keys = settings.map((s) => [s.namespace, s.name, s.resource ?? ""]);
        for (let i = 1; i < keys.length; i++) {
            const [a, b] = [keys[i - 1], keys[i]];
            const order = a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
            assert.ok(order, `${a.join(" ")} before ${b.join(" ")}`);
        }
        assert.equal(new Set(keys.map((k) => k.join("\u0000"))).size, keys.length);
        for (const setting of settings) {
            assert.equal(typeof setting.value, "string", `${setting.namespace} ${setting.name}`);
            // `resource` on scheduled actions only: CloudFormation (awscheck) refuses an empty ResourceName.
            const scheduled = setting.namespace === "aws:autoscaling:scheduledaction";
            assert.deepEqual(Object.keys(setting).sort(), scheduled ? ["name", "namespace", "resource", "value"] : ["name", "namespace", "value"]);
            if (scheduled) assert.ok(typeof setting.resource === "string" && setting.resource.length > 0);
        }
    });

    it("refuse a duplicate rather than drop one", () => {
        const duplicate = { namespace: "aws:autoscaling:asg", name: "MinSize", value: "2" };
        assert.throws(() => sortSettings([duplicate, { ...duplicate, value: "3" }]), /duplicate Beanstalk setting aws:autoscaling:asg MinSize/);
    });

    it("put the instances in the private subnets and the ALB in the public ones, without public addresses", () => {
        assert.equal(value("aws:ec2:vpc", "VPCId"), "vpc-0abc");
        assert.equal(value("aws:ec2:vpc", "Subnets"), "subnet-priv-a,subnet-priv-b");
        assert.equal(value("aws:ec2:vpc", "ELBSubnets"), "subnet-pub-a,subnet-pub-b");
        assert.equal(value("aws:ec2:vpc", "AssociatePublicIpAddress"), "false");
        const publicOnly = beanstalkSettings(production, { ...inputs, privateSubnetIds: undefined });
        const get = (name: string) => publicOnly.find((s) => s.namespace === "aws:ec2:vpc" && s.name === name)?.value;
        assert.equal(get("Subnets"), "subnet-pub-a,subnet-pub-b");
        assert.equal(get("AssociatePublicIpAddress"), "true");
    });

    it("run a load-balanced environment behind an ALB with the service role", () => {
        assert.equal(value("aws:elasticbeanstalk:environment", "EnvironmentType"), "LoadBalanced");
        assert.equal(value("aws:elasticbeanstalk:environment", "LoadBalancerType"), "application");
        assert.equal(value("aws:elasticbeanstalk:environment", "ServiceRole"), "web-eb-service-1234");
    });

    it("configure the instances: type, IMDSv1 off, gp3 root, the instance profile, the app's security groups", () => {
        assert.equal(value("aws:ec2:instances", "InstanceTypes"), "t4g.small");
        assert.equal(value("aws:autoscaling:launchconfiguration", "DisableIMDSv1"), "true");
        assert.equal(value("aws:autoscaling:launchconfiguration", "RootVolumeType"), "gp3");
        assert.equal(value("aws:autoscaling:launchconfiguration", "RootVolumeSize"), "20");
        assert.equal(value("aws:autoscaling:launchconfiguration", "IamInstanceProfile"), "web-profile-1234");
        assert.equal(value("aws:autoscaling:launchconfiguration", "SecurityGroups"), "sg-app,sg-dbclient");
        // The service reports InstanceType under aws:ec2:instances: setting the old name too would diff forever.
        assert.equal(value("aws:autoscaling:launchconfiguration", "InstanceType"), undefined);
    });

    it("scale between the sizes on CPU (the seed's 90 allowed) and on schedules named by `resource`", () => {
        assert.equal(value("aws:autoscaling:asg", "MinSize"), "2");
        assert.equal(value("aws:autoscaling:asg", "MaxSize"), "6");
        assert.equal(value("aws:autoscaling:trigger", "MeasureName"), "CPUUtilization");
        assert.equal(value("aws:autoscaling:trigger", "UpperThreshold"), "90");
        assert.equal(value("aws:autoscaling:trigger", "LowerThreshold"), "60");
        assert.equal(value("aws:autoscaling:scheduledaction", "Recurrence", "mornings"), "0 6 * * 1-5");
        assert.equal(value("aws:autoscaling:scheduledaction", "MinSize", "mornings"), "4");
        assert.equal(value("aws:autoscaling:scheduledaction", "MaxSize", "mornings"), "8");
        assert.equal(value("aws:autoscaling:scheduledaction", "DesiredCapacity", "mornings"), undefined);
        for (const setting of settings.filter((s) => s.namespace !== "aws:autoscaling:scheduledaction")) assert.equal(setting.resource, undefined, `${setting.namespace} ${setting.name}`);
    });

    it("raise a schedule's MaxSize with a MinSize above the environment's MaxSize", () => {
        const resolved = resolveBeanstalk({ ...base, beanstalk: { maxSize: 4, schedules: [{ name: "peak", recurrence: "0 8 * * *", minSize: 6 }] } } as WebTierArgs, "immutable", "production");
        const list = beanstalkSettings(resolved, inputs);
        const get = (name: string) => list.find((s) => s.namespace === "aws:autoscaling:scheduledaction" && s.name === name && s.resource === "peak")?.value;
        assert.equal(get("MinSize"), "6");
        assert.equal(get("MaxSize"), "6");
    });

    it("check the default process on the health path expecting 200", () => {
        assert.equal(value("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath"), "/health");
        assert.equal(value("aws:elasticbeanstalk:environment:process:default", "MatcherHTTPCode"), "200");
    });

    it("turn on managed minor updates in the weekly window, enhanced health, and logs streamed with a retention", () => {
        assert.equal(value("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled"), "true");
        assert.equal(value("aws:elasticbeanstalk:managedactions", "PreferredStartTime"), "Tue:03:30");
        assert.equal(value("aws:elasticbeanstalk:managedactions", "ServiceRoleForManagedUpdates"), "web-eb-service-1234");
        assert.equal(value("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel"), "minor");
        assert.equal(value("aws:elasticbeanstalk:healthreporting:system", "SystemType"), "enhanced");
        assert.equal(value("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs"), "true");
        assert.equal(value("aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays"), "30");
        assert.equal(value("aws:elasticbeanstalk:cloudwatch:logs", "DeleteOnTerminate"), "false");
    });

    it("pass plain variables as values and secrets only as ARNs", () => {
        assert.equal(value("aws:elasticbeanstalk:application:environment", "NODE_ENV"), "production");
        assert.equal(value("aws:elasticbeanstalk:application:environmentsecrets", "API_KEY"), API_KEY_ARN);
        assert.equal(value("aws:elasticbeanstalk:application:environmentsecrets", "DB_PASSWORD"), DB_SECRET);
        assert.equal(value("aws:elasticbeanstalk:application:environment", "DB_PASSWORD"), undefined);
    });

    it("serve HTTPS on 443 with the certificate and the TLS 1.3 policy only with a domain", () => {
        assert.equal(value("aws:elbv2:listener:443", "Protocol"), "HTTPS");
        assert.equal(value("aws:elbv2:listener:443", "SSLCertificateArns"), CERT_ARN);
        assert.equal(value("aws:elbv2:listener:443", "SSLPolicy"), "ELBSecurityPolicy-TLS13-1-2-2021-06");
        const plain = beanstalkSettings(production, { ...inputs, certificateArn: undefined });
        assert.equal(plain.filter((s) => s.namespace === "aws:elbv2:listener:443").length, 0);
    });

    for (const strategy of beanstalkStrategies) {
        it(`set DeploymentPolicy ${deploymentPolicyOf[strategy]} for strategy ${strategy}`, () => {
            const resolved = resolveBeanstalk(base, strategy, "development");
            const list = beanstalkSettings(resolved, inputs);
            assert.equal(list.find((s) => s.namespace === "aws:elasticbeanstalk:command" && s.name === "DeploymentPolicy")?.value, deploymentPolicyOf[strategy]);
            const splitting = list.filter((s) => s.namespace === "aws:elasticbeanstalk:trafficsplitting");
            assert.equal(splitting.length, strategy === "traffic-splitting" ? 2 : 0);
        });
    }

    it("write the canary's percent and evaluation time for traffic-splitting", () => {
        const resolved = resolveBeanstalk({ ...base, deploy: { strategy: "traffic-splitting", trafficSplitting: { percent: 25, evaluationMinutes: 15 } } } as unknown as WebTierArgs, "traffic-splitting", "production");
        const list = beanstalkSettings(resolved, inputs);
        const get = (name: string) => list.find((s) => s.namespace === "aws:elasticbeanstalk:trafficsplitting" && s.name === name)?.value;
        assert.equal(get("NewVersionPercent"), "25");
        assert.equal(get("EvaluationTime"), "15");
    });
});

describe("Beanstalk settings against checklist rows 46-49 (policy/rules/beanstalk.ts)", () => {
    const view = (list: ReturnType<typeof beanstalkSettings>, production: boolean) =>
        new PlanView({ stage: production ? "prod" : "dev", production, acknowledged: [], resources: [{ type: "aws:elasticbeanstalk/environment:Environment", name: "web-env", parent: null, inputs: { settings: list }, outputs: {} }] });
    const violations = (list: ReturnType<typeof beanstalkSettings>, production: boolean) => beanstalkRules.flatMap((rule) => rule.check(view(list, production)).map(() => rule.number));

    it("the production settings pass every row, with immutable and with traffic-splitting", () => {
        assert.deepEqual(violations(settings, true), []);
        assert.deepEqual(violations(beanstalkSettings(resolveBeanstalk(base, "traffic-splitting", "production"), inputs), true), []);
    });

    it("a rolling policy fails row 49 in production only (the rows can fail)", () => {
        const rolling = beanstalkSettings(resolveBeanstalk(base, "rolling", "production"), inputs);
        assert.deepEqual(violations(rolling, true), [49]);
        assert.deepEqual(violations(rolling, false), []);
    });
});

describe("HTTP to HTTPS redirect config (https-redirect.ts)", () => {
    it("replaces the port-80 listener's default action by a 301 to HTTPS on 443, keeping host, path and query", () => {
        const config = JSON.parse(httpsRedirectConfig());
        const listener = config.Resources.AWSEBV2LoadBalancerListener;
        assert.equal(listener.Type, "AWS::ElasticLoadBalancingV2::Listener");
        assert.deepEqual(listener.Properties.LoadBalancerArn, { Ref: "AWSEBV2LoadBalancer" });
        assert.equal(listener.Properties.Port, 80);
        assert.deepEqual(listener.Properties.DefaultActions, [
            { Type: "redirect", RedirectConfig: { Host: "#{host}", Path: "/#{path}", Port: "443", Protocol: "HTTPS", Query: "#{query}", StatusCode: "HTTP_301" } },
        ]);
        assert.match(HTTPS_REDIRECT_PATH, /^\.ebextensions\/[a-z-]+\.config$/);
    });
});
