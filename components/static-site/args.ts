import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogs, resolveAccessLogs } from "../internal/access-logs";
import { ApiOrigin } from "../internal/api-origin";
import { resolveVersioning, Versioning, VersioningArg } from "../internal/bucket-versioning";
import { CustomDomain } from "../internal/custom-domain";
import { COMPUTED_VALUE, invalid } from "../internal/errors";
import { checkKeyArn } from "../internal/kms-key-arn";
import { TagContext } from "../internal/tags";
import { CacheRule, validateCacheRules } from "./sync/cache-rules";
import { checkSiteFolder } from "./folder";

export const hostingModes = ["cloudfront", "s3-website"] as const;
/** Where the site is served from. */
export type Hosting = (typeof hostingModes)[number];

export const siteModes = ["static", "spa"] as const;
/** How unknown paths are answered. */
export type SiteMode = (typeof siteModes)[number];

export const priceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
/** Which CloudFront edge locations serve the site (and what they cost). */
export type PriceClass = (typeof priceClasses)[number];

export const wwwRedirects = ["www-to-apex", "apex-to-www"] as const;
/** Which of a name and its `www.` twin answers with a permanent redirect to the other. */
export type WwwRedirect = (typeof wwwRedirects)[number];

/** A command run before the folder is synced, e.g. the front end's build. */
export interface SiteBuild {
    /**
     * The shell command, run with `/bin/sh -c` (so `npm ci && npm run build` works).
     * It runs while Pulumi evaluates the program (preview and update alike),
     * before the folder is checked and hashed; a non-zero exit fails the run.
     * @example "npm run build"
     */
    command: string;
    /**
     * The working directory of the command.
     * @default the current directory (the Pulumi project)
     */
    cwd?: string;
    /**
     * Extra environment variables for the command, on top of the program's own.
     * @example { VITE_API_URL: "https://api.example.com" }
     */
    environment?: Record<string, string>;
}

/** An API served on the site's own domain, through the site's CloudFront distribution. */
export interface StaticSiteApi {
    /**
     * Where CloudFront sends the API's requests: a web tier reachable by DNS
     * name (`WebTier.apiOrigin` in every mode).
     * @example web.apiOrigin
     */
    origin: ApiOrigin;
    /**
     * The CloudFront path pattern of the API's requests (`*` matches any
     * characters, `?` one). It must not be `*` or `/*` (that is the site).
     * @default "/api/*"
     * @example "/v1/*"
     */
    pathPattern?: string;
    /**
     * Remove the pattern's prefix before the request reaches the origin
     * (`/api/health` → `/health`), for an API that serves its routes at its
     * root — as webstack's example API and WebTier's health check do. A
     * CloudFront Function on the API behavior does it (CloudFront itself
     * can add an origin path, never remove one). Needs a pattern of the form
     * `/<prefix>/*`.
     * @default false: the origin sees the path as the viewer sent it
     */
    stripPrefix?: boolean;
}

/**
 * An existing AWS WAF web ACL to attach instead of creating one (one ACL
 * can protect several distributions, and each ACL is billed).
 */
export interface StaticSiteWaf {
    /**
     * The ARN of a WAFv2 web ACL of scope `CLOUDFRONT` (in us-east-1).
     * @example "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/0f1e2d3c-..."
     */
    webAclArn: pulumi.Input<string>;
}

/** The default path pattern of {@link StaticSiteApi}. */
export const DEFAULT_API_PATH_PATTERN = "/api/*";

