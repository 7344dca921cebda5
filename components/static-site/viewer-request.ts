/**
 * The source of the CloudFront Function (runtime cloudfront-js-2.0) that
 * runs on every viewer request when the site needs one:
 * - `redirects` (host → host): answers 301 to `https://<target><uri>?<query>`,
 *   which is how `wwwRedirect` works without a second bucket;
 * - `directoryIndexes`: `/docs/` and `/docs` are fetched as `/docs/index.html`
 *   (an S3 REST origin has no index documents; CloudFront's
 *   `defaultRootObject` only covers `/`);
 * - `spaFallback`: a path whose last segment has no extension (a client-side
 *   route such as `/orders/42`) is fetched as `/index.html`. Used instead of
 *   CloudFront's 403/404 → index.html error mapping when the distribution
 *   also routes an API (error pages apply to every origin). The function is
 *   associated with the default (site) behavior only, never the API's.
 *
 * Plain ES5-style JavaScript on purpose: CloudFront Functions run a
 * restricted runtime (no require, no network, 10 KB of code).
 */
export function viewerRequestCode(options: { redirects: Record<string, string>; directoryIndexes: boolean; spaFallback?: boolean; indexDocument: string }): string {
    return `var REDIRECTS = ${JSON.stringify(options.redirects)};
var DIRECTORY_INDEXES = ${JSON.stringify(options.directoryIndexes)};
var SPA_FALLBACK = ${JSON.stringify(options.spaFallback ?? false)};
var INDEX_DOCUMENT = ${JSON.stringify(options.indexDocument)};

function queryString(query) {
    var parts = [];
    for (var key in query) {
        var entry = query[key];
        var values = entry.multiValue ? entry.multiValue : [entry];
        for (var i = 0; i < values.length; i++) {
            parts.push(values[i].value === "" ? key : key + "=" + values[i].value);
        }
    }
    return parts.length ? "?" + parts.join("&") : "";
}

function handler(event) {
    var request = event.request;
    var host = request.headers.host ? request.headers.host.value.toLowerCase() : "";
    if (Object.prototype.hasOwnProperty.call(REDIRECTS, host)) {
        return {
            statusCode: 301,
            statusDescription: "Moved Permanently",
            headers: { location: { value: "https://" + REDIRECTS[host] + request.uri + queryString(request.querystring) } },
        };
    }
    if (DIRECTORY_INDEXES) {
        var uri = request.uri;
        if (uri.charAt(uri.length - 1) === "/") {
            request.uri = uri + INDEX_DOCUMENT;
        } else if (uri.lastIndexOf(".") < uri.lastIndexOf("/")) {
            request.uri = uri + "/" + INDEX_DOCUMENT;
        }
    } else if (SPA_FALLBACK && request.uri.lastIndexOf(".") < request.uri.lastIndexOf("/")) {
        request.uri = "/" + INDEX_DOCUMENT;
    }
    return request;
}
`;
}

/**
 * The source of the API behavior's viewer-request function when
 * `api.stripPrefix` is set: `/api/health?x=1` reaches the origin as
 * `/health?x=1` (the query string is a separate field, untouched), `/api`
 * as `/`. Anything else passes as it is.
 */
export function apiRequestCode(prefix: string): string {
    return `var PREFIX = ${JSON.stringify(prefix)};

function handler(event) {
    var request = event.request;
    if (request.uri === PREFIX) {
        request.uri = "/";
    } else if (request.uri.indexOf(PREFIX + "/") === 0) {
        request.uri = request.uri.slice(PREFIX.length);
    }
    return request;
}
`;
}
