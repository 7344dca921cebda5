import * as assert from "node:assert/strict";
import { fakeZoneId } from "../../components/testing";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";
import { certificatesFor } from "../../stacks/parts/dns";

const DNS = "webstack:index:DnsAndTls";
const CERT = "aws:acm/certificate:Certificate";
const RECORD = "aws:route53/record:Record";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";

function one(plan: PlanDocument, type: string, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

function childrenOf(plan: PlanDocument, parent: string, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.parent === parent && r.type === type);
}

describe("stage files: DnsAndTls (webstack:domain)", () => {
    describe("prod", () => {
        let plan: PlanDocument;
        before(async () => {
            plan = await planStage({ stage: "prod" });
        });

        it("makes one DnsAndTls for the prod domain", () => {
            assert.equal(plan.resources.filter((r) => r.type === DNS).length, 1);
            one(plan, DNS, "prod-dns");
            assert.equal(plan.outputs.domainName, "shop.example.com");
        });

        it("makes the CloudFront certificate in us-east-1 and, for the fleet's ALB, a regional one that also covers origin.<domain>", () => {
            const certificates = plan.resources.filter((r) => r.type === CERT);
            assert.deepEqual(certificates.map((r) => r.name).sort(), ["prod-dns-cert-cloudfront", "prod-dns-cert-regional"]);
            const cloudFront = one(plan, CERT, "prod-dns-cert-cloudfront");
            assert.deepEqual(cloudFront.provider, { name: "prod-dns-us-east-1", region: "us-east-1" });
            assert.equal(cloudFront.inputs.domainName, "shop.example.com");
            assert.deepEqual(cloudFront.inputs.subjectAlternativeNames, ["www.shop.example.com"]);
            // CloudFront reaches the ALB over HTTPS on a name of the regional certificate only.
            assert.deepEqual(one(plan, CERT, "prod-dns-cert-regional").inputs.subjectAlternativeNames, ["www.shop.example.com", "origin.shop.example.com"]);
            assert.deepEqual(plan.resources.filter((r) => r.type === VALIDATION).map((r) => r.name).sort(), ["prod-dns-cert-cloudfront-validation", "prod-dns-cert-regional-validation"]);
            assert.match(String(plan.outputs.cloudFrontCertificateArn), /^arn:aws:acm:us-east-1:/);
            assert.match(String(plan.outputs.regionalCertificateArn), /^arn:aws:acm:eu-west-1:/);
        });

        it("writes one validation record per name into the example.com zone, and CAA records", () => {
            const records = childrenOf(plan, "prod-dns", RECORD);
            const cnames = records.filter((r) => r.inputs.type === "CNAME").map((r) => r.name).sort();
            assert.deepEqual(cnames, ["prod-dns-validation-origin.shop.example.com", "prod-dns-validation-shop.example.com", "prod-dns-validation-www.shop.example.com"]);
            assert.ok(records.every((r) => r.inputs.zoneId === fakeZoneId("example.com")));
            assert.deepEqual(records.filter((r) => r.inputs.type === "CAA").map((r) => r.inputs.name), ["shop.example.com"]);
            assert.equal(plan.outputs.hostedZoneId, fakeZoneId("example.com"));
        });

        it("creates no hosted zone and outputs no name servers for an existing zone", () => {
            assert.equal(plan.resources.filter((r) => r.type === "aws:route53/zone:Zone").length, 0);
            assert.equal("nameServers" in plan.outputs, false);
        });
    });

    describe("staging", () => {
        it("serves staging.shop.example.com without CAA records", async () => {
            const plan = await planStage({ stage: "staging" });
            assert.equal(one(plan, CERT, "staging-dns-cert-cloudfront").inputs.domainName, "staging.shop.example.com");
            assert.equal(one(plan, CERT, "staging-dns-cert-cloudfront").provider?.region, "us-east-1");
            assert.equal(childrenOf(plan, "staging-dns", RECORD).filter((r) => r.inputs.type === "CAA").length, 0);
        });
    });

    describe("dev", () => {
        it("has no domain, so no DnsAndTls, certificate or record", async () => {
            const plan = await planStage({ stage: "dev" });
            assert.deepEqual(plan.resources.filter((r) => r.type === DNS || r.type === CERT), []);
            assert.equal("cloudFrontCertificateArn" in plan.outputs, false);
        });

        it("accepts the plain-string shorthand for webstack:domain", async () => {
            const plan = await planStage({ stage: "dev", overrides: ["webstack:domain=dev.example.com", "webstack:site.hosting=cloudfront"] });
            assert.equal(one(plan, CERT, "dev-dns-cert-cloudfront").inputs.domainName, "dev.example.com");
            assert.equal(plan.outputs.hostedZoneId, fakeZoneId("example.com"));
        });

        it("requests no certificate when nothing serves the domain over TLS (an S3 website site, an instance web tier)", async () => {
            const plan = await planStage({ stage: "dev", overrides: ["webstack:domain=dev.example.com"] });
            assert.deepEqual(plan.resources.filter((r) => r.type === CERT || r.type === VALIDATION), []);
            assert.equal(plan.outputs.hostedZoneId, fakeZoneId("example.com"));
            assert.equal("cloudFrontCertificateArn" in plan.outputs, false);
        });
    });

    it("creates the zone and outputs its name servers with createZone", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:domain.createZone=true"] });
        assert.equal(one(plan, "aws:route53/zone:Zone", "prod-dns-zone").inputs.name, "example.com");
        assert.equal((plan.outputs.nameServers as string[]).length, 4);
    });

    describe("bad domain settings fail before any resource, naming the stage key", () => {
        const cases: [string, string, RegExp][] = [
            ['webstack:domain.alternativeNames=["www.*.shop.example.com"]', "webstack:domain.alternativeNames.0", /left-most/],
            ["webstack:domain.name=shop.example.org", "webstack:domain.name", /outside the zone example\.com/],
            ["webstack:domain.name=", "webstack:domain.name", /empty/],
            ["webstack:domain.zoneName=example.com", "webstack:domain.zoneName", /unknown setting/],
            ["webstack:domain.caa=yes", "webstack:domain.caa", /./],
        ];
        for (const [override, setting, message] of cases) {
            it(`${override} → ${setting}`, async () => {
                await assert.rejects(planStage({ stage: "prod", overrides: [override] }), (error: any) => {
                    assert.equal(error.name, "ConfigError");
                    assert.equal(error.setting, setting);
                    assert.match(error.message, message);
                    return true;
                });
            });
        }
    });
});

