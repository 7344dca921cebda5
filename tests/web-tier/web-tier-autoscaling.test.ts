import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Harness, isSecretValue, RecordedResource, valueOf } from "../../components/testing";
import { WebTier } from "../../components/web-tier";
import { ALB_TLS_POLICY } from "../../components/web-tier/autoscaling/load-balancer";

const T = {
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
    policy: "aws:autoscaling/policy:Policy",
    schedule: "aws:autoscaling/schedule:Schedule",
    balancer: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    acl: "aws:wafv2/webAcl:WebAcl",
    aclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    record: "aws:route53/record:Record",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    instance: "aws:ec2/instance:Instance",
};

const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
const SECRET_VALUE = "hunter2-never-in-user-data";

describe("WebTier (autoscaling mode) under the harness", () => {
    let harness: Harness;
    let web: WebTier;
    let plain: WebTier;

    before(async () => {
        harness = await Harness.start({
            config: { "aws:region": "eu-west-1" },
            project: "shop",
            stack: "prod",
            // "next"'s settings parameter has been changed six times since it was created.
            outputs: { "aws:ssm/parameter:Parameter": ({ name }) => ({ version: name.startsWith("next-") ? 7 : 1 }) },
        });
        web = new WebTier("web", {
            mode: "autoscaling",
            app: { path: "examples/api", environment: { NODE_ENV: "production", TOKEN: pulumi.secret(SECRET_VALUE) } },
            network,
            kmsKeyArn: KEY_ARN,
            domain: { domainName: "api.example.com", certificateArn: CERT_ARN, hostedZoneId: "Z123EXAMPLE" },
            autoscaling: { minSize: 2, maxSize: 6, cpuTargetPercent: 70, schedules: [{ name: "mornings", recurrence: "0 7 * * 1-5", timeZone: "Europe/Paris", minSize: 4 }] },
        });
        // The same app with another setting: a new release revision.
        new WebTier("next", { mode: "autoscaling", app: { path: "examples/api", environment: { NODE_ENV: "staging" } }, network, safety: "development" });
        new WebTier("same", { mode: "autoscaling", app: { path: "examples/api", environment: { NODE_ENV: "staging" } }, network, safety: "development" });
        plain = new WebTier("plain", { mode: "autoscaling", app: { path: "examples/api" }, network: { vpcId: "vpc-0abc", publicSubnetIds: network.publicSubnetIds }, safety: "development" });
        await harness.settled();
    });

    const get = (type: string, name: string) => harness.get(type, name);
    const inputs = (type: string, name: string) => harness.inputsOf(get(type, name));
    const userDataOf = (name: string) => Buffer.from(String(inputs(T.template, `${name}-launch-template`).userData), "base64").toString("utf8");
    const rulesOf = (group: RecordedResource, type: string) => harness.ofType(type).filter((rule) => harness.parentOf(rule) === group).map((rule) => harness.inputsOf(rule));

    describe("launch template", () => {
        it("requires IMDSv2 with hop limit 1 and encrypts the gp3 root volume with the web tier's key", () => {
            const template = inputs(T.template, "web-launch-template");
            assert.equal(template.metadataOptions.httpTokens, "required");
            assert.equal(template.metadataOptions.httpPutResponseHopLimit, 1);
            assert.deepEqual(template.blockDeviceMappings[0].deviceName, "/dev/xvda");
            assert.deepEqual(
                { ...template.blockDeviceMappings[0].ebs },
                { volumeType: "gp3", volumeSize: 20, encrypted: "true", kmsKeyId: KEY_ARN, deleteOnTermination: "true" },
            );
        });

        it("gives the hosts the web tier's instance profile and the app servers' group, and no public address in private subnets", async () => {
            const template = inputs(T.template, "web-launch-template");
            assert.equal(template.iamInstanceProfile.arn, get(T.profile, "web-profile").computed!.arn);
            assert.deepEqual(template.networkInterfaces[0].securityGroups, [get(T.sg, "web-app-sg").id]);
            assert.equal(template.networkInterfaces[0].associatePublicIpAddress, "false");
            // Without private subnets the hosts sit in public ones and need an address of their own.
            assert.equal(inputs(T.template, "plain-launch-template").networkInterfaces[0].associatePublicIpAddress, "true");
        });

        it("carries no secret in the user data: the secret value is in the settings parameter, never in the script", () => {
            const script = userDataOf("web");
            assert.ok(!script.includes(SECRET_VALUE), "the secret reached the user data");
            assert.ok(!isSecretValue(get(T.template, "web-launch-template").rawInputs.userData), "the user data is not even derived from a secret");
            assert.match(script, /^#!\/bin\/bash\n/);
            assert.match(script, /^# release settings version 1$/m);
        });

        it("names the settings parameter's version, so every release or setting (a new version of it) makes a new template version", () => {
            // The user data waits for the parameter's version: the template changes only after the new settings exist.
            const raw = get(T.template, "web-launch-template").rawInputs.userData;
            assert.equal(typeof raw, "string");
            assert.match(userDataOf("web"), /^# release settings version 1$/m);
            assert.match(userDataOf("next"), /^# release settings version 7$/m, "the script follows the parameter's version");
            // Two web tiers with the same settings and parameter version: the same script but for the name.
            assert.equal(userDataOf("next").replace("version 7", "version 1"), userDataOf("same").replace(/same/g, "next"));
            assert.equal(inputs(T.template, "web-launch-template").updateDefaultVersion, true);
            assert.deepEqual(get(T.template, "web-launch-template").options.ignoreChanges, ["imageId"]);
        });
    });

    describe("Auto Scaling group", () => {
        it("runs the template's latest version, never $Latest, with a rolling refresh that launches first and rolls back", async () => {
            const group = inputs(T.group, "web-fleet");
            assert.equal(group.launchTemplate.id, get(T.template, "web-launch-template").id);
            assert.equal(group.launchTemplate.version, String(get(T.template, "web-launch-template").computed!.latestVersion));
            assert.notEqual(group.launchTemplate.version, "$Latest");
            assert.deepEqual(
                { ...group.instanceRefresh, preferences: { ...group.instanceRefresh.preferences } },
                { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", autoRollback: true, skipMatching: true } },
            );
        });

        it("uses ELB health with a grace period, in the private subnets of two AZs, behind the target group", () => {
            const group = inputs(T.group, "web-fleet");
            assert.equal(group.healthCheckType, "ELB");
            assert.equal(group.healthCheckGracePeriod, 300);
            assert.deepEqual(group.vpcZoneIdentifiers, network.privateSubnetIds);
            assert.deepEqual(group.targetGroupArns, [get(T.targetGroup, "web-tg").computed!.arn]);
            assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity], [2, 6, 2]);
            assert.deepEqual(get(T.group, "web-fleet").options.ignoreChanges, ["desiredCapacity"], "scaling owns the desired capacity after creation");
        });

        it("scales on average CPU and on the schedule, leaving the sizes a schedule does not name unchanged (-1)", () => {
            const cpu = inputs(T.policy, "web-cpu-target");
            assert.equal(cpu.policyType, "TargetTrackingScaling");
            assert.equal(cpu.targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType, "ASGAverageCPUUtilization");
            assert.equal(cpu.targetTrackingConfiguration.targetValue, 70);
            const schedule = inputs(T.schedule, "web-schedule-mornings");
            assert.deepEqual([schedule.recurrence, schedule.timeZone, schedule.minSize, schedule.maxSize, schedule.desiredCapacity], ["0 7 * * 1-5", "Europe/Paris", 4, -1, -1]);
        });
    });

    describe("load balancer and listeners", () => {
        it("drops invalid headers, mitigates desync, logs, and is protected in production", () => {
            const alb = inputs(T.balancer, "web-alb");
            assert.deepEqual([alb.internal, alb.dropInvalidHeaderFields, alb.desyncMitigationMode, alb.enableDeletionProtection, alb.idleTimeout], [false, true, "defensive", true, 60]);
            assert.deepEqual(alb.subnets, network.publicSubnetIds);
            assert.equal(alb.accessLogs.enabled, true);
            assert.equal(alb.accessLogs.bucket, get(T.bucket, "web-alb-logs").computed!.bucket);
            assert.equal(inputs(T.balancer, "plain-alb").enableDeletionProtection, false);
        });

        it("lets only ELB's log delivery write the access logs, over TLS, into an SSE-S3 bucket", () => {
            const policy = JSON.parse(inputs(T.bucketPolicy, "web-alb-logs-policy").policy) as { Statement: { Sid: string; Principal?: { Service?: string }; Resource: string }[] };
            const delivery = policy.Statement.find((statement) => statement.Sid === "ElbLogDelivery");
            assert.equal(delivery?.Principal?.Service, "logdelivery.elasticloadbalancing.amazonaws.com");
            assert.match(String(delivery?.Resource), /\/alb\/AWSLogs\/123456789012\/\*$/);
            assert.ok(policy.Statement.some((statement) => statement.Sid === "TlsOnly"));
            assert.equal(inputs(T.sse, "web-alb-logs-encryption").rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        });

        it("with a domain: HTTPS with the TLS 1.3 policy and the certificate, HTTP answering 301 to HTTPS, an alias to the ALB", () => {
            const https = inputs(T.listener, "web-https");
            assert.deepEqual([https.port, https.protocol, https.sslPolicy, https.certificateArn], [443, "HTTPS", ALB_TLS_POLICY, CERT_ARN]);
            assert.equal(https.defaultActions[0].type, "forward");
            const http = inputs(T.listener, "web-http");
            assert.deepEqual({ ...http.defaultActions[0].redirect }, { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
            const alias = inputs(T.record, "web-alias-api.example.com-a");
            assert.deepEqual([alias.name, alias.type, alias.zoneId, alias.aliases[0].evaluateTargetHealth], ["api.example.com", "A", "Z123EXAMPLE", true]);
        });

        it("without a domain: HTTP forwarding only, and the outputs say so (http:// URL, http API origin)", async () => {
            const listeners = harness.ofType(T.listener).filter((listener) => listener.name.startsWith("plain-"));
            assert.deepEqual(listeners.map((listener) => [listener.name, harness.inputsOf(listener).protocol, harness.inputsOf(listener).defaultActions[0].type]), [["plain-http", "HTTP", "forward"]]);
            assert.match(await valueOf(plain.url), /^http:\/\/plain-alb/);
            assert.equal(plain.apiOrigin.protocol, "http");
            assert.equal(await valueOf(web.url), "https://api.example.com");
            assert.equal(web.apiOrigin.protocol, "https");
        });

        it("checks GET <health path> on nginx's port, expecting 200, with a short deregistration delay", () => {
            const target = inputs(T.targetGroup, "web-tg");
            assert.deepEqual([target.port, target.protocol, target.targetType, target.deregistrationDelay], [80, "HTTP", "instance", 30]);
            assert.deepEqual([target.healthCheck.path, target.healthCheck.matcher, target.healthCheck.interval, target.healthCheck.healthyThreshold, target.healthCheck.unhealthyThreshold], ["/health", "200", 15, 2, 3]);
        });

        it("puts a regional WAF web ACL on the production ALB only", () => {
            assert.equal(inputs(T.acl, "web-alb-waf").scope, "REGIONAL");
            assert.equal(inputs(T.aclAssociation, "web-alb-waf-association").resourceArn, get(T.balancer, "web-alb").computed!.arn);
            assert.equal(harness.ofType(T.acl).filter((acl) => acl.name.startsWith("plain-")).length, 0);
        });
    });

    describe("security groups", () => {
        it("lets the app servers take HTTP from the ALB's group only: no address block reaches them", () => {
            const app = get(T.sg, "web-app-sg");
            const ingress = rulesOf(app, T.ingress);
            assert.deepEqual(ingress.map((rule) => [rule.fromPort, rule.referencedSecurityGroupId, rule.cidrIpv4, rule.cidrIpv6, rule.prefixListId]), [[80, get(T.sg, "web-alb-sg").id, undefined, undefined, undefined]]);
        });

        it("opens the ALB on 80 and 443 to the world (IPv4 and IPv6), and lets it out only to the app servers on 80", () => {
            const alb = get(T.sg, "web-alb-sg");
            assert.deepEqual(
                rulesOf(alb, T.ingress).map((rule) => [rule.fromPort, rule.cidrIpv4 ?? rule.cidrIpv6]),
                [[80, "0.0.0.0/0"], [80, "::/0"], [443, "0.0.0.0/0"], [443, "::/0"]],
            );
            assert.deepEqual(rulesOf(alb, T.egress).map((rule) => [rule.fromPort, rule.referencedSecurityGroupId]), [[80, get(T.sg, "web-app-sg").id]]);
        });
    });

    it("has the same core outputs as every mode, and no instance", async () => {
        assert.equal(await valueOf(web.securityGroupId), get(T.sg, "web-app-sg").id);
        assert.match(await valueOf(web.roleName), /^web-role/);
        assert.match(await valueOf(web.releaseSha256), /^[0-9a-f]{64}$/);
        assert.equal(web.instanceId, undefined);
        assert.equal(harness.ofType(T.instance).length, 0);
        assert.equal(await valueOf(web.autoScalingGroupName!), get(T.group, "web-fleet").computed!.name);
    });
});
