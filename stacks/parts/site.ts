import * as path from "node:path";
import { CustomDomain } from "../../components/internal/custom-domain";
import { StaticSite } from "../../components/static-site";
import { SiteConfig } from "../config/site";
import { StageContext, StackOutputs, StagePart } from "../stage-context";

/** The project directory (this file is stacks/parts/site.ts): site paths are relative to it. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Anything that can hand out a CloudFront-ready custom domain (DnsAndTls does). */
interface CloudFrontDomainSource {
    cloudFrontDomain(): CustomDomain;
}

function hasCloudFrontDomain(component: unknown): component is CloudFrontDomainSource {
    return typeof (component as Partial<CloudFrontDomainSource> | undefined)?.cloudFrontDomain === "function";
}

/**
 * The stage's static front end. Runs after the other parts: it only needs
 * the stage's domain (`context.components.dns`, anything with a
 * `cloudFrontDomain()` returning the CustomDomain contract), used when the
 * site is served by CloudFront.
 */
export const sitePart: StagePart = {
    name: "site",
    deploy(context: StageContext): StackOutputs {
        const site: SiteConfig = context.config.site;
        // The stage's domain is used when CloudFront serves the site; an S3
        // website endpoint cannot serve it (no TLS), so a dev stage with a
        // domain (for its web tier) serves the site on the endpoint's name.
        const dns = site.hosting === "cloudfront" ? context.components.dns : undefined;
        const component = new StaticSite(`${context.config.stage}-site`, {
            path: path.resolve(PROJECT_DIR, site.path),
            hosting: site.hosting,
            mode: site.mode,
            priceClass: site.priceClass,
            errorCachingSeconds: site.errorCachingSeconds,
            wwwRedirect: site.wwwRedirect,
            domain: hasCloudFrontDomain(dns) ? dns.cloudFrontDomain() : undefined,
            tags: context.config.tags,
            tagContext: { app: context.app, stage: context.config.stage },
        });
        context.components.site = component;
        return {
            siteUrl: component.url,
            siteBucketName: component.bucketName,
            siteDistributionId: component.distributionId,
            siteDomainName: component.domainName,
        };
    },
};