describe("stage files: which certificates the stage's parts consume", () => {
    const stage = (site: "cloudfront" | "s3-website", web: "instance" | "autoscaling" | "beanstalk") =>
        ({ site: { hosting: site }, web: { mode: web } }) as Parameters<typeof certificatesFor>[0];

    it("asks for the us-east-1 certificate exactly when CloudFront serves the site", () => {
        assert.equal(certificatesFor(stage("cloudfront", "instance")).cloudFront, true);
        assert.equal(certificatesFor(stage("s3-website", "instance")).cloudFront, false);
    });

    it("asks for the regional certificate only for a web tier that terminates TLS in the region", () => {
        assert.equal(certificatesFor(stage("cloudfront", "instance")).regional, false);
        assert.equal(certificatesFor(stage("cloudfront", "autoscaling")).regional, true);
        assert.equal(certificatesFor(stage("s3-website", "beanstalk")).regional, true);
    });
});

describe("stage files: a created zone's query logging and DNSSEC (webstack:domain.queryLogging / .dnssec)", () => {
    const KEY = "aws:kms/key:Key";
    const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

    it("prod with createZone: query logs in us-east-1 under /aws/route53/, kept after destroy; no DNSSEC unless asked", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:domain.createZone=true"] });
        const group = one(plan, LOG_GROUP, "prod-dns-query-logs");
        assert.equal(group.provider?.region, "us-east-1");
        assert.equal(group.inputs.name, "/aws/route53/example.com/prod-dns");
        assert.equal(group.retainOnDelete, true);
        assert.equal(one(plan, "aws:route53/queryLog:QueryLog", "prod-dns-query-log").inputs.cloudwatchLogGroupArn, group.outputs?.arn);
        assert.equal(one(plan, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "prod-dns-query-logs-policy").provider?.region, "us-east-1");
        assert.equal(plan.outputs.queryLogGroup, "/aws/route53/example.com/prod-dns");
        // The stage key (stacks/stage-key.ts) is the only KMS key: no DNSSEC signing key.
        assert.deepEqual(plan.resources.filter((r) => r.type === KEY).map((r) => r.name), ["prod-key"]);
        assert.equal("dnssecDsRecord" in plan.outputs, false);
    });

    it("prod with dnssec: a us-east-1 signing key, a KSK and signing, all protected, and the DS record as a stack output", async () => {
        const plan = await planStage({ stage: "prod", overrides: ["webstack:domain.createZone=true", "webstack:domain.dnssec=true"] });
        const key = one(plan, KEY, "prod-dns-dnssec-key");
        assert.equal(key.provider?.region, "us-east-1");
        assert.equal(key.inputs.customerMasterKeySpec, "ECC_NIST_P256");
        assert.equal(key.protect, true);
        assert.equal(one(plan, "aws:route53/keySigningKey:KeySigningKey", "prod-dns-ksk").protect, true);
        assert.equal(one(plan, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", "prod-dns-dnssec").protect, true);
        assert.match(String(plan.outputs.dnssecDsRecord), /^\d+ 13 2 [0-9A-F]{64}$/);
    });

    it("staging with dnssec: the key is not protected (not production); queryLogging: false logs nothing", async () => {
        const plan = await planStage({ stage: "staging", overrides: ["webstack:domain.createZone=true", "webstack:domain.dnssec=true", "webstack:domain.queryLogging=false"] });
        assert.equal(one(plan, KEY, "staging-dns-dnssec-key").protect, false);
        assert.equal(plan.resources.filter((r) => r.type === LOG_GROUP && r.name.startsWith("staging-dns")).length, 0);
        assert.equal("queryLogGroup" in plan.outputs, false);
    });

    const bad: [string[], string, RegExp][] = [
        [["webstack:domain.dnssec=true"], "webstack:domain.dnssec", /createZone: true/],
        [["webstack:domain.queryLogging=true"], "webstack:domain.queryLogging", /createZone: true/],
        [["webstack:domain.createZone=true", 'webstack:domain.queryLogging={"retentionInDays":45}'], "webstack:domain.queryLogging.retentionInDays", /30, 60/],
        [["webstack:domain.dnssec=yes"], "webstack:domain.dnssec", /./],
    ];
    for (const [overrides, setting, fix] of bad) {
        it(`${overrides.join(" ")} → ${setting}, before any resource`, async () => {
            await assert.rejects(planStage({ stage: "prod", overrides }), (error: any) => {
                assert.equal(error.name, "ConfigError");
                assert.equal(error.setting, setting);
                assert.match(error.fix, fix);
                return true;
            });
        });
    }
});
