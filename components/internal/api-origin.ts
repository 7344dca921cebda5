import * as pulumi from "@pulumi/pulumi";

/**
 * Where CloudFront sends API requests: a web tier reachable by DNS name.
 * WebTier exposes one (`web.apiOrigin`) in every mode; StaticSite's `api`
 * option consumes it, so neither component imports the other.
 *
 * CloudFront forwards the viewer's path as it is (`/api/health`), or without
 * the pattern's prefix (`/health`) when StaticSite's `api.stripPrefix` is set.
 *
 * CloudFront custom origins are addressed by DNS name, never by IP address
 * (CloudFront developer guide, "Origin domain": "you can't use an IP address").
 */
export interface ApiOrigin {
    /** The origin's public DNS name, e.g. the instance's `ec2-…compute.amazonaws.com` or a load balancer's name. */
    domainName: pulumi.Input<string>;
    /**
     * How CloudFront talks to the origin: `https` only when the origin has a
     * certificate valid for `domainName` (a load balancer with one); `http`
     * otherwise (a single instance serves plain HTTP behind nginx).
     */
    protocol: "http" | "https";
    /** @default 80 */
    httpPort?: number;
    /** @default 443 */
    httpsPort?: number;
}
