import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedStaticSiteArgs } from "./args";
import { ApiOrigin } from "../internal/api-origin";
import { apiRequestCode, viewerRequestCode } from "./viewer-request";
import { siteWebAclArn } from "./waf";

/** The managed cache policy the site uses: caches by path only, honours the origin's Cache-Control, gzip and brotli keys. */
export const CACHING_OPTIMIZED_POLICY = "Managed-CachingOptimized";

/** The managed cache policy of the API route: nothing cached, nothing in the cache key. */
export const CACHING_DISABLED_POLICY = "Managed-CachingDisabled";

/**
 * The managed origin request policy of the API route: every viewer header
 * except `Host` (the origin sees its own name, as nginx or a load balancer
 * expects), all query strings and cookies. (CloudFront developer guide,
 * "Use managed origin request policies": AllViewerExceptHostHeader; the API
 * name of managed policies carries the `Managed-` prefix.)
 */
export const ALL_VIEWER_EXCEPT_HOST_POLICY = "Managed-AllViewerExceptHostHeader";

/** Every method CloudFront can forward: an API needs POST, PUT, PATCH and DELETE. */
export const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

/** HSTS max-age: two years, the value hstspreload.org asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** The id CloudFront gives the bucket origin inside the distribution. */
const ORIGIN_ID = "site-bucket";
/** The id of the API's custom origin. */
const API_ORIGIN_ID = "api";

export interface SiteCdn {
    distribution: aws.cloudfront.Distribution;
}

/**
 * CloudFront in front of the private bucket: Origin Access Control (SigV4,
 * always signed), the managed caching-optimised policy (looked up, not
 * created), compression, HTTP/2 and HTTP/3, IPv6, HTTP → HTTPS redirect, a
 * security-headers policy, the error pages of the mode, and the custom
 * domain's certificate with TLS 1.2 (TLSv1.2_2021) at least, and the web
 * ACL when `waf` asks for one.
 */