/** The arguments of {@link StaticSite}. */
export interface StaticSiteArgs {
    /**
     * The folder whose files are published (the build output), relative to
     * the current directory (the Pulumi project) or absolute. It must hold at
     * least one file, `index.html`, and in `static` mode the `notFoundPage`.
     * @example "examples/site"
     */
    path: string;
    /**
     * A command that produces `path`, run before the sync. Without it, the
     * folder must already be built.
     * @default no build step
     * @example { command: "npm run build", cwd: "frontend", environment: { NODE_ENV: "production" } }
     */
    build?: SiteBuild;
    /**
     * `cloudfront`: a private bucket that only this site's CloudFront
     * distribution can read (Origin Access Control), HTTPS, HTTP/2 and 3,
     * IPv6, security headers, an optional custom domain.
     *
     * `s3-website`: the bucket's own website endpoint, for development. It is
     * **HTTP only** (S3 website endpoints do not speak HTTPS), has no custom
     * domain or security headers, and makes every published object readable
     * by anyone (the sync's own manifest excepted). Missing pages answer 403
     * (anonymous readers may not list the bucket), with the error page.
     * @default "cloudfront"
     */
    hosting?: Hosting;
    /**
     * `static`: a path without a file answers the `notFoundPage` with status
     * 404 (S3 answers 403 for missing keys; CloudFront maps it to 404), and
     * `/docs/` or `/docs` serve `docs/index.html`.
     *
     * `spa`: a path without a file answers `index.html` with status 200, so a
     * client-side router can take over. (In `s3-website` hosting the status
     * stays 403: S3 website endpoints cannot change it.)
     * @default "static"
     */
    mode?: SiteMode;
    /**
     * The page served for missing paths in `static` mode, relative to `path`.
     * @default "404.html"
     */
    notFoundPage?: string;
    /**
     * How long (seconds) CloudFront caches an error answer (the 404 page, or
     * `index.html` for an unknown SPA route) before asking the bucket again.
     * Short by default so a page published after a 404 appears quickly.
     * @default 10
     */
    errorCachingSeconds?: number;
    /**
     * CloudFront price class: `PriceClass_100` (North America, Europe,
     * Israel), `PriceClass_200` (adds most of Asia, Africa, the Middle
     * East), `PriceClass_All`.
     * @default "PriceClass_100"
     */
    priceClass?: PriceClass;
    /**
     * Serve the site on a custom domain (CloudFront hosting only). The
     * certificate must be in us-east-1 and cover `domainName` and `aliases`;
     * DnsAndTls's `cloudFrontDomain()` returns one ready to pass. A and AAAA
     * alias records are created in `hostedZoneId` for every name.
     * @default the distribution's own `*.cloudfront.net` name
     */
    domain?: CustomDomain;
    /**
     * Answer one of a name and its `www.` twin with a 301 to the other, from
     * the same distribution (no second bucket). Both names must be among
     * `domain.domainName` and `domain.aliases`.
     * @default no redirect: every name serves the site
     * @example "www-to-apex" // www.example.com/x → https://example.com/x
     */
    wwwRedirect?: WwwRedirect;
    /**
     * Cache-Control rules for the uploaded files, tried in order before the
     * defaults (fingerprinted files such as `app.3f9a1c2b.js` are cached a
     * year as immutable; everything else is revalidated on every request).
     * @default []
     * @example [{ glob: "downloads/**", cacheControl: "public, max-age=3600" }]
     */
    cacheRules?: CacheRule[];
    /**
     * Keep the fingerprinted files of the previous release for one more
     * release, so pages loaded before a deploy can still fetch their chunks.
     * @default true
     */
    keepPreviousAssets?: boolean;
    /**
     * After a sync, CloudFront is told to forget the changed paths that are
     * not immutable; above this many paths it is told to forget everything
     * (`/*`, billed as one path; the first 1,000 paths a month are free).
     * @default 25
     */
    invalidationThreshold?: number;
    /**
     * Replace DNS records of the same names that already exist in the zone.
     * @default false
     */
    allowRecordOverwrite?: boolean;
    /**
     * Serve an API on the same domain as the site (CloudFront hosting only):
     * requests matching `pathPattern` go to `origin`, never cached, with the
     * viewer's headers (except `Host`), query string and cookies, over HTTPS
     * to the origin when it has a certificate, all HTTP methods allowed. The
     * page then calls the API with relative URLs (`fetch("/api/health")`):
     * no CORS, no mixed content.
     *
     * With `api`, CloudFront's custom error pages are off (they apply to
     * every origin and would replace the API's own 403/404 answers): in
     * `spa` mode the viewer-request function serves `index.html` for
     * extension-less paths instead; in `static` mode a missing page answers
     * S3's 403 instead of the `notFoundPage`.
     * @default no API route
     * @example { origin: web.apiOrigin }
     */
    api?: StaticSiteApi;
    /**
     * Keep previous versions of the site's objects (S3 versioning), deleted
     * after `noncurrentVersionDays` (30 with `true`) by a lifecycle rule, so
     * a bad publish can be rolled back object by object. Stage programs turn
     * it on in production. Costs the storage of the kept versions.
     * @default false
     * @example true
     */
    versioning?: VersioningArg;
    /**
     * Access logs to a log bucket: the site bucket's S3 server access logs
     * under `<prefix>${name}/` and, with CloudFront hosting, the
     * distribution's standard logs (v2, through CloudWatch Logs vended log
     * delivery) under `AWSLogs/<account>/CloudFront/<prefix>cloudfront/${name}/`.
     * See {@link AccessLogs} for what the log bucket must allow. CloudFront
     * standard logs v2 to S3 are billed by CloudWatch as vended logs
     * (~$0.25/GB delivered, CloudWatch pricing "Vended logs"), plus storage.
     * @default no access logs
     * @example { bucket: logBucket.bucket, prefix: "site/" }
     */
    accessLogs?: AccessLogs;
    /**
     * Put an AWS WAF web ACL in front of the distribution (CloudFront
     * hosting only). `true` creates one, `${name}-waf`, in us-east-1 (scope
     * `CLOUDFRONT`): default action allow, AWS's managed common rule set
     * (`AWSManagedRulesCommonRuleSet`: OWASP-style checks on request size,
     * bad bots, path traversal, XSS...) blocking what it matches, with
     * CloudWatch metrics and sampled requests. `{ webAclArn }` attaches an
     * existing one instead.
     *
     * Cost (AWS WAF pricing, 2026): $5 per web ACL a month + $1 per rule
     * (the managed group counts as one) + $0.60 per million requests. That
     * is ~$6/month plus $0.60 per million requests for `true`.
     * @default false (no web ACL)
     * @example true
     */
    waf?: boolean | StaticSiteWaf;
    /**
     * A customer managed KMS key (its key ARN, not an alias) that encrypts
     * the site's bucket: SSE-KMS with an S3 Bucket Key instead of SSE-S3.
     * The distribution reads the objects through its OAC, so the key's
     * policy must let `cloudfront.amazonaws.com` call `kms:Decrypt` with
     * `AWS:SourceArn` = this site's distribution ARN (CloudFront developer
     * guide, "Restrict access to an Amazon S3 origin", SSE-KMS): the key's
     * owner writes that policy (the stack program does for its stage key,
     * stacks/stage-key.ts). CloudFront hosting only: an S3 website endpoint
     * serves anonymous requests, which S3 refuses for SSE-KMS objects.
     * Changing it encrypts new uploads with the new key; existing objects
     * keep theirs until the next sync rewrites them.
     * @default undefined: SSE-S3 (AES256, AWS managed)
     * @example stageKey.arn
     */
    kmsKeyArn?: pulumi.Input<string>;
    /** Extra tags on every taggable resource. @default {} */
    tags?: Record<string, string>;
    /** The app and stage names in the tags. @default the Pulumi project and stack */
    tagContext?: Partial<TagContext>;
}

