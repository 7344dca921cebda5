import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { StaticSite } from "../../components/static-site";
import { resolveStaticSiteArgs } from "../../components/static-site/args";
import { ALL_VIEWER_EXCEPT_HOST_POLICY, CACHING_DISABLED_POLICY, CACHING_OPTIMIZED_POLICY } from "../../components/static-site/cdn";
import { Harness } from "../../components/testing";
import { defaultLookups } from "../../components/testing/lookups";
import { siteFolder, typicalSite } from "./static-site-fixtures";

const CDN = "aws:cloudfront/distribution:Distribution";
const FN = "aws:cloudfront/function:Function";
const origin = { domainName: "ec2-3-120-1-2.eu-west-1.compute.amazonaws.com", protocol: "http" as const };

describe("StaticSite api option (one domain for the site and the API)", () => {
    let harness: Harness;
    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        new StaticSite("plain", { path: typicalSite(), api: { origin } });
        new StaticSite("secure", { path: typicalSite(), api: { origin: { domainName: "api-lb-123.eu-west-1.elb.amazonaws.com", protocol: "https", httpsPort: 8443 }, pathPattern: "/v1/*" } });
        new StaticSite("stripped", { path: typicalSite(), api: { origin, stripPrefix: true } });
        new StaticSite("spa", { path: siteFolder({ "index.html": "<p>spa</p>" }), mode: "spa", api: { origin } });
        await harness.settled();
    });
    const cdn = (name: string) => harness.inputsOf(harness.get(CDN, `${name}-cdn`));
    /** The id the harness's look-up answers for a managed policy of that name. */
    const policyId = (kind: "getCachePolicy" | "getOriginRequestPolicy", name: string) =>
        defaultLookups({ region: "eu-west-1", hostedZones: [] })[`aws:cloudfront/${kind}:${kind}`]({ name }).id as string;

    it("routes /api/* to the origin by DNS name over plain HTTP (the origin has no certificate), TLS 1.2 when HTTPS", () => {
        const inputs = cdn("plain");
        const api = inputs.origins.find((o: any) => o.originId === "api");
        assert.deepEqual(api, {
            originId: "api",
            domainName: origin.domainName,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "http-only", originSslProtocols: ["TLSv1.2"] },
        });
        const behavior = inputs.orderedCacheBehaviors[0];
        assert.equal(inputs.orderedCacheBehaviors.length, 1);
        assert.equal(behavior.pathPattern, "/api/*");
        assert.equal(behavior.targetOriginId, "api");
        assert.equal(behavior.viewerProtocolPolicy, "redirect-to-https");
        assert.deepEqual([...behavior.allowedMethods].sort(), ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    });

    it("never caches the API and forwards every viewer header but Host, the query and cookies (managed policies looked up by name)", () => {
        const behavior = cdn("plain").orderedCacheBehaviors[0];
        assert.equal(behavior.cachePolicyId, policyId("getCachePolicy", CACHING_DISABLED_POLICY));
        assert.equal(behavior.originRequestPolicyId, policyId("getOriginRequestPolicy", ALL_VIEWER_EXCEPT_HOST_POLICY));
        assert.notEqual(behavior.cachePolicyId, cdn("plain").defaultCacheBehavior.cachePolicyId);
        assert.equal(cdn("plain").defaultCacheBehavior.cachePolicyId, policyId("getCachePolicy", CACHING_OPTIMIZED_POLICY));
        assert.deepEqual(behavior.functionAssociations, [], "the site's viewer function must not touch API requests");
    });

    it("talks HTTPS-only to an origin with a certificate, on its port, under the chosen path pattern", () => {
        const inputs = cdn("secure");
        const api = inputs.origins.find((o: any) => o.originId === "api");
        assert.equal(api.customOriginConfig.originProtocolPolicy, "https-only");
        assert.equal(api.customOriginConfig.httpsPort, 8443);
        assert.equal(inputs.orderedCacheBehaviors[0].pathPattern, "/v1/*");
    });

    it("drops the distribution-wide error pages, which would replace the API's own 403/404 answers", () => {
        assert.deepEqual(cdn("plain").customErrorResponses, []);
        assert.deepEqual(cdn("spa").customErrorResponses, []);
    });

    it("in spa mode, serves client-side routes through the viewer-request function instead", () => {
        const fn = harness.inputsOf(harness.get(FN, "spa-viewer-request"));
        assert.match(fn.code, /var SPA_FALLBACK = true;/);
        assert.equal(cdn("spa").defaultCacheBehavior.functionAssociations[0].eventType, "viewer-request");
    });

    it("strips the prefix before the origin only when asked, with a function on the API behavior alone", () => {
        const behavior = cdn("stripped").orderedCacheBehaviors[0];
        const fn = harness.get(FN, "stripped-api-request");
        assert.match(harness.inputsOf(fn).code, /var PREFIX = "\/api";/);
        assert.equal(behavior.functionAssociations.length, 1);
        assert.equal(behavior.functionAssociations[0].eventType, "viewer-request");
        assert.deepEqual(cdn("plain").orderedCacheBehaviors[0].functionAssociations, []);
        assert.equal(harness.ofType(FN).filter((f) => f.name === "plain-api-request").length, 0);
    });

    it("refuses api without CloudFront, bad patterns, IP origins and bad ports, naming the setting and the fix", () => {
        const path = typicalSite();
        const fails = (args: Record<string, unknown>, setting: string, fix: RegExp) =>
            assert.throws(() => resolveStaticSiteArgs({ path, ...args }), (e: ConfigError) => e instanceof ConfigError && e.setting === setting && fix.test(e.fix));
        fails({ hosting: "s3-website", api: { origin } }, "api", /hosting: "cloudfront"/);
        fails({ api: { origin, pathPattern: "/*" } }, "api.pathPattern", /"\/api\/\*"/);
        fails({ api: { origin, pathPattern: "/api/{id}" } }, "api.pathPattern", /"\/api\/\*"/);
        fails({ api: { origin: { domainName: "3.120.1.2", protocol: "http" } } }, "api.origin.domainName", /public DNS name/);
        fails({ api: { origin: { domainName: "http://x.example.com", protocol: "http" } } }, "api.origin.domainName", /ec2-/);
        fails({ api: { origin: { ...origin, protocol: "tcp" } } }, "api.origin.protocol", /"https"/);
        fails({ api: { origin: { ...origin, httpPort: 81 } } }, "api.origin.httpPort", /in that range/);
        fails({ api: {} }, "api.origin", /web\.apiOrigin/);
        fails({ api: { origin, pathPattern: "/api/*.json", stripPrefix: true } }, "api.pathPattern", /drop stripPrefix/);
    });
});