export function createSiteCdn(
    name: string,
    site: ResolvedStaticSiteArgs,
    bucket: aws.s3.Bucket,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): SiteCdn {
    const accessControl = new aws.cloudfront.OriginAccessControl(
        `${name}-oac`,
        {
            description: `Lets the ${name} distribution read its bucket`,
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        },
        { parent },
    );
    const headers = createSecurityHeaders(name, parent);
    const viewerFunction = createViewerFunction(name, site, tags, parent);
    const cachePolicy = aws.cloudfront.getCachePolicyOutput({ name: CACHING_OPTIMIZED_POLICY }, { parent });
    const domain = site.domain;
    const webAclId = siteWebAclArn(name, site.waf, tags, parent);

    const distribution = new aws.cloudfront.Distribution(
        `${name}-cdn`,
        {
            enabled: true,
            comment: `${name} static site`,
            aliases: domain ? [domain.domainName, ...(domain.aliases ?? [])] : [],
            defaultRootObject: site.indexDocument,
            httpVersion: "http2and3",
            isIpv6Enabled: true,
            priceClass: site.priceClass,
            origins: [
                { originId: ORIGIN_ID, domainName: bucket.bucketRegionalDomainName, originAccessControlId: accessControl.id },
                ...(site.api ? [apiOrigin(site.api.origin)] : []),
            ],
            defaultCacheBehavior: {
                targetOriginId: ORIGIN_ID,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: cachePolicy.apply((policy) => policy.id ?? ""),
                responseHeadersPolicyId: headers.id,
                functionAssociations: viewerFunction ? [{ eventType: "viewer-request", functionArn: viewerFunction.arn }] : [],
            },
            orderedCacheBehaviors: site.api ? [apiBehavior(site.api.pathPattern, headers, createApiFunction(name, site.api.stripPrefix, tags, parent), parent)] : [],
            customErrorResponses: errorResponses(site),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: domain
                ? { acmCertificateArn: domain.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
                : { cloudfrontDefaultCertificate: true },
            webAclId,
            tags,
        },
        { parent },
    );
    return { distribution };
}

/** The API's custom origin: by DNS name, HTTPS only when the origin has a certificate, TLS 1.2. */
function apiOrigin(origin: ApiOrigin): aws.types.input.cloudfront.DistributionOrigin {
    return {
        originId: API_ORIGIN_ID,
        domainName: origin.domainName,
        customOriginConfig: {
            httpPort: origin.httpPort ?? 80,
            httpsPort: origin.httpsPort ?? 443,
            originProtocolPolicy: origin.protocol === "https" ? "https-only" : "http-only",
            originSslProtocols: ["TLSv1.2"],
        },
    };
}

/**
 * The API's cache behavior: no cache, the viewer's request (minus Host)
 * forwarded, every method, HTTPS for viewers. The site's viewer-request
 * function (www redirect, index rewriting, spa fallback) is for pages and
 * is not associated; only the prefix-stripping one, when asked for.
 * No compression by CloudFront (CachingDisabled does not put
 * Accept-Encoding in the cache key, so CloudFront would not compress); the
 * origin receives the viewer's Accept-Encoding and may compress itself.
 */
function apiBehavior(
    pathPattern: string,
    headers: aws.cloudfront.ResponseHeadersPolicy,
    stripFunction: aws.cloudfront.Function | undefined,
    parent: pulumi.Resource,
): aws.types.input.cloudfront.DistributionOrderedCacheBehavior {
    const cachePolicy = aws.cloudfront.getCachePolicyOutput({ name: CACHING_DISABLED_POLICY }, { parent });
    const requestPolicy = aws.cloudfront.getOriginRequestPolicyOutput({ name: ALL_VIEWER_EXCEPT_HOST_POLICY }, { parent });
    return {
        pathPattern,
        targetOriginId: API_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ALL_METHODS,
        cachedMethods: ["GET", "HEAD"],
        compress: false,
        cachePolicyId: cachePolicy.apply((policy) => policy.id ?? ""),
        originRequestPolicyId: requestPolicy.apply((policy) => policy.id ?? ""),
        responseHeadersPolicyId: headers.id,
        functionAssociations: stripFunction ? [{ eventType: "viewer-request", functionArn: stripFunction.arn }] : [],
    };
}

/** The API behavior's function removing `prefix` from the path (api.stripPrefix), named `${name}-api-request`. */
function createApiFunction(name: string, prefix: string | undefined, tags: Record<string, string>, parent: pulumi.Resource): aws.cloudfront.Function | undefined {
    if (prefix === undefined) return undefined;
    return new aws.cloudfront.Function(
        `${name}-api-request`,
        { runtime: "cloudfront-js-2.0", comment: `${name}: strip ${prefix} before the API origin`, code: apiRequestCode(prefix), publish: true, tags },
        { parent },
    );
}

/**
 * What CloudFront answers when S3 cannot serve a path. With OAC and no
 * s3:ListBucket, S3 answers 403 for a missing key, so 403 and 404 are both
 * mapped (AWS, "Restricting access to an Amazon S3 origin").
 *
 * None with an API route: custom error responses belong to the whole
 * distribution, whatever origin answered (CloudFront developer guide,
 * "Generate custom error responses" is configured per distribution, not per
 * behavior), so they would turn the API's 403/404 into the 404 page — or,
 * in spa mode, into index.html with 200. The spa fallback then moves into
 * the viewer-request function (see viewer-request.ts).
 */
export function errorResponses(site: Pick<ResolvedStaticSiteArgs, "mode" | "indexDocument" | "notFoundPage" | "errorCachingSeconds" | "api">) {
    if (site.api) return [];
    const page = site.mode === "spa" ? `/${site.indexDocument}` : `/${site.notFoundPage}`;
    const status = site.mode === "spa" ? 200 : 404;
    return [403, 404].map((errorCode) => ({
        errorCode,
        responseCode: status,
        responsePagePath: page,
        errorCachingMinTtl: site.errorCachingSeconds,
    }));
}

/** HSTS, nosniff, frame options and referrer policy on every answer. */
function createSecurityHeaders(name: string, parent: pulumi.Resource): aws.cloudfront.ResponseHeadersPolicy {
    return new aws.cloudfront.ResponseHeadersPolicy(
        `${name}-headers`,
        {
            comment: `Security headers of the ${name} site`,
            securityHeadersConfig: {
                // No includeSubdomains/preload: they would force HTTPS on
                // sibling hosts this component knows nothing about.
                strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: false, preload: false, override: true },
                contentTypeOptions: { override: true },
                frameOptions: { frameOption: "DENY", override: true },
                referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            },
        },
        { parent },
    );
}

/** The viewer-request function, when the site needs one (directory indexes in static mode, a www redirect, or the spa fallback next to an API). */
function createViewerFunction(
    name: string,
    site: ResolvedStaticSiteArgs,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.cloudfront.Function | undefined {
    const directoryIndexes = site.mode === "static";
    const spaFallback = site.mode === "spa" && site.api !== undefined;
    if (!directoryIndexes && !spaFallback && Object.keys(site.redirects).length === 0) return undefined;
    return new aws.cloudfront.Function(
        `${name}-viewer-request`,
        {
            runtime: "cloudfront-js-2.0",
            comment: `${name}: ${[directoryIndexes ? "directory indexes" : "", spaFallback ? "spa fallback" : "", Object.keys(site.redirects).length ? "www redirect" : ""].filter(Boolean).join(", ")}`,
            code: viewerRequestCode({ redirects: site.redirects, directoryIndexes, spaFallback, indexDocument: site.indexDocument }),
            publish: true,
            tags,
        },
        { parent },
    );
}