/** StaticSiteArgs with every default filled in and every rule checked. */
export interface ResolvedStaticSiteArgs {
    /** Absolute path of the folder. */
    folder: string;
    build?: { command: string; cwd: string; environment: Record<string, string> };
    hosting: Hosting;
    mode: SiteMode;
    indexDocument: string;
    notFoundPage: string;
    errorCachingSeconds: number;
    priceClass: PriceClass;
    domain?: CustomDomain;
    /** Host → host it redirects to (empty without `wwwRedirect`). */
    redirects: Record<string, string>;
    cacheRules: CacheRule[];
    keepPreviousAssets: boolean;
    invalidationThreshold: number;
    allowRecordOverwrite: boolean;
    /** The API route, when there is one. */
    api?: { origin: ApiOrigin; pathPattern: string; /** The prefix removed before the origin (e.g. "/api"), when `stripPrefix`. */ stripPrefix?: string };
    /** Bucket versioning, when on. */
    versioning?: Versioning;
    /** Where access logs go, when on. */
    accessLogs?: Required<AccessLogs>;
    /** The web ACL: created by the component, or an existing one; undefined when off. */
    waf?: { create: true } | StaticSiteWaf;
    /** The key of the bucket's SSE-KMS encryption; undefined for SSE-S3. */
    kmsKeyArn?: pulumi.Input<string>;
    tags: Record<string, string>;
    tagContext: Partial<TagContext>;
}

/** The page every site must have: it is served for `/` and, in SPA mode, for unknown routes. */
export const INDEX_DOCUMENT = "index.html";

/**
 * Checks StaticSite's args and fills in the defaults. Creates no resource;
 * throws a ConfigError naming the arg. The folder checks (exists, has files,
 * has the pages the mode serves) run here unless a `build` will produce the
 * folder, in which case the component runs them right after the build.
 */
