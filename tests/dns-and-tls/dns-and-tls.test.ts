import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DnsAndTls } from "../../components/dns-and-tls";
import { AMAZON_CAA_VALUES } from "../../components/dns-and-tls/caa";
import { fakeZoneId, Harness, valueOf } from "../../components/testing";

const CERT = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";
const PROVIDER = "pulumi:providers:aws";

describe("DnsAndTls: certificates, validation records and regions", () => {
    let harness: Harness;
    let dns: DnsAndTls;

    before(async () => {
        harness = await Harness.start({
            stack: "prod",
            config: {
                "aws:region": "eu-west-1",
                "aws:profile": "shop-prod",
                "aws:defaultTags": JSON.stringify({ tags: { owner: "web-team" } }),
                "aws:allowedAccountIds": JSON.stringify(["123456789012"]),
                "aws:secretKey": "s3cr3t-key",
            },
            secretKeys: ["aws:secretKey"],
            hostedZones: ["example.com"],
        });
        dns = new DnsAndTls("dns", { domain: "example.com", alternativeNames: ["*.example.com"], caa: true, tags: { team: "web" } });
        await harness.settled();
    });

    it("registers the CloudFront certificate with a us-east-1 provider and the regional one with the stack's", () => {
        assert.deepEqual(harness.providerOf(harness.get(CERT, "dns-cert-cloudfront")), { name: "dns-us-east-1", region: "us-east-1" });
        assert.deepEqual(harness.providerOf(harness.get(CERT, "dns-cert-regional")), { name: "default", region: "eu-west-1" });
    });

    it("validates each certificate through its own certificate's provider", () => {
        assert.equal(harness.providerOf(harness.get(VALIDATION, "dns-cert-cloudfront-validation"))?.region, "us-east-1");
        assert.equal(harness.providerOf(harness.get(VALIDATION, "dns-cert-regional-validation"))?.region, "eu-west-1");
    });

    it("gives the us-east-1 provider the stack's aws: settings (profile, default tags, accounts, credentials)", () => {
        const provider = harness.get(PROVIDER, "dns-us-east-1");
        const inputs = harness.inputsOf(provider);
        assert.equal(inputs.region, "us-east-1");
        assert.equal(inputs.profile, "shop-prod");
        assert.deepEqual(JSON.parse(inputs.defaultTags), { tags: { owner: "web-team" } });
        assert.deepEqual(JSON.parse(inputs.allowedAccountIds), ["123456789012"]);
        assert.equal(inputs.secretKey, "s3cr3t-key");
    });

    it("asks both certificates for the same names with DNS validation", () => {
        for (const name of ["dns-cert-cloudfront", "dns-cert-regional"]) {
            const inputs = harness.inputsOf(harness.get(CERT, name));
            assert.equal(inputs.domainName, "example.com");
            assert.deepEqual(inputs.subjectAlternativeNames, ["*.example.com"]);
            assert.equal(inputs.validationMethod, "DNS");
        }
    });

    it("writes exactly one validation record for example.com + *.example.com, used by both validations", async () => {
        const validationRecords = harness.ofType(RECORD).filter((r) => harness.inputsOf(r).type === "CNAME");
        assert.deepEqual(validationRecords.map((r) => r.name), ["dns-validation-example.com"]);
        const record = harness.inputsOf(validationRecords[0]);
        // The name and value come from ACM's answer (the harness models it like AWS).
        assert.match(record.name, /^_[0-9a-f]{32}\.example\.com\.$/);
        assert.match(record.records[0], /^_[0-9a-f]{32}\.acm-validations\.aws\.$/);
        assert.equal(record.zoneId, fakeZoneId("example.com"));
        for (const name of ["dns-cert-cloudfront-validation", "dns-cert-regional-validation"]) {
            assert.deepEqual(harness.inputsOf(harness.get(VALIDATION, name)).validationRecordFqdns, [record.name]);
        }
    });

    it("outputs the zone and the validated certificate ARNs, each from its region", async () => {
        assert.equal(await valueOf(dns.zoneId), fakeZoneId("example.com"));
        assert.match(await valueOf(dns.cloudFrontCertificateArn) as string, /^arn:aws:acm:us-east-1:/);
        assert.match(await valueOf(dns.regionalCertificateArn) as string, /^arn:aws:acm:eu-west-1:/);
        assert.equal(await valueOf(dns.nameServers), undefined);
    });

    it("hands StaticSite and WebTier the CustomDomain contract with the validated ARNs", async () => {
        const cdn = dns.cloudFrontDomain();
        assert.equal(cdn.domainName, "example.com");
        assert.deepEqual(cdn.aliases, ["*.example.com"]);
        assert.equal(await valueOf(cdn.certificateArn), await valueOf(dns.cloudFrontCertificateArn));
        assert.equal(await valueOf(cdn.hostedZoneId), fakeZoneId("example.com"));
        assert.match(await valueOf(dns.regionalDomain().certificateArn), /:eu-west-1:/);
    });

    it("writes a CAA record allowing only Amazon's CAs, once for the apex and its wildcard", () => {
        const caa = harness.ofType(RECORD).filter((r) => harness.inputsOf(r).type === "CAA");
        assert.deepEqual(caa.map((r) => r.name), ["dns-caa-example.com"]);
        const inputs = harness.inputsOf(caa[0]);
        assert.equal(inputs.name, "example.com");
        assert.deepEqual(inputs.records, AMAZON_CAA_VALUES);
        assert.ok(AMAZON_CAA_VALUES.every((v) => /^0 issue "(amazon\.com|amazontrust\.com|awstrust\.com|amazonaws\.com)"$/.test(v)));
    });

    it("tags the certificates with the standard and user tags", () => {
        const tags = harness.inputsOf(harness.get(CERT, "dns-cert-regional")).tags;
        assert.deepEqual(tags, { team: "web", app: "webstack", stage: "prod", component: "dns-and-tls", "managed-by": "pulumi" });
    });

    it("keeps its child names stable", () => {
        const component = harness.get("webstack:index:DnsAndTls", "dns");
        assert.deepEqual(harness.childrenOf(component).map((r) => r.name).sort(), [
            "dns-caa-example.com",
            "dns-cert-cloudfront",
            "dns-cert-cloudfront-validation",
            "dns-cert-regional",
            "dns-cert-regional-validation",
            "dns-us-east-1",
            "dns-validation-example.com",
        ]);
    });

    it("points a name at CloudFront with A and AAAA aliases, refusing to overwrite unless asked", async () => {
        dns.pointAt("site", "example.com", { dnsName: "d123.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" });
        dns.pointAt("api", "API.example.com.", { dnsName: "alb-1.eu-west-1.elb.amazonaws.com", hostedZoneId: "Z32O12XQLNTSW2" }, { allowOverwrite: true, evaluateTargetHealth: true });
        await harness.settled();
        const a = harness.inputsOf(harness.get(RECORD, "dns-site-a"));
        assert.equal(a.name, "example.com");
        assert.equal(a.allowOverwrite, false);
        assert.deepEqual(a.aliases, [{ name: "d123.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }]);
        assert.equal(harness.inputsOf(harness.get(RECORD, "dns-site-aaaa")).type, "AAAA");
        const api = harness.inputsOf(harness.get(RECORD, "dns-api-a"));
        assert.equal(api.name, "api.example.com");
        assert.equal(api.allowOverwrite, true);
        assert.equal(api.aliases[0].evaluateTargetHealth, true);
        assert.throws(() => harness.get(RECORD, "dns-api-aaaa"), /No aws:route53\/record:Record named "dns-api-aaaa"/, "no AAAA for a target not known to serve IPv6");
        assert.equal(harness.parentOf(harness.get(RECORD, "dns-api-a"))?.name, "dns");
    });
});

describe("DnsAndTls: distinct validation records and certificate choice", () => {
    let harness: Harness;
    let dns: DnsAndTls;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "us-west-2" }, hostedZones: ["example.com"] });
        dns = new DnsAndTls("app", {
            domain: "app.example.com",
            alternativeNames: ["*.app.example.com", "www.app.example.com", "shop.example.com"],
            zoneName: "example.com",
            certificates: { regional: false },
        });
        await harness.settled();
    });

    it("writes one record per distinct base name (apex and wildcard share one)", () => {
        const names = harness.ofType(RECORD).map((r) => r.name).sort();
        assert.deepEqual(names, ["app-validation-app.example.com", "app-validation-shop.example.com", "app-validation-www.app.example.com"]);
        const recordNames = harness.ofType(RECORD).map((r) => harness.inputsOf(r).name);
        assert.equal(new Set(recordNames).size, recordNames.length, "no two records share a DNS name");
    });

    it("makes only the CloudFront certificate when the regional one is turned off", () => {
        assert.deepEqual(harness.ofType(CERT).map((r) => r.name), ["app-cert-cloudfront"]);
        assert.throws(() => dns.regionalDomain(), (e: any) => e.name === "ConfigError" && e.setting === "certificates.regional");
        assert.equal(harness.providerOf(harness.get(CERT, "app-cert-cloudfront"))?.region, "us-east-1");
    });
});

