import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ApiOrigin } from "../../components/internal/api-origin";
import { StaticSite } from "../../components/static-site";
import { Harness, valueOf } from "../../components/testing";
import { parseStageConfig } from "../../stacks/config";
import { placeholderNetwork } from "../../stacks/network";
import { sitePart } from "../../stacks/parts/site";
import { PlanDocument, PlannedResource, planStage, REPO_ROOT } from "../../stacks/plan/plan-document";
import { loadStageFile } from "../../stacks/plan/stage-file";

const SITE = "webstack:index:StaticSite";
const CDN = "aws:cloudfront/distribution:Distribution";
const WEBSITE = "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration";
const SYNC = "pulumi-nodejs:dynamic:Resource";

/** True once WebTier exposes `apiOrigin` (components/web-tier, landing from another branch): the stages then route /api/* to it. */
const webTierHasApiOrigin = () => /readonly apiOrigin\b/.test(fs.readFileSync(path.join(REPO_ROOT, "components", "web-tier", "index.ts"), "utf8"));

function childrenOf(plan: PlanDocument, parent: string, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.parent === parent && r.type === type);
}

describe("stage files: StaticSite (webstack:site)", () => {
    for (const stage of ["staging", "prod"]) {
        describe(stage, () => {
            let plan: PlanDocument;
            before(async () => {
                plan = await planStage({ stage });
            });

            it("serves examples/site through CloudFront on the stage's domain", () => {
                assert.equal(plan.resources.filter((r) => r.type === SITE).length, 1);
                const [cdn] = childrenOf(plan, `${stage}-site`, CDN);
                assert.ok(cdn, "a distribution");
                assert.equal(childrenOf(plan, `${stage}-site`, WEBSITE).length, 0);
                const domain = plan.outputs.domainName as string;
                assert.ok((cdn.inputs.aliases as string[]).includes(domain));
                assert.equal(plan.outputs.siteUrl, `https://${domain}`);
                assert.equal((cdn.inputs.viewerCertificate as { minimumProtocolVersion: string }).minimumProtocolVersion, "TLSv1.2_2021");
            });

            it("publishes the folder with one sync resource", () => {
                const syncs = childrenOf(plan, `${stage}-site`, SYNC);
                assert.equal(syncs.length, 1);
                assert.match(String(syncs[0].inputs.folder), /examples[/\\]site$/);
                assert.equal(syncs[0].inputs.__provider, undefined, "the plan leaves out the serialized provider");
            });
        });
    }

    it("prod redirects www to the apex from the distribution's function", async () => {
        const plan = await planStage({ stage: "prod" });
        const [fn] = childrenOf(plan, "prod-site", "aws:cloudfront/function:Function");
        assert.match(String(fn.inputs.code), /"www\.shop\.example\.com":"shop\.example\.com"/);
    });

    it("validates the www redirect against the names DnsAndTls will serve (normalized), as it deploys", async () => {
        // Upper case and a trailing dot are valid in webstack:domain; DnsAndTls
        // lower-cases them, so the site's pre-deploy check must see the same names.
        const plan = await planStage({ stage: "prod", overrides: ["webstack:domain.name=Shop.Example.com."] });
        const [fn] = childrenOf(plan, "prod-site", "aws:cloudfront/function:Function");
        assert.match(String(fn.inputs.code), /"www\.shop\.example\.com":"shop\.example\.com"/);
    });

    describe("dev", () => {
        let plan: PlanDocument;
        before(async () => {
            plan = await planStage({ stage: "dev" });
        });

        it("uses S3 website hosting (HTTP only) and no CloudFront", () => {
            assert.equal(childrenOf(plan, "dev-site", WEBSITE).length, 1);
            assert.equal(plan.resources.filter((r) => r.type === CDN).length, 0);
            assert.match(String(plan.outputs.siteUrl), /^http:\/\/dev-site-bucket-.*\.s3-website-eu-west-1\.amazonaws\.com$/);
        });

        it("can be switched to CloudFront by configuration alone", async () => {
            const switched = await planStage({ stage: "dev", overrides: ["webstack:site.hosting=cloudfront", "webstack:site.mode=spa"] });
            const [cdn] = childrenOf(switched, "dev-site", CDN);
            if (webTierHasApiOrigin()) {
                // Next to the web tier's API, the spa fallback is the viewer function's (error pages would hit the API too).
                const [fn] = childrenOf(switched, "dev-site", "aws:cloudfront/function:Function");
                assert.match(String(fn.inputs.code), /var SPA_FALLBACK = true;/);
            } else {
                assert.equal((cdn.inputs.customErrorResponses as { responseCode: number }[])[0].responseCode, 200);
            }
        });


        it("rejects an unknown hosting in the stage file, naming the key", async () => {
            await assert.rejects(planStage({ stage: "dev", overrides: ["webstack:site.hosting=netlify"] }), /webstack:site\.hosting/);
        });
    });

    describe("one domain for the site and the API", () => {
        /** A stand-in for the stage's WebTier: any component exposing `apiOrigin`. */
        class FakeWebTier extends pulumi.ComponentResource {
            readonly apiOrigin: ApiOrigin;
            constructor(name: string, apiOrigin: ApiOrigin) {
                super("test:index:FakeWebTier", name, {}, {});
                this.apiOrigin = apiOrigin;
            }
        }

        async function deploySite(stage: string, web?: (name: string) => pulumi.ComponentResource): Promise<{ harness: Harness; site: StaticSite }> {
            const file = loadStageFile(REPO_ROOT, stage);
            const harness = await Harness.start({ stack: stage, config: file.config, secretKeys: file.secretKeys, hostedZones: ["example.com"] });
            const config = parseStageConfig(file.config, stage);
            const components: Record<string, pulumi.ComponentResource> = web ? { web: web(`${stage}-web`) } : {};
            sitePart.deploy({ config, app: "webstack", network: placeholderNetwork(config.network), components });
            await harness.settled();
            return { harness, site: components.site as StaticSite };
        }

        for (const stage of ["staging", "prod"]) {
            it(`${stage}: routes /api/* through CloudFront to the web tier's origin`, async () => {
                const origin: ApiOrigin = { domainName: pulumi.output(`ec2-3-120-1-2.${stage}.compute.amazonaws.com`), protocol: "http" };
                const { harness, site } = await deploySite(stage, (name) => new FakeWebTier(name, origin));
                const cdn = harness.inputsOf(harness.get(CDN, `${stage}-site-cdn`));
                const apiOrigin = cdn.origins.find((o: { originId: string }) => o.originId === cdn.orderedCacheBehaviors[0].targetOriginId);
                assert.equal(cdn.orderedCacheBehaviors[0].pathPattern, "/api/*");
                assert.equal(apiOrigin.domainName, await valueOf(origin.domainName));
                assert.equal(apiOrigin.customOriginConfig.originProtocolPolicy, "http-only");
                // The example API answers /health: /api/health reaches it with the prefix stripped.
                const strip = harness.inputsOf(harness.get("aws:cloudfront/function:Function", `${stage}-site-api-request`));
                assert.match(strip.code, /var PREFIX = "\/api";/);
                // The page calls /api/health on its own https:// origin.
                assert.match(await valueOf(site.url), /^https:\/\//);
            });
        }

        it("adds no API route when the stage has no web tier", async () => {
            const { harness } = await deploySite("prod");
            assert.deepEqual(harness.inputsOf(harness.get(CDN, "prod-site-cdn")).orderedCacheBehaviors, []);
        });

        for (const stage of ["staging", "prod"]) {
            it(`${stage} plan (whole program): /api/* reaches the stage's WebTier by DNS name`, async function () {
                if (!webTierHasApiOrigin()) this.skip();
                const plan = await planStage({ stage });
                const [cdn] = childrenOf(plan, `${stage}-site`, CDN);
                const behaviors = cdn.inputs.orderedCacheBehaviors as { pathPattern: string; targetOriginId: string }[];
                assert.equal(behaviors[0].pathPattern, "/api/*");
                const origin = (cdn.inputs.origins as { originId: string; domainName: string }[]).find((o) => o.originId === behaviors[0].targetOriginId)!;
                assert.match(origin.domainName, /[a-z]/, "a DNS name, not an IP address");
                assert.doesNotMatch(origin.domainName, /^\d+(\.\d+){3}$/);
            });
        }
    });
});