export function resolveStaticSiteArgs(args: StaticSiteArgs): ResolvedStaticSiteArgs {
    if (typeof args !== "object" || args === null) {
        invalid("args", args, "StaticSite needs its arguments", 'pass at least { path: "dist" }');
    }
    const folder = resolveFolder(args.path);
    const build = resolveBuild(args.build);
    const hosting = oneOf("hosting", args.hosting ?? "cloudfront", hostingModes);
    const mode = oneOf("mode", args.mode ?? "static", siteModes);
    const notFoundPage = resolvePagePath("notFoundPage", args.notFoundPage ?? "404.html");
    const errorCachingSeconds = wholeNumber("errorCachingSeconds", args.errorCachingSeconds ?? 10, 0, 31_536_000);
    const priceClass = oneOf("priceClass", args.priceClass ?? "PriceClass_100", priceClasses);
    const invalidationThreshold = wholeNumber("invalidationThreshold", args.invalidationThreshold ?? 25, 1, 3000);
    const cacheRules = validateCacheRules(args.cacheRules, "cacheRules");
    if (args.domain !== undefined && hosting === "s3-website") {
        invalid(
            "domain",
            args.domain.domainName,
            "S3 website hosting cannot serve a custom domain over HTTPS (and over HTTP only from a bucket named after the domain)",
            'use hosting: "cloudfront" for a custom domain, or drop domain for a dev site',
        );
    }
    if (args.domain !== undefined) checkDomain(args.domain);
    const redirects = resolveRedirects(args.wwwRedirect, args.domain, hosting);
    if (args.keepPreviousAssets !== undefined && typeof args.keepPreviousAssets !== "boolean") {
        invalid("keepPreviousAssets", args.keepPreviousAssets, "it must be true or false", "write keepPreviousAssets: false, or leave it out");
    }
    const resolved: ResolvedStaticSiteArgs = {
        folder,
        build,
        hosting,
        mode,
        indexDocument: INDEX_DOCUMENT,
        notFoundPage,
        errorCachingSeconds,
        priceClass,
        domain: args.domain,
        redirects,
        cacheRules,
        keepPreviousAssets: args.keepPreviousAssets ?? true,
        invalidationThreshold,
        allowRecordOverwrite: args.allowRecordOverwrite ?? false,
        api: resolveApi(args.api, hosting),
        versioning: resolveVersioning("versioning", args.versioning),
        accessLogs: resolveAccessLogs("accessLogs", args.accessLogs),
        waf: resolveWaf(args.waf, hosting),
        kmsKeyArn: resolveKmsKeyArn(args.kmsKeyArn, hosting),
        tags: args.tags ?? {},
        tagContext: args.tagContext ?? {},
    };
    // A build produces the folder later; its checks then run after the build.
    if (!build) checkSiteFolder(resolved);
    return resolved;
}

function resolveFolder(value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") {
        invalid("path", value, "StaticSite needs the folder to publish", 'set path to the build output, e.g. path: "dist"');
    }
    return path.resolve(value);
}

function resolveBuild(build: SiteBuild | undefined): ResolvedStaticSiteArgs["build"] {
    if (build === undefined) return undefined;
    if (typeof build !== "object" || build === null) {
        invalid("build", build, "build must be an object", 'write build: { command: "npm run build" }');
    }
    if (typeof build.command !== "string" || build.command.trim() === "") {
        invalid("build.command", build.command, "the build has no command", 'write build: { command: "npm run build" }, or drop build if the folder is already built');
    }
    const environment = build.environment ?? {};
    for (const [key, value] of Object.entries(environment)) {
        if (typeof value !== "string") {
            invalid(`build.environment.${key}`, value, "environment values must be strings", `write ${key}: ${JSON.stringify(String(value))}`);
        }
    }
    return { command: build.command, cwd: path.resolve(build.cwd ?? "."), environment };
}

