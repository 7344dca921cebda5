import * as assert from "node:assert/strict";
import { DnsAndTls, DnsAndTlsArgs, resolveDnsAndTlsArgs } from "../../components/dns-and-tls";
import { Harness } from "../../components/testing";

/** Asserts that `run` throws a ConfigError naming `setting`. */
function assertConfigError(run: () => unknown, setting: string, message?: RegExp): void {
    assert.throws(run, (error: any) => {
        assert.equal(error.name, "ConfigError", `expected a ConfigError, got ${error}`);
        assert.equal(error.setting, setting);
        assert.match(error.message, /Fix: \S/);
        if (message) assert.match(error.message, message);
        return true;
    });
}

describe("DnsAndTls args: defaults and normalization (pure)", () => {
    it("normalizes names and turns both certificates on by default", () => {
        const resolved = resolveDnsAndTlsArgs({ domain: "App.Example.COM.", alternativeNames: ["*.App.example.com"] });
        assert.equal(resolved.domain, "app.example.com");
        assert.deepEqual(resolved.alternativeNames, ["*.app.example.com"]);
        assert.deepEqual(resolved.certificates, { cloudFront: true, regional: true });
        assert.deepEqual(resolved.zone, { kind: "lookup", candidates: ["app.example.com", "example.com"] });
        assert.deepEqual(resolved.validationRecordNames, ["app.example.com"]);
        assert.deepEqual(resolved.caaRecordNames, []);
    });

    it("resolves the zone source from zoneName, zoneId and createZone", () => {
        assert.deepEqual(resolveDnsAndTlsArgs({ domain: "a.example.com", zoneName: "Example.com" }).zone, { kind: "name", name: "example.com" });
        assert.deepEqual(resolveDnsAndTlsArgs({ domain: "a.example.com", zoneId: "Z123ABC" }).zone, { kind: "id", id: "Z123ABC" });
        assert.deepEqual(resolveDnsAndTlsArgs({ domain: "a.example.com", createZone: true }).zone, { kind: "create", name: "a.example.com" });
        assert.deepEqual(resolveDnsAndTlsArgs({ domain: "a.example.com", zoneName: "example.com", createZone: true }).zone, { kind: "create", name: "example.com" });
    });

    it("puts CAA records only where tree climbing would not already find one", () => {
        const resolved = resolveDnsAndTlsArgs({ domain: "shop.example.com", alternativeNames: ["www.shop.example.com", "*.shop.example.com", "api.example.com"], caa: true });
        assert.deepEqual(resolved.caaRecordNames, ["shop.example.com", "api.example.com"]);
    });
});

describe("DnsAndTls args: bad input fails before any resource, naming the arg", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
    });

    const cases: { title: string; args: DnsAndTlsArgs; setting: string; message?: RegExp }[] = [
        { title: "an empty domain", args: { domain: "" }, setting: "domain", message: /empty/ },
        { title: "a missing domain", args: {} as DnsAndTlsArgs, setting: "domain", message: /missing/ },
        { title: "an invalid character", args: { domain: "app_1.example.com" }, setting: "domain", message: /label "app_1"/ },
        { title: "a label starting with a hyphen", args: { domain: "-app.example.com" }, setting: "domain" },
        { title: "two dots in a row", args: { domain: "app..example.com" }, setting: "domain", message: /empty label/ },
        { title: "a single-label name", args: { domain: "localhost" }, setting: "domain", message: /single label/ },
        { title: "an IP address", args: { domain: "10.0.0.1" }, setting: "domain", message: /IP address/ },
        { title: "a non-ASCII name", args: { domain: "bücher.example.com" }, setting: "domain", message: /punycode/ },
        { title: "a primary name over ACM's 64 characters", args: { domain: `${"a".repeat(60)}.example.com` }, setting: "domain", message: /64/ },
        { title: "a wildcard as the served domain", args: { domain: "*.example.com" }, setting: "domain", message: /alternativeNames/ },
        { title: "a wildcard inside a label", args: { domain: "app.example.com", alternativeNames: ["app*.example.com"] }, setting: "alternativeNames[0]", message: /left-most/ },
        { title: "a wildcard that is not left-most", args: { domain: "app.example.com", alternativeNames: ["ok.example.com", "www.*.example.com"] }, setting: "alternativeNames[1]", message: /left-most/ },
        { title: "a label over 63 characters", args: { domain: "app.example.com", alternativeNames: [`${"b".repeat(64)}.example.com`] }, setting: "alternativeNames[0]" },
        { title: "a name listed twice", args: { domain: "app.example.com", alternativeNames: ["www.example.com", "WWW.example.com"] }, setting: "alternativeNames[1]", message: /twice/ },
        { title: "the domain repeated as an alternative name", args: { domain: "app.example.com", alternativeNames: ["app.example.com"] }, setting: "alternativeNames[0]" },
        { title: "an alternative name outside the given zone", args: { domain: "app.example.com", zoneName: "example.com", alternativeNames: ["www.example.org"] }, setting: "alternativeNames[0]", message: /outside the zone example\.com/ },
        { title: "a domain outside the given zone", args: { domain: "app.example.org", zoneName: "example.com" }, setting: "domain", message: /outside the zone/ },
        { title: "names no single zone can hold", args: { domain: "app.example.com", alternativeNames: ["www.app.example.com", "shop.example.net"] }, setting: "alternativeNames[1]", message: /no hosted zone/ },
        { title: "an alternative name outside a zone to create", args: { domain: "app.example.com", createZone: true, alternativeNames: ["www.example.com"] }, setting: "alternativeNames[0]" },
        { title: "a regional-only name that is already an alternative name", args: { domain: "app.example.com", alternativeNames: ["origin.example.com"], regionalOnlyNames: ["origin.example.com"] }, setting: "regionalOnlyNames[0]", message: /already an alternative name/ },
        { title: "regional-only names without the regional certificate", args: { domain: "app.example.com", regionalOnlyNames: ["origin.app.example.com"], certificates: { regional: false } }, setting: "regionalOnlyNames" },
        { title: "both zoneId and zoneName", args: { domain: "app.example.com", zoneId: "Z123", zoneName: "example.com" }, setting: "zoneId", message: /not both/ },
        { title: "createZone with an existing zone id", args: { domain: "app.example.com", zoneId: "Z123", createZone: true }, setting: "createZone" },
        { title: "a zone id with its /hostedzone/ prefix", args: { domain: "app.example.com", zoneId: "/hostedzone/Z123" }, setting: "zoneId", message: /bare id/ },
    ];

    for (const { title, args, setting, message } of cases) {
        it(`rejects ${title} (${setting})`, async () => {
            assertConfigError(() => resolveDnsAndTlsArgs(args), setting, message);
            const before = harness.resources.length;
            assertConfigError(() => new DnsAndTls("bad", args), setting, message);
            await harness.settled();
            assert.equal(harness.resources.length, before, "no resource, not even the component, was registered");
        });
    }

    it("rejects pointing a name outside the zone before writing any record (recordName)", async () => {
        const dns = new DnsAndTls("good", { domain: "app.example.com", zoneName: "example.com" });
        await harness.settled();
        const before = harness.resources.length;
        assertConfigError(() => dns.pointAt("site", "app.example.org", { dnsName: "d1.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" }), "recordName", /outside the hosted zone/);
        assertConfigError(() => dns.pointAt("site", "a b.example.com", { dnsName: "d1.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" }), "recordName");
        await harness.settled();
        assert.equal(harness.resources.length, before);
    });
});
