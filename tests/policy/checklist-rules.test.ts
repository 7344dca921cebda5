import * as assert from "node:assert/strict";
import { checklist, evaluateChecklist, Finding } from "../../policy/checklist";
import { stageFromPlan } from "../../policy/from-plan";
import { PlannedResource, PlanDocument, planStage } from "../../stacks/plan/plan-document";

/**
 * Each checklist row can fail: a compliant production plan, broken in the
 * one setting the row is about, must show a violation of that row on that
 * resource (and an unbroken plan must not). Waivers cover only what they
 * say they cover.
 */
type Variant = "fleet" | "paas" | "iaas" | "zone";

interface Case {
    rule: number;
    variant?: Variant;
    what: string;
    /** Breaks the plan; returns the name of the resource that must now violate the row. */
    breakIt(plan: PlanDocument): string;
}

function one(plan: PlanDocument, type: string, predicate: (resource: PlannedResource) => boolean = () => true): PlannedResource {
    const found = plan.resources.filter((resource) => resource.type.endsWith(type) && predicate(resource));
    assert.equal(found.length >= 1, true, `the plan has a ${type}`);
    return found[0];
}

const site = (resource: PlannedResource) => resource.name.includes("-site");
const bucketOf = (plan: PlanDocument, filter: (resource: PlannedResource) => boolean) => one(plan, ":Bucket", filter);
function childOfBucket(plan: PlanDocument, type: string, bucket: PlannedResource): PlannedResource {
    return one(plan, type, (resource) => resource.inputs.bucket === bucket.outputs?.id);
}
const distribution = (plan: PlanDocument) => one(plan, "distribution:Distribution");
const database = (plan: PlanDocument) => one(plan, "rds/instance:Instance");
/** prod's web hosts: the fleet's launch template (user data base64-encoded, root volume in blockDeviceMappings). */
const webTemplate = (plan: PlanDocument) => one(plan, "ec2/launchTemplate:LaunchTemplate", (resource) => resource.name.endsWith("-web-launch-template"));
const rootVolume = (template: PlannedResource) => (template.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[])[0].ebs;
const balancer = (plan: PlanDocument) => one(plan, "lb/loadBalancer:LoadBalancer");
const listener = (plan: PlanDocument, port: number) => one(plan, "lb/listener:Listener", (resource) => resource.inputs.port === port);
const fleet = (plan: PlanDocument) => one(plan, "autoscaling/group:Group");
const drop = (plan: PlanDocument, victims: PlannedResource[]) => (plan.resources = plan.resources.filter((resource) => !victims.includes(resource)));