function oneOf<T extends string>(setting: string, value: unknown, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) {
        invalid(setting, value, `it is not one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, `set ${setting} to one of ${allowed.join(" | ")}`);
    }
    return value as T;
}

function wholeNumber(setting: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        invalid(setting, value, `it must be a whole number from ${min} to ${max}`, `set ${setting} to a whole number in that range`);
    }
    return value;
}

/** A page path relative to the folder: `404.html`, `errors/404.html`. */
function resolvePagePath(setting: string, value: unknown): string {
    if (typeof value !== "string" || value === "" || value.startsWith("/") || value.split("/").some((s) => s === "" || s === "." || s === "..")) {
        invalid(setting, value, "it must be a file path relative to the site folder", 'write e.g. "404.html" or "errors/404.html"');
    }
    return value;
}

function checkDomain(domain: CustomDomain): void {
    if (typeof domain !== "object" || domain === null || typeof domain.domainName !== "string" || domain.domainName === "") {
        invalid("domain.domainName", (domain as Partial<CustomDomain>)?.domainName, "the custom domain has no name", "pass the CustomDomain DnsAndTls returns, or { domainName, certificateArn, hostedZoneId }");
    }
    const names = [domain.domainName, ...(domain.aliases ?? [])];
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) {
        invalid("domain.aliases", domain.aliases, `${duplicate} is listed twice; CloudFront rejects duplicate alternate names`, "list each name once");
    }
}

/**
 * The host → host redirects `wwwRedirect` asks for: every pair of served
 * names `x` / `www.x` gives one redirect in the chosen direction.
 */
function resolveRedirects(choice: unknown, domain: CustomDomain | undefined, hosting: Hosting): Record<string, string> {
    if (choice === undefined) return {};
    const direction = oneOf("wwwRedirect", choice, wwwRedirects);
    if (hosting !== "cloudfront") {
        invalid("wwwRedirect", direction, "the redirect is done by a CloudFront function, and s3-website hosting has no CloudFront", 'use hosting: "cloudfront", or drop wwwRedirect');
    }
    // DNS names are case-insensitive and the function compares with the
    // lower-cased Host header, so the table is built from lower-case names.
    const names = domain ? [domain.domainName, ...(domain.aliases ?? [])].map((name) => name.toLowerCase()) : [];
    const pairs = names.filter((name) => name.startsWith("www.") && names.includes(name.slice(4)));
    if (pairs.length === 0) {
        invalid(
            "wwwRedirect",
            direction,
            `the domain must serve both a name and its www. twin (it serves ${names.length ? names.join(", ") : "no custom name"})`,
            'serve both, e.g. domain: { domainName: "example.com", aliases: ["www.example.com"], ... }',
        );
    }
    return Object.fromEntries(pairs.map((www) => (direction === "www-to-apex" ? [www, www.slice(4)] : [www.slice(4), www])));
}

/** CloudFront path patterns: up to 255 of these characters (CloudFront developer guide, "Path pattern"). */
const PATH_PATTERN = /^[A-Za-z0-9_\-.*$/~"'@:+?&]{1,255}$/;

/**
 * The bucket's key. S3 refuses an anonymous GET of an SSE-KMS object
 * (AWS re:Post knowledge center, "s3-kms-signature-version-error": an
 * anonymous request gets "Requests specifying Server Side Encryption with
 * AWS KMS managed keys require AWS Signature Version 4"), and an S3 website
 * endpoint only serves anonymous requests: the site would answer errors.
 */
function resolveKmsKeyArn(value: unknown, hosting: Hosting): pulumi.Input<string> | undefined {
    const key = checkKeyArn("kmsKeyArn", value);
    if (key !== undefined && hosting === "s3-website") {
        invalid(
            "kmsKeyArn",
            typeof key === "string" ? key : COMPUTED_VALUE,
            "an S3 website endpoint serves anonymous requests, and S3 refuses anonymous reads of SSE-KMS objects",
            'use hosting: "cloudfront" (its OAC signs requests and the key policy can let it decrypt), or drop kmsKeyArn for s3-website hosting',
        );
    }
    return key;
}

function resolveApi(api: StaticSiteApi | undefined, hosting: Hosting): ResolvedStaticSiteArgs["api"] {
    if (api === undefined) return undefined;
    if (hosting !== "cloudfront") {
        invalid("api", { pathPattern: api?.pathPattern ?? DEFAULT_API_PATH_PATTERN }, `the API is routed by CloudFront, and hosting "${hosting}" has no CloudFront`, 'use hosting: "cloudfront", or drop api and call the API on its own URL');
    }
    if (typeof api !== "object" || api === null || typeof api.origin !== "object" || api.origin === null) {
        invalid("api.origin", (api as Partial<StaticSiteApi>)?.origin, "the API needs its origin", "pass { origin: web.apiOrigin } (WebTier exposes one)");
    }
    const { origin } = api;
    if (origin.protocol !== "http" && origin.protocol !== "https") {
        invalid("api.origin.protocol", origin.protocol, 'it must be "http" or "https"', 'use "https" only when the origin has a certificate for its DNS name, else "http"');
    }
    if (typeof origin.domainName === "string") checkOriginDomain(origin.domainName);
    for (const key of ["httpPort", "httpsPort"] as const) {
        const port = origin[key];
        // CloudFront custom origins accept 80, 443 and 1024-65535 (CloudFront developer guide, "HTTP port").
        if (port !== undefined && !(Number.isInteger(port) && (port === 80 || port === 443 || (port >= 1024 && port <= 65535)))) {
            invalid(`api.origin.${key}`, port, "CloudFront connects to ports 80, 443 and 1024-65535 only", `leave ${key} out (80/443) or use a port in that range`);
        }
    }
    const pathPattern = api.pathPattern ?? DEFAULT_API_PATH_PATTERN;
    if (typeof pathPattern !== "string" || !PATH_PATTERN.test(pathPattern)) {
        invalid("api.pathPattern", pathPattern, "it must be a CloudFront path pattern: up to 255 letters, digits and _-.*$/~\"'@:+?&", 'write e.g. "/api/*"');
    }
    if (pathPattern === "*" || pathPattern === "/*") {
        invalid("api.pathPattern", pathPattern, "it would send the whole site to the API (it is the default behavior's pattern)", 'use a prefix, e.g. "/api/*"');
    }
    if (api.stripPrefix !== undefined && typeof api.stripPrefix !== "boolean") {
        invalid("api.stripPrefix", api.stripPrefix, "it must be true or false", "write stripPrefix: true, or leave it out");
    }
    if (!api.stripPrefix) return { origin, pathPattern };
    const prefix = /^(\/[A-Za-z0-9_\-.~@:+]+(?:\/[A-Za-z0-9_\-.~@:+]+)*)\/\*$/.exec(pathPattern)?.[1];
    if (!prefix) {
        invalid("api.pathPattern", pathPattern, "stripPrefix needs a pattern of the form /<prefix>/* (without other wildcards)", 'write e.g. pathPattern: "/api/*", or drop stripPrefix');
    }
    return { origin, pathPattern, stripPrefix: prefix };
}

/** CloudFront custom origins are DNS names: no scheme, no path, no IP address (CloudFront developer guide, "Origin domain"). */
function checkOriginDomain(domainName: string): void {
    if (domainName === "" || /[/:]/.test(domainName)) {
        invalid("api.origin.domainName", domainName, "it must be a bare DNS name (no scheme, port or path)", 'write e.g. "ec2-3-120-1-2.eu-central-1.compute.amazonaws.com"');
    }
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(domainName)) {
        invalid("api.origin.domainName", domainName, "CloudFront cannot use an IP address as an origin", "use the instance's public DNS name or a DNS record pointing at it");
    }
}

/** WAF protects a CloudFront distribution; S3 website hosting has none. */
function resolveWaf(waf: unknown, hosting: Hosting): ResolvedStaticSiteArgs["waf"] {
    if (waf === undefined || waf === false) return undefined;
    const existing = waf as Partial<StaticSiteWaf> | null;
    const attach = typeof existing === "object" && existing !== null && (typeof existing.webAclArn === "string" || pulumi.Output.isInstance(existing.webAclArn));
    if (waf !== true && !attach) {
        invalid("waf", waf, "it must be true, false or { webAclArn }", "write waf: true to create a web ACL, or leave it out");
    }
    if (hosting !== "cloudfront") {
        invalid("waf", waf, `a web ACL protects a CloudFront distribution, and hosting "${hosting}" has none`, 'use hosting: "cloudfront", or drop waf');
    }
    if (waf === true) return { create: true };
    const arn = (existing as StaticSiteWaf).webAclArn;
    // CloudFront takes a WAFv2 ACL by ARN, and only a global (CLOUDFRONT-scope) one (CloudFront API reference, DistributionConfig WebACLId).
    if (typeof arn === "string" && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(arn)) {
        invalid("waf.webAclArn", arn, "it is not the ARN of a WAFv2 web ACL of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)", "pass the web ACL's ARN (not its id or name)");
    }
    return { webAclArn: arn };
}
