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
});

export type SiteConfig = z.infer<typeof siteSchema>;
