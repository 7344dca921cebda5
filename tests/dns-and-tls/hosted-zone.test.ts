import * as assert from "node:assert/strict";
import { DnsAndTls } from "../../components/dns-and-tls";
import { candidateZones } from "../../components/dns-and-tls/domain-names";
import { findLongestMatchingZone, findZoneById } from "../../components/dns-and-tls/hosted-zone";
import { fakeZoneId, Harness, valueOf } from "../../components/testing";

const RECORD = "aws:route53/record:Record";

describe("DnsAndTls zone choice: candidates (pure)", () => {
    it("lists every zone that could hold the names, longest first", () => {
        assert.deepEqual(candidateZones(["api.dev.example.com"]), ["api.dev.example.com", "dev.example.com", "example.com"]);
    });

    it("keeps only zones that contain every name, wildcards by the name they cover", () => {
        assert.deepEqual(candidateZones(["api.dev.example.com", "*.dev.example.com"]), ["dev.example.com", "example.com"]);
        assert.deepEqual(candidateZones(["api.dev.example.com", "www.example.com"]), ["example.com"]);
        assert.deepEqual(candidateZones(["app.example.com", "app.example.org"]), []);
    });
});

describe("DnsAndTls zone choice: nested zones both exist", () => {
    let harness: Harness;
    let nested: DnsAndTls;
    let pinned: DnsAndTls;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com", "dev.example.com"] });
        nested = new DnsAndTls("nested", { domain: "api.dev.example.com" });
        pinned = new DnsAndTls("pinned", { domain: "api.dev.example.com", zoneName: "example.com", certificates: { cloudFront: false } });
        await harness.settled();
    });

    it("picks the longest matching zone: dev.example.com over example.com", async () => {
        assert.equal(await valueOf(nested.zoneId), fakeZoneId("dev.example.com"));
        assert.equal(await valueOf(nested.zoneName), "dev.example.com");
        assert.equal(harness.inputsOf(harness.get(RECORD, "nested-validation-api.dev.example.com")).zoneId, fakeZoneId("dev.example.com"));
    });

    it("uses the zone the user names, even when a longer one exists", async () => {
        assert.equal(await valueOf(pinned.zoneId), fakeZoneId("example.com"));
        assert.equal(harness.inputsOf(harness.get(RECORD, "pinned-validation-api.dev.example.com")).zoneId, fakeZoneId("example.com"));
    });

    it("creates no zone when it finds one", () => {
        assert.equal(harness.ofType("aws:route53/zone:Zone").length, 0);
    });
});

describe("DnsAndTls zone choice: only the parent zone exists", () => {
    let harness: Harness;
    let dns: DnsAndTls;
    let byId: DnsAndTls;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        dns = new DnsAndTls("dns", { domain: "api.dev.example.com", alternativeNames: ["*.dev.example.com"] });
        byId = new DnsAndTls("byid", { domain: "shop.example.com", zoneId: fakeZoneId("example.com"), certificates: { regional: false } });
        await harness.settled();
    });

    it("falls back to the parent zone example.com", async () => {
        assert.equal(await valueOf(dns.zoneId), fakeZoneId("example.com"));
        assert.equal(harness.inputsOf(harness.get(RECORD, "dns-validation-api.dev.example.com")).zoneId, fakeZoneId("example.com"));
        assert.equal(harness.inputsOf(harness.get(RECORD, "dns-validation-dev.example.com")).zoneId, fakeZoneId("example.com"));
    });

    it("uses a zone given by id after checking that it contains the domain", async () => {
        assert.equal(await valueOf(byId.zoneId), fakeZoneId("example.com"));
        assert.equal(await valueOf(byId.zoneName), "example.com");
    });

    it("fails with a ConfigError naming zoneId when the zone given by id does not contain the domain", async () => {
        await assert.rejects(findZoneById(fakeZoneId("example.com"), "shop.example.org", {}), (error: any) => {
            assert.equal(error.setting, "zoneId");
            assert.match(error.message, /the zone is example\.com, which does not contain shop\.example\.org/);
            return true;
        });
    });

    it("fails with a ConfigError naming zoneName when no candidate zone exists", async () => {
        await assert.rejects(findLongestMatchingZone(["app.example.org", "example.org"], {}), (error: any) => {
            assert.equal(error.name, "ConfigError");
            assert.equal(error.setting, "zoneName");
            assert.match(error.message, /app\.example\.org, example\.org/);
            return true;
        });
    });

    it("lets other look-up failures through instead of treating them as 'no zone'", async () => {
        const failing = await Harness.start({
            config: { "aws:region": "eu-west-1" },
            calls: { "aws:route53/getZone:getZone": () => { throw new Error("AccessDenied: not authorized to perform route53:ListHostedZones"); } },
        });
        await assert.rejects(findLongestMatchingZone(["dev.example.com", "example.com"], {}), /AccessDenied/);
        assert.equal(failing.resources.length, 0);
    });
});

describe("DnsAndTls zone choice: createZone", () => {
    let harness: Harness;
    let dns: DnsAndTls;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: [] });
        dns = new DnsAndTls("dns", { domain: "app.example.com", alternativeNames: ["www.app.example.com"], createZone: true });
        await harness.settled();
    });

    it("creates the zone for the domain, tagged, and writes the records into it", async () => {
        const zone = harness.get("aws:route53/zone:Zone", "dns-zone");
        const inputs = harness.inputsOf(zone);
        assert.equal(inputs.name, "app.example.com");
        assert.equal(inputs.tags.component, "dns-and-tls");
        const zoneId = await valueOf(dns.zoneId);
        assert.match(zoneId, /^Z[0-9A-F]{12}$/);
        assert.equal(harness.inputsOf(harness.get(RECORD, "dns-validation-www.app.example.com")).zoneId, zoneId);
    });

    it("outputs the name servers to delegate to", async () => {
        const servers = await valueOf(dns.nameServers);
        assert.equal(servers?.length, 4);
        assert.ok(servers?.every((server) => /^ns-\d+\.awsdns-/.test(server)));
    });
});
