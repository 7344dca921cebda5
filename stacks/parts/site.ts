import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ApiOrigin } from "../../components/internal/api-origin";
import { CustomDomain } from "../../components/internal/custom-domain";
import { checkedAs } from "../../components/internal/errors";
import { StaticSite } from "../../components/static-site";
import { resolveStaticSiteArgs, StaticSiteArgs } from "../../components/static-site/args";
import { SiteConfig } from "../config/site";
import { StageContext, StackOutputs, StagePart } from "../stage-context";
import { stageCustomDomain } from "./dns";
import { WEB_PART } from "./web";

/** The project directory (this file is stacks/parts/site.ts): site paths are relative to it. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * The domain the site serves on: the stage's, when CloudFront serves the
 * site. An S3 website endpoint cannot serve it (no TLS), so a dev stage with
 * a domain (for its web tier) serves the site on the endpoint's name.
 * Before DnsAndTls exists (validation), placeholders stand in for its ids
 * (see stageCustomDomain).
 */
function siteDomain(context: StageContext, site: SiteConfig): CustomDomain | undefined {
    return site.hosting === "cloudfront" ? stageCustomDomain(context, "cloudFront") : undefined;
}

/**
 * The web tier's CloudFront origin, when the stage has a web tier that
 * exposes one. WebTier gains `apiOrigin: ApiOrigin` (components/web-tier);
 * read through this accessor so the site part compiles and plans with or
 * without it (until it lands, no API route is added).
 */
export function webApiOrigin(web: pulumi.ComponentResource | undefined): ApiOrigin | undefined {
    return (web as { apiOrigin?: ApiOrigin } | undefined)?.apiOrigin;
}

/**
 * `/api/*` through the site's distribution to the web tier, so the page and
 * its API share one HTTPS origin (the example site calls `/api/health`
 * with a relative URL). The prefix is stripped: the stage's app serves its
 * routes at its root (examples/api answers `/health`, the path WebTier's
 * health check and nginx use). Only with CloudFront hosting: an S3 website
 * endpoint cannot route paths.
 */
function siteApi(context: StageContext, site: SiteConfig): StaticSiteArgs["api"] {
    if (site.hosting !== "cloudfront") return undefined;
    const origin = webApiOrigin(context.components[WEB_PART]);
    return origin ? { origin, stripPrefix: true } : undefined;
}

function siteArgs(context: StageContext, site: SiteConfig): StaticSiteArgs {
    return {
        path: path.resolve(PROJECT_DIR, site.path),
        hosting: site.hosting,
        mode: site.mode,
        priceClass: site.priceClass,
        errorCachingSeconds: site.errorCachingSeconds,
        wwwRedirect: site.wwwRedirect,
        domain: siteDomain(context, site),
        api: siteApi(context, site),
        // Production: old versions kept 30 days, access and CloudFront logs to the stage's log bucket.
        versioning: context.config.production,
        accessLogs: context.accessLogs,
        waf: site.waf,
        // The stage key (production). Not for an S3 website (an acknowledged
        // production weakening): it serves anonymous reads, which S3 refuses
        // for SSE-KMS objects, so that bucket stays SSE-S3.
        kmsKeyArn: site.hosting === "cloudfront" ? context.kmsKeyArn : undefined,
        tags: context.config.tags,
        tagContext: { app: context.app, stage: context.config.stage },
    };
}

/** The id of the stage site's distribution (undefined without a site or CloudFront): the stage key's policy lets it decrypt. */
export function siteDistributionId(context: StageContext): pulumi.Output<string | undefined> | undefined {
    const site = context.components.site;
    return site instanceof StaticSite ? site.distributionId : undefined;
}

/**
 * The stage's static front end. Runs after the other parts: it needs the
 * stage's domain (`context.components.dns`) and the web tier
 * (`context.components.web`, its API origin), both used when the site is
 * served by CloudFront.
 */
export const sitePart: StagePart = {
    name: "site",
    validate(context: StageContext): void {
        checkedAs("webstack:site", () => resolveStaticSiteArgs(siteArgs(context, context.config.site)));
    },
    deploy(context: StageContext): StackOutputs {
        const component = new StaticSite(`${context.config.stage}-site`, siteArgs(context, context.config.site));
        context.components.site = component;
        return {
            siteUrl: component.url,
            siteBucketName: component.bucketName,
            siteDistributionId: component.distributionId,
            siteDomainName: component.domainName,
        };
    },
};