describe("DnsAndTls: names only the regional certificate covers (a load balancer's origin name behind CloudFront)", () => {
    let harness: Harness;
    let dns: DnsAndTls;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        dns = new DnsAndTls("shop", { domain: "shop.example.com", alternativeNames: ["www.shop.example.com"], regionalOnlyNames: ["origin.shop.example.com"] });
        await harness.settled();
    });

    it("puts the name on the regional certificate only, and validates it with its own record", () => {
        const sans = (name: string) => harness.inputsOf(harness.get(CERT, name)).subjectAlternativeNames;
        assert.deepEqual(sans("shop-cert-regional"), ["www.shop.example.com", "origin.shop.example.com"]);
        assert.deepEqual(sans("shop-cert-cloudfront"), ["www.shop.example.com"]);
        assert.ok(harness.ofType(RECORD).some((r) => r.name === "shop-validation-origin.shop.example.com"), harness.ofType(RECORD).map((r) => r.name).join(", "));
    });

    it("never serves it: neither CustomDomain lists it as an alias", async () => {
        assert.deepEqual(dns.cloudFrontDomain().aliases, ["www.shop.example.com"]);
        assert.deepEqual(dns.regionalDomain().aliases, ["www.shop.example.com"]);
    });
});

describe("DnsAndTls.pointAt: IPv6 for CloudFront targets given as a distribution's outputs", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        const dns = new DnsAndTls("dns", { domain: "example.com", certificates: { regional: false } });
        const cdn = new aws.cloudfront.Distribution("cdn", {
            enabled: true,
            origins: [{ domainName: "bucket.s3.eu-west-1.amazonaws.com", originId: "s3" }],
            defaultCacheBehavior: { targetOriginId: "s3", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        });
        // What a user writes: the distribution's own outputs, both computed.
        dns.pointAt("outputs", "example.com", { dnsName: cdn.domainName, hostedZoneId: cdn.hostedZoneId });
        dns.pointAt("derived", "a.example.com", { dnsName: cdn.domainName.apply((n) => n), hostedZoneId: cdn.hostedZoneId.apply((z) => z) });
        dns.pointAt("resource", "b.example.com", cdn);
        dns.pointAt("name", "c.example.com", { dnsName: "d111111abcdef8.cloudfront.net", hostedZoneId: pulumi.output("Z2FDTNDATAQYW2") });
        dns.pointAt("off", "d.example.com", { dnsName: cdn.domainName, hostedZoneId: cdn.hostedZoneId }, { ipv6: false });
        await harness.settled();
    });

    it("writes A and AAAA aliases when the target is a CloudFront distribution's outputs", () => {
        for (const name of ["outputs", "derived", "resource", "name"]) {
            harness.get(RECORD, `dns-${name}-a`);
            assert.equal(harness.inputsOf(harness.get(RECORD, `dns-${name}-aaaa`)).type, "AAAA", name);
        }
    });

    it("aliases the distribution itself by its domain name and CloudFront's zone", () => {
        const aaaa = harness.inputsOf(harness.get(RECORD, "dns-resource-aaaa"));
        assert.equal(aaaa.aliases[0].zoneId, "Z2FDTNDATAQYW2");
        assert.match(aaaa.aliases[0].name, /\.cloudfront\.net$/);
    });

    it("leaves the AAAA record out when asked", () => {
        assert.throws(() => harness.get(RECORD, "dns-off-aaaa"), /No aws:route53\/record:Record named "dns-off-aaaa"/);
    });
});
