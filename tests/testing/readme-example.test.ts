import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DnsAndTls, StaticSite } from "../../components";
import { Harness, valueOf } from "../../components/testing";

/** The "Testing your own stacks" example of the README, kept true by running it. */
describe("README: testing your own stacks", () => {
    it("serves the site from CloudFront with a certificate in us-east-1", async () => {
        const dist = fs.mkdtempSync(path.join(os.tmpdir(), "readme-site-"));
        fs.writeFileSync(path.join(dist, "index.html"), "<h1>shop</h1>");
        fs.writeFileSync(path.join(dist, "404.html"), "<h1>not found</h1>");

        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        const dns = new DnsAndTls("dns", { domain: "shop.example.com" });
        const site = new StaticSite("site", { path: dist, domain: dns.cloudFrontDomain() });
        await harness.settled();

        const cdn = harness.get("aws:cloudfront/distribution:Distribution", "site-cdn");
        assert.equal(harness.inputsOf(cdn).viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
        const cert = harness.get("aws:acm/certificate:Certificate", "dns-cert-cloudfront");
        assert.equal(harness.providerOf(cert)?.region, "us-east-1");
        assert.equal(await valueOf(site.url), "https://shop.example.com");
    });
});