const CASES: Case[] = [
    { rule: 1, what: "a public access flag off", breakIt: (plan) => { const bucket = bucketOf(plan, site); childOfBucket(plan, "BucketPublicAccessBlock", bucket).inputs.blockPublicPolicy = false; return bucket.name; } },
    { rule: 2, what: "ObjectWriter ownership", breakIt: (plan) => { const bucket = bucketOf(plan, site); childOfBucket(plan, "BucketOwnershipControls", bucket).inputs.rule = { objectOwnership: "ObjectWriter" }; return bucket.name; } },
    {
        rule: 3,
        what: "no TLS-only deny",
        breakIt: (plan) => {
            const bucket = bucketOf(plan, site);
            const policy = childOfBucket(plan, "BucketPolicy", bucket);
            const document = JSON.parse(String(policy.inputs.policy)) as { Statement: { Condition?: { Bool?: unknown } }[] };
            document.Statement = document.Statement.filter((statement) => !statement.Condition?.Bool);
            policy.inputs.policy = JSON.stringify(document);
            return bucket.name;
        },
    },
    {
        rule: 4,
        what: "SSE-S3 in production",
        breakIt: (plan) => { const bucket = bucketOf(plan, site); childOfBucket(plan, "BucketServerSideEncryptionConfiguration", bucket).inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]; return bucket.name; },
    },
    { rule: 5, what: "versioning suspended", breakIt: (plan) => { const bucket = bucketOf(plan, site); childOfBucket(plan, "BucketVersioning", bucket).inputs.versioningConfiguration = { status: "Suspended" }; return bucket.name; } },
    { rule: 6, what: "no access logging", breakIt: (plan) => { const bucket = bucketOf(plan, site); drop(plan, [childOfBucket(plan, "BucketLogging", bucket)]); return bucket.name; } },
    {
        rule: 7,
        what: "an API behavior that allows HTTP",
        breakIt: (plan) => { const cdn = distribution(plan); (cdn.inputs.orderedCacheBehaviors as Record<string, unknown>[])[0].viewerProtocolPolicy = "allow-all"; return cdn.name; },
    },
    { rule: 8, what: "TLSv1 for viewers", breakIt: (plan) => { const cdn = distribution(plan); (cdn.inputs.viewerCertificate as Record<string, unknown>).minimumProtocolVersion = "TLSv1"; return cdn.name; } },
    { rule: 9, what: "an S3 origin without OAC", breakIt: (plan) => { const cdn = distribution(plan); delete (cdn.inputs.origins as Record<string, unknown>[])[0].originAccessControlId; return cdn.name; } },
    { rule: 10, what: "no web ACL", breakIt: (plan) => { const cdn = distribution(plan); delete cdn.inputs.webAclId; return cdn.name; } },
    {
        rule: 11,
        what: "no standard logging",
        breakIt: (plan) => {
            const cdn = distribution(plan);
            delete cdn.inputs.loggingConfig;
            drop(plan, plan.resources.filter((resource) => resource.type.startsWith("aws:cloudwatch/logDelivery")));
            return cdn.name;
        },
    },
    {
        rule: 12,
        what: "a headers policy without HSTS",
        breakIt: (plan) => { const headers = one(plan, "ResponseHeadersPolicy"); delete (headers.inputs.securityHeadersConfig as Record<string, unknown>).strictTransportSecurity; return distribution(plan).name; },
    },
    { rule: 13, what: "no default root object", breakIt: (plan) => { const cdn = distribution(plan); delete cdn.inputs.defaultRootObject; return cdn.name; } },
    { rule: 14, what: "an HTTPS listener on an old TLS policy", breakIt: (plan) => { const https = listener(plan, 443); https.inputs.sslPolicy = "ELBSecurityPolicy-2016-08"; return https.name; } },
    { rule: 15, what: "an HTTP listener that forwards instead of redirecting", breakIt: (plan) => { const http = listener(plan, 80); http.inputs.defaultActions = listener(plan, 443).inputs.defaultActions; return http.name; } },
    { rule: 16, what: "invalid header fields let through", breakIt: (plan) => { const alb = balancer(plan); alb.inputs.dropInvalidHeaderFields = false; return alb.name; } },
    { rule: 17, what: "desync mitigation in monitor mode", breakIt: (plan) => { const alb = balancer(plan); alb.inputs.desyncMitigationMode = "monitor"; return alb.name; } },
    { rule: 18, what: "no deletion protection", breakIt: (plan) => { const alb = balancer(plan); alb.inputs.enableDeletionProtection = false; return alb.name; } },
    { rule: 19, what: "no access logs", breakIt: (plan) => { const alb = balancer(plan); alb.inputs.accessLogs = { enabled: false, bucket: "" }; return alb.name; } },
    { rule: 20, what: "no web ACL on the load balancer", breakIt: (plan) => { drop(plan, plan.resources.filter((resource) => resource.type.endsWith("webAclAssociation:WebAclAssociation"))); return balancer(plan).name; } },
    { rule: 21, what: "the fleet in one subnet", breakIt: (plan) => { const group = fleet(plan); group.inputs.vpcZoneIdentifiers = (group.inputs.vpcZoneIdentifiers as string[]).slice(0, 1); return group.name; } },
    {
        rule: 22,
        what: "a target group without a health check path",
        breakIt: (plan) => { const target = one(plan, "lb/targetGroup:TargetGroup"); delete (target.inputs.healthCheck as Record<string, unknown>).path; return target.name; },
    },
    { rule: 22, what: "a fleet behind a target group on EC2 health", breakIt: (plan) => { const group = fleet(plan); group.inputs.healthCheckType = "EC2"; return group.name; } },
    { rule: 32, what: "a fleet on the template's $Latest", breakIt: (plan) => { const group = fleet(plan); (group.inputs.launchTemplate as Record<string, unknown>).version = "$Latest"; return group.name; } },
    { rule: 32, what: "a refresh that may drop below full capacity", breakIt: (plan) => { const group = fleet(plan); ((group.inputs.instanceRefresh as Record<string, any>).preferences as Record<string, unknown>).minHealthyPercentage = 90; return group.name; } },
    { rule: 23, what: "IMDSv1 allowed", breakIt: (plan) => { const web = webTemplate(plan); (web.inputs.metadataOptions as Record<string, unknown>).httpTokens = "optional"; return web.name; } },
    { rule: 24, what: "a root volume on the AWS-managed key", breakIt: (plan) => { const web = webTemplate(plan); delete rootVolume(web).kmsKeyId; return web.name; } },
    {
        rule: 25,
        variant: "iaas",
        what: "the database instance with a public IP (the web tier's waiver does not reach it)",
        breakIt: (plan) => { const db = one(plan, "ec2/instance:Instance", (resource) => resource.name.endsWith("-db-instance")); db.inputs.associatePublicIpAddress = true; return db.name; },
    },
    {
        rule: 26,
        what: "SSH from two halves of the internet",
        breakIt: (plan) => {
            const group = one(plan, "ec2/securityGroup:SecurityGroup", (resource) => resource.name.endsWith("-web-app-sg"));
            for (const cidr of ["0.0.0.0/1", "128.0.0.0/1"]) {
                plan.resources.push({ ...structuredClone(group), type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: `ssh-${cidr}`, inputs: { securityGroupId: group.outputs?.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr, description: "ssh" } });
            }
            return "ssh-0.0.0.0/1";
        },
    },
    {
        rule: 27,
        variant: "iaas",
        what: "the database's group admitting an address block",
        breakIt: (plan) => {
            const group = one(plan, "ec2/securityGroup:SecurityGroup", (resource) => resource.name.endsWith("-db-sg"));
            plan.resources.push({ ...structuredClone(group), type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "db-from-office", inputs: { securityGroupId: group.outputs?.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/8", description: "office" } });
            return one(plan, "ec2/instance:Instance", (resource) => resource.name.endsWith("-db-instance")).name;
        },
    },
    { rule: 28, what: "an SSH key pair", breakIt: (plan) => { const web = webTemplate(plan); web.inputs.keyName = "admin"; return web.name; } },
    { rule: 29, what: "a rule without a description", breakIt: (plan) => { const rule = one(plan, "SecurityGroupIngressRule"); delete rule.inputs.description; return rule.name; } },
    { rule: 30, what: "a default security group with a rule", breakIt: (plan) => { const group = one(plan, "DefaultSecurityGroup"); group.inputs.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]; return group.name; } },
    {
        rule: 31,
        what: "a secret in user data",
        breakIt: (plan) => {
            const web = webTemplate(plan);
            const script = Buffer.from(String(web.inputs.userData), "base64").toString("utf8");
            web.inputs.userData = Buffer.from(`${script}\nexport TOKEN=[secret]\n`).toString("base64");
            return web.name;
        },
    },
    { rule: 33, what: "a public database", breakIt: (plan) => { const db = database(plan); db.inputs.publiclyAccessible = true; return db.name; } },
    { rule: 34, what: "storage on the AWS-managed key", breakIt: (plan) => { const db = database(plan); delete db.inputs.kmsKeyId; return db.name; } },
    { rule: 35, what: "single AZ", breakIt: (plan) => { const db = database(plan); db.inputs.multiAz = false; return db.name; } },
    { rule: 36, what: "3 days of backups", breakIt: (plan) => { const db = database(plan); db.inputs.backupRetentionPeriod = 3; return db.name; } },
    { rule: 37, what: "no final snapshot", breakIt: (plan) => { const db = database(plan); db.inputs.skipFinalSnapshot = true; return db.name; } },
    { rule: 38, what: "no IAM authentication", breakIt: (plan) => { const db = database(plan); db.inputs.iamDatabaseAuthenticationEnabled = false; return db.name; } },
    { rule: 39, what: "no minor upgrades", breakIt: (plan) => { const db = database(plan); db.inputs.autoMinorVersionUpgrade = false; return db.name; } },
    { rule: 40, what: "no enhanced monitoring", breakIt: (plan) => { const db = database(plan); db.inputs.monitoringInterval = 0; return db.name; } },
    { rule: 41, what: "tags not copied to snapshots", breakIt: (plan) => { const db = database(plan); db.inputs.copyTagsToSnapshot = false; return db.name; } },
    { rule: 42, what: "a parameter group that allows plain connections", breakIt: (plan) => { one(plan, "rds/parameterGroup:ParameterGroup").inputs.parameters = []; return database(plan).name; } },
    { rule: 43, what: "e-mail validation", breakIt: (plan) => { const certificate = one(plan, "acm/certificate:Certificate"); certificate.inputs.validationMethod = "EMAIL"; return certificate.name; } },
    {
        rule: 43,
        what: "CloudFront's certificate outside us-east-1",
        breakIt: (plan) => {
            const cdn = distribution(plan);
            const certificate = plan.resources.find((resource) => resource.outputs?.arn === (cdn.inputs.viewerCertificate as Record<string, unknown>).acmCertificateArn)!;
            certificate.provider = { name: "default", region: "eu-west-1" };
            return cdn.name;
        },
    },
    { rule: 44, variant: "zone", what: "a created zone without query logging", breakIt: (plan) => { drop(plan, plan.resources.filter((resource) => resource.type === "aws:route53/queryLog:QueryLog")); return one(plan, "route53/zone:Zone").name; } },
    // Beanstalk (prod as its stage file says): one option setting per row.
    { rule: 46, what: "managed platform updates off", variant: "paas", breakIt: (plan) => beanstalkSetting(plan, "aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", "false") },
    { rule: 47, what: "basic health reporting", variant: "paas", breakIt: (plan) => beanstalkSetting(plan, "aws:elasticbeanstalk:healthreporting:system", "SystemType", "basic") },
    { rule: 48, what: "instance logs not streamed", variant: "paas", breakIt: (plan) => beanstalkSetting(plan, "aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "false") },
    { rule: 49, what: "a rolling deployment in production", variant: "paas", breakIt: (plan) => beanstalkSetting(plan, "aws:elasticbeanstalk:command", "DeploymentPolicy", "Rolling") },
];

/** Sets one option setting of the plan's Beanstalk environment; returns the environment's name. */
function beanstalkSetting(plan: PlanDocument, namespace: string, name: string, value: string): string {
    const environment = plan.resources.find((resource) => resource.type === "aws:elasticbeanstalk/environment:Environment");
    assert.ok(environment, "the plan has a Beanstalk environment");
    const setting = (environment.inputs.settings as { namespace: string; name: string; value: string }[]).find((s) => s.namespace === namespace && s.name === name);
    assert.ok(setting, `the environment sets ${namespace} ${name}`);
    setting.value = value;
    return environment.name;
}

function violationsOf(plan: PlanDocument, rule: number, resource: string): Finding[] {
    return evaluateChecklist(stageFromPlan(plan)).filter((finding) => finding.rule === rule && finding.resource === resource && finding.status === "violation");
}

describe("production checklist rows fail on what they are about", function () {
    this.timeout(300_000);
    const plans = {} as Record<Variant, PlanDocument>;
    before(async () => {
        // prod as its stage file says (paas: RDS and Beanstalk), and with the fleet as its web tier (rows 14-24, 28, 31, 32).
        plans.paas = await planStage({ stage: "prod", overrides: ["webstack:layout=paas"] });
        plans.fleet = await planStage({ stage: "prod", overrides: ["webstack:web.mode=autoscaling"] });
        plans.iaas = await planStage({ stage: "prod", overrides: ["webstack:layout=iaas"] });
        plans.zone = await planStage({ stage: "prod", overrides: ["webstack:domain.createZone=true"] });
    });

    for (const testCase of CASES) {
        it(`#${testCase.rule}: ${testCase.what}`, () => {
            const plan = structuredClone(plans[testCase.variant ?? "fleet"]);
            const resource = testCase.breakIt(plan);
            assert.deepEqual(violationsOf(plans[testCase.variant ?? "fleet"], testCase.rule, resource), [], "the unbroken plan passes this row");
            assert.notDeepEqual(violationsOf(plan, testCase.rule, resource), [], `row ${testCase.rule} reports ${resource}`);
        });
    }

    it("breaks every row: each of the 49 has a case here, except #45 (advisory, next)", () => {
        const here = new Set([...CASES.map((testCase) => testCase.rule), 45]);
        assert.deepEqual(checklist.filter((rule) => rule.pending).map((rule) => rule.number), [], "no row waits for resources no plan creates");
        assert.deepEqual(checklist.map((rule) => rule.number).filter((number) => !here.has(number)), [], "rows no test breaks");
    });

    it("#45 DNSSEC is advisory: an unsigned created zone is reported, not failed", () => {
        const findings = evaluateChecklist(stageFromPlan(plans.zone)).filter((finding) => finding.rule === 45);
        assert.deepEqual(findings.map((finding) => finding.status), ["advisory"]);
    });

    it("a dev stage may relax what its column relaxes, and not what it keeps", () => {
        const dev = structuredClone(plans.paas);
        dev.production = false;
        const relaxed = evaluateChecklist(stageFromPlan(dev)).filter((finding) => finding.status === "violation");
        assert.deepEqual(relaxed, []);
        database(dev).inputs.multiAz = false;
        database(dev).inputs.backupRetentionPeriod = 1;
        assert.deepEqual(evaluateChecklist(stageFromPlan(dev)).filter((finding) => finding.status === "violation"), [], "Multi-AZ and 1 day of backups are fine outside production");
        database(dev).inputs.storageEncrypted = false;
        assert.deepEqual(
            evaluateChecklist(stageFromPlan(dev)).filter((finding) => finding.status === "violation").map((finding) => finding.rule),
            [34],
            "encryption at rest is never relaxed",
        );
    });

    it("outside production, SSH is judged by the addresses it admits: a private block passes, two halves of the internet do not", () => {
        const dev = structuredClone(plans.paas);
        dev.production = false;
        const group = one(dev, "ec2/securityGroup:SecurityGroup", (resource) => resource.name.endsWith("-web-app-sg"));
        const sshFrom = (cidr: string): PlannedResource => ({
            ...structuredClone(group),
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: `ssh-${cidr}`,
            inputs: { securityGroupId: group.outputs?.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr, description: "ssh" },
        });
        const rule26 = () => evaluateChecklist(stageFromPlan(dev)).filter((finding) => finding.rule === 26 && finding.status === "violation");
        dev.resources.push(sshFrom("10.0.0.0/8"));
        assert.deepEqual(rule26(), []);
        dev.resources.push(sshFrom("0.0.0.0/1"), sshFrom("128.0.0.0/1"));
        assert.equal(rule26().length, 1);
    });

    it("an acknowledged single-AZ production database is waived, and named as such", async () => {
        const plan = await planStage({
            stage: "prod",
            overrides: ["webstack:database.multiAz=false", "webstack:acknowledge.singleAzDatabase=launch week, Multi-AZ from January (OPS-12)"],
        });
        const findings = evaluateChecklist(stageFromPlan(plan)).filter((finding) => finding.rule === 35);
        assert.deepEqual(findings.map((finding) => [finding.status, finding.waiver]), [["waived", "acknowledged-single-az-database"]]);
    });
});
