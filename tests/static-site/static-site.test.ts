import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { StaticSite } from "../../components/static-site";
import { HSTS_MAX_AGE_SECONDS } from "../../components/static-site/cdn";
import { fakeZoneId, Harness, RecordedResource, valueOf } from "../../components/testing";
import { defaultComputedOutputs } from "../../components/testing/computed-outputs";
import { siteFolder, typicalSite } from "./static-site-fixtures";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    website: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    fn: "aws:cloudfront/function:Function",
    cdn: "aws:cloudfront/distribution:Distribution",
    record: "aws:route53/record:Record",
    sync: "pulumi-nodejs:dynamic:Resource",
    site: "webstack:index:StaticSite",
};

describe("StaticSite", () => {
    let harness: Harness;
    let web: StaticSite;
    let dev: StaticSite;
    let www: StaticSite;
    const zoneId = fakeZoneId("example.com");
    const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "prod", hostedZones: ["example.com"] });
        web = new StaticSite("web", { path: typicalSite() });
        dev = new StaticSite("dev", { path: typicalSite(), hosting: "s3-website", mode: "spa" });
        new StaticSite("app", { path: siteFolder({ "index.html": "<p>spa</p>" }), mode: "spa", priceClass: "PriceClass_All", errorCachingSeconds: 0 });
        www = new StaticSite("www", {
            path: typicalSite(),
            domain: { domainName: "example.com", aliases: ["www.example.com"], certificateArn, hostedZoneId: zoneId },
            wwwRedirect: "www-to-apex",
        });
        await harness.settled();
    });

    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));
    const childNames = (site: string) => harness.descendantsOf(harness.get(T.site, site)).map((r: RecordedResource) => `${r.type} ${r.name}`).sort();

    describe("cloudfront hosting (the default)", () => {
        it("creates exactly the bucket, its guards, OAC, headers, function, distribution, policy and one sync resource", () => {
            assert.deepEqual(childNames("web"), [
                `${T.cdn} web-cdn`,
                `${T.fn} web-viewer-request`,
                `${T.headers} web-headers`,
                `${T.oac} web-oac`,
                `${T.bucket} web-bucket`,
                `${T.policy} web-policy`,
                `${T.encryption} web-encryption`,
                `${T.ownership} web-ownership`,
                `${T.publicAccess} web-public-access`,
                `${T.sync} web-sync`,
            ].sort());
        });

        it("keeps the bucket private: all four public-access blocks on, ACLs off, SSE on", () => {
            assert.deepEqual(
                { ...inputs(T.publicAccess, "web-public-access"), bucket: undefined },
                { bucket: undefined, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
            );
            assert.equal(inputs(T.ownership, "web-ownership").rule.objectOwnership, "BucketOwnerEnforced");
            assert.equal(inputs(T.encryption, "web-encryption").rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            assert.equal(harness.ofType("aws:s3/bucketAcl:BucketAcl").length, 0);
        });

        it("lets only this distribution read, names it by SourceArn, and allows no public principal", async () => {
            const policy = JSON.parse(inputs(T.policy, "web-policy").policy);
            const bucketName = await valueOf(web.bucketName);
            const distributionArn = defaultComputedOutputs[T.cdn]({ type: T.cdn, name: "web-cdn", inputs: {}, region: "eu-west-1" }).arn;
            const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
            assert.deepEqual(allows, [
                {
                    Sid: "OnlyThisDistributionReads",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::${bucketName}/*`,
                    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
                },
            ]);
            const denies = policy.Statement.filter((s: any) => s.Effect === "Deny").map((s: any) => s.Sid);
            assert.deepEqual(denies, ["SyncManifestIsPrivate", "TlsOnly"]);
            const policyResource = harness.get(T.policy, "web-policy");
            assert.ok(policyResource.options.dependsOn.some((urn) => urn.endsWith("::web-public-access")), "the policy waits for the public access block");
        });

        it("serves over HTTPS only with OAC, the managed caching-optimised policy, compression, HTTP/2+3 and IPv6", async () => {
            const cdn = inputs(T.cdn, "web-cdn");
            const managed = await aws.cloudfront.getCachePolicy({ name: "Managed-CachingOptimized" });
            assert.equal(cdn.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
            assert.equal(cdn.defaultCacheBehavior.cachePolicyId, managed.id);
            assert.equal(cdn.defaultCacheBehavior.compress, true);
            assert.deepEqual(cdn.defaultCacheBehavior.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
            assert.equal(cdn.httpVersion, "http2and3");
            assert.equal(cdn.isIpv6Enabled, true);
            assert.equal(cdn.priceClass, "PriceClass_100");
            assert.equal(cdn.defaultRootObject, "index.html");
            assert.match(cdn.origins[0].originAccessControlId, /^web-oac-/);
            assert.equal(cdn.origins[0].s3OriginConfig, undefined, "OAC, not the legacy origin access identity");
            assert.deepEqual(cdn.viewerCertificate, { cloudfrontDefaultCertificate: true });
            const oac = inputs(T.oac, "web-oac");
            assert.deepEqual([oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol], ["s3", "always", "sigv4"]);
        });

        it("adds HSTS, nosniff, frame options and referrer policy to every answer", () => {
            const cdn = inputs(T.cdn, "web-cdn");
            assert.match(cdn.defaultCacheBehavior.responseHeadersPolicyId, /^web-headers-/);
            const security = inputs(T.headers, "web-headers").securityHeadersConfig;
            assert.equal(security.strictTransportSecurity.accessControlMaxAgeSec, HSTS_MAX_AGE_SECONDS);
            assert.equal(security.contentTypeOptions.override, true);
            assert.equal(security.frameOptions.frameOption, "DENY");
            assert.equal(security.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
        });

        it("static mode: 403 and 404 from S3 answer the 404 page with status 404, and directory indexes are rewritten", () => {
            const cdn = inputs(T.cdn, "web-cdn");
            assert.deepEqual(cdn.customErrorResponses, [
                { errorCode: 403, responseCode: 404, responsePagePath: "/404.html", errorCachingMinTtl: 10 },
                { errorCode: 404, responseCode: 404, responsePagePath: "/404.html", errorCachingMinTtl: 10 },
            ]);
            assert.equal(cdn.defaultCacheBehavior.functionAssociations[0].eventType, "viewer-request");
            assert.equal(inputs(T.fn, "web-viewer-request").runtime, "cloudfront-js-2.0");
        });

        it("spa mode: unknown paths answer index.html with 200, error caching as configured, no function needed", () => {
            const cdn = inputs(T.cdn, "app-cdn");
            assert.deepEqual(
                cdn.customErrorResponses.map((r: any) => [r.errorCode, r.responseCode, r.responsePagePath, r.errorCachingMinTtl]),
                [
                    [403, 200, "/index.html", 0],
                    [404, 200, "/index.html", 0],
                ],
            );
            assert.equal(cdn.priceClass, "PriceClass_All");
            assert.deepEqual(cdn.defaultCacheBehavior.functionAssociations, []);
            assert.equal(harness.ofType(T.fn).some((r) => r.name === "app-viewer-request"), false);
        });

        it("outputs the CloudFront URL, bucket, distribution id and domain name", async () => {
            const domainName = await valueOf(web.domainName);
            assert.match(domainName, /^d[0-9a-f]{13}\.cloudfront\.net$/);
            assert.equal(await valueOf(web.url), `https://${domainName}`);
            assert.match(await valueOf(web.bucketName), /^web-bucket-/);
            assert.match(String(await valueOf(web.distributionId)), /^E[0-9A-F]{13}$/, "a distribution id is its ARN suffix (harness)");
        });

        it("tags every taggable child with app, stage, component and managed-by", () => {
            for (const [type, name] of [[T.bucket, "web-bucket"], [T.cdn, "web-cdn"], [T.fn, "web-viewer-request"]]) {
                const tags = inputs(type, name).tags;
                assert.deepEqual([tags.app, tags.stage, tags.component, tags["managed-by"]], ["webstack", "prod", "static-site", "pulumi"], name);
            }
        });
    });

    describe("custom domain and www redirect", () => {
        it("serves the domain with the certificate at TLS 1.2 (2021) minimum, SNI", () => {
            const cdn = inputs(T.cdn, "www-cdn");
            assert.deepEqual(cdn.aliases, ["example.com", "www.example.com"]);
            assert.deepEqual(cdn.viewerCertificate, { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        });

        it("writes A and AAAA alias records to the distribution for every name", () => {
            const records = harness.descendantsOf(harness.get(T.site, "www")).filter((r) => r.type === T.record);
            assert.deepEqual(records.map((r) => r.name).sort(), [
                "www-dns-example.com-a",
                "www-dns-example.com-aaaa",
                "www-dns-www.example.com-a",
                "www-dns-www.example.com-aaaa",
            ]);
            const a = inputs(T.record, "www-dns-www.example.com-a");
            assert.equal(a.zoneId, zoneId);
            assert.equal(a.aliases[0].zoneId, "Z2FDTNDATAQYW2");
            assert.match(a.aliases[0].name, /\.cloudfront\.net$/);
        });

        it("redirects www to the apex in the viewer-request function (no second bucket)", async () => {
            assert.match(inputs(T.fn, "www-viewer-request").code, /var REDIRECTS = \{"www\.example\.com":"example\.com"\};/);
            assert.equal(harness.descendantsOf(harness.get(T.site, "www")).filter((r) => r.type === T.bucket).length, 1);
            assert.equal(await valueOf(www.url), "https://example.com");
            assert.equal(await valueOf(www.domainName), "example.com");
        });
    });

    describe("s3-website hosting (dev)", () => {
        it("creates the website configuration and no CloudFront", () => {
            assert.deepEqual(childNames("dev"), [
                `${T.bucket} dev-bucket`,
                `${T.policy} dev-policy`,
                `${T.encryption} dev-encryption`,
                `${T.ownership} dev-ownership`,
                `${T.publicAccess} dev-public-access`,
                `${T.website} dev-website`,
                `${T.sync} dev-sync`,
            ].sort());
            const website = inputs(T.website, "dev-website");
            assert.deepEqual([website.indexDocument.suffix, website.errorDocument.key], ["index.html", "index.html"]);
        });

        it("makes objects publicly readable and nothing else: GetObject only, never through ACLs, the manifest kept private", async () => {
            const access = inputs(T.publicAccess, "dev-public-access");
            assert.deepEqual([access.blockPublicAcls, access.ignorePublicAcls, access.blockPublicPolicy, access.restrictPublicBuckets], [true, true, false, false]);
            const bucketName = await valueOf(dev.bucketName);
            const policy = JSON.parse(inputs(T.policy, "dev-policy").policy);
            const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
            assert.deepEqual(allows.map((s: any) => [s.Principal, s.Action, s.Resource]), [["*", "s3:GetObject", `arn:aws:s3:::${bucketName}/*`]]);
            const deny = policy.Statement.find((s: any) => s.Sid === "SyncManifestIsPrivate");
            assert.equal(deny.Resource, `arn:aws:s3:::${bucketName}/.webstack/*`);
        });

        it("outputs the HTTP website endpoint and no distribution", async () => {
            assert.match(await valueOf(dev.url), /^http:\/\/dev-bucket-[0-9a-f]+\.s3-website-eu-west-1\.amazonaws\.com$/);
            assert.equal(await valueOf(dev.distributionId), undefined);
            assert.equal(inputs(T.sync, "dev-sync").distributionId, undefined);
        });
    });

    describe("the folder sync resource", () => {
        it("is one resource whose inputs are a few scalars and the release digest, not a file list", async () => {
            const sync = harness.get(T.sync, "web-sync");
            const syncInputs = harness.inputsOf(sync);
            assert.equal(syncInputs.bucket, await valueOf(web.bucketName));
            assert.equal(syncInputs.region, "eu-west-1");
            assert.equal(syncInputs.distributionId, await valueOf(web.distributionId));
            assert.match(syncInputs.digest, /^[0-9a-f]{64}$/);
            assert.equal(syncInputs.digest, await valueOf(web.releaseDigest));
            assert.equal(await valueOf(web.fileCount), 4);
            const withoutCode = Object.fromEntries(Object.entries(syncInputs).filter(([key]) => !key.startsWith("__")));
            assert.ok(JSON.stringify(withoutCode).length < 1000, JSON.stringify(withoutCode));
            assert.equal(JSON.stringify(withoutCode).includes("app.3f9a1c2b.js"), false);
            assert.equal(typeof syncInputs.__provider, "string", "the provider is serialized into the inputs");
        });

        it("runs after the bucket policy and the bucket's guards", () => {
            const dependsOn = harness.get(T.sync, "web-sync").options.dependsOn;
            for (const child of ["web-policy", "web-encryption", "web-ownership", "web-public-access", "web-cdn"]) {
                assert.ok(dependsOn.some((urn) => urn.endsWith(`::${child}`)), child);
            }
        });

        it("gets a different digest when a file's bytes change, the same for identical folders", async () => {
            const one = typicalSite();
            const two = typicalSite();
            const three = typicalSite();
            fs.writeFileSync(path.join(three, "docs", "index.html"), "<p>changed</p>");
            const sites = [new StaticSite("d1", { path: one }), new StaticSite("d2", { path: two }), new StaticSite("d3", { path: three })];
            const digests = await Promise.all(sites.map((s) => valueOf(s.releaseDigest)));
            assert.equal(digests[0], digests[1]);
            assert.notEqual(digests[0], digests[2]);
        });
    });

    it("registers at most 10 resources per site without a custom domain", () => {
        for (const site of ["web", "dev", "app"]) {
            const custom = harness.descendantsOf(harness.get(T.site, site)).filter((r) => r.custom);
            assert.ok(custom.length <= 10, `${site}: ${custom.length}`);
        }
    });
});
