import * as assert from "node:assert/strict";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";

const SITE = "webstack:index:StaticSite";
const CDN = "aws:cloudfront/distribution:Distribution";
const WEBSITE = "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration";
const SYNC = "pulumi-nodejs:dynamic:Resource";

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
            assert.equal((cdn.inputs.customErrorResponses as { responseCode: number }[])[0].responseCode, 200);
        });

        it("rejects an unknown hosting in the stage file, naming the key", async () => {
            await assert.rejects(planStage({ stage: "dev", overrides: ["webstack:site.hosting=netlify"] }), /webstack:site\.hosting/);
        });
    });
});
