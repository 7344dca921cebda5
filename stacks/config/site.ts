import { z } from "zod";
import { hostingModes, priceClasses, siteModes, wwwRedirects } from "../../components/static-site/args";

/**
 * `webstack:site`: the stage's static front end (StaticSite).
 *
 * ```yaml
 * webstack:site:
 *   path: examples/site        # the built folder, relative to the project
 *   hosting: s3-website        # dev only: HTTP-only S3 website, no CloudFront
 *   mode: static               # or spa
 *   priceClass: PriceClass_100
 *   wwwRedirect: www-to-apex   # when webstack:domain serves both names
 *   waf: true                  # AWS WAF with AWS's common rule set (~$6/month + $0.60 per million requests)
 * ```
 *
 * Every key is optional; `hosting` defaults to `cloudfront` in every layout
 * (DESIGN.md: S3 website hosting is allowed in dev, never the default).
 */
export const siteSchema = z.strictObject({
    /** The built site, relative to the project directory. @default "examples/site" */
    path: z.string().min(1).default("examples/site"),
    /** @default "cloudfront" */
    hosting: z.enum(hostingModes).default("cloudfront"),
    /** @default "static" */
    mode: z.enum(siteModes).default("static"),
    /** CloudFront price class. @default "PriceClass_100" */
    priceClass: z.enum(priceClasses).optional(),
    /** Seconds CloudFront caches error answers. @default 10 */
    errorCachingSeconds: z.number().int().min(0).optional(),
    /** Redirect between the domain and its www. twin (both must be in webstack:domain). */
    wwwRedirect: z.enum(wwwRedirects).optional(),
    /**
     * An AWS WAF web ACL in front of the distribution (AWS managed common
     * rule set). Costs $5/month for the web ACL + $1/month for the rule +
     * $0.60 per million requests (AWS WAF pricing). CloudFront hosting only.
     * @default false
     */
    waf: z.boolean().default(false),
}).superRefine((site, ctx) => {
    if (!site.waf || site.hosting === "cloudfront") return;
    ctx.addIssue({
        code: "custom",
        path: ["waf"],
        input: site.waf,
        message: `a WAF web ACL protects a CloudFront distribution, and hosting "${site.hosting}" has none`,
        params: { fix: "set webstack:site.hosting: cloudfront, or drop webstack:site.waf" },
    });
});

export type SiteConfig = z.infer<typeof siteSchema>;
