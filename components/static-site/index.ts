import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkComponentName } from "../internal/component-name";
import { createAliasRecords } from "../internal/custom-domain";
import { defaultTagContext } from "../internal/context";
import { standardTags } from "../internal/tags";
import { ResolvedStaticSiteArgs, resolveStaticSiteArgs, StaticSiteArgs } from "./args";
import { cloudFrontReadPolicy, createBucketPolicy, publicReadPolicy } from "./bucket-policy";
import { createSiteBucket, createWebsiteConfiguration } from "./bucket";
import { runBuild } from "./build";
import { createSiteCdn } from "./cdn";
import { checkSiteFolder, folderDigest } from "./folder";
import { SiteSync } from "./site-sync-resource";
import { syncAwsSettings } from "./sync-aws-settings";

export * from "./args";
export { SiteSync, SiteSyncInputs, SiteSyncOutputs } from "./site-sync-resource";

/**
 * A static web site published from a local folder to S3, served by
 * CloudFront (or, for development, by S3 website hosting).
 *
 * ```ts
 * const site = new StaticSite("site", { path: "dist" });
 * export const url = site.url;
 * ```
 *
 * Children (names derive from `name`):
 * - always: `${name}-bucket` (private, encrypted, ACLs off), `${name}-ownership`,
 *   `${name}-public-access`, `${name}-encryption`, `${name}-policy`, and
 *   `${name}-sync`, ONE resource that publishes the whole folder;
 * - `cloudfront`: `${name}-oac`, `${name}-headers`, `${name}-cdn`, plus
 *   `${name}-viewer-request` in static mode, with `wwwRedirect` or in spa
 *   mode with `api`, `${name}-api-request` with `api.stripPrefix`, and
 *   `${name}-dns-<host>-a`/`-aaaa` per name of a custom domain;
 * - `s3-website`: `${name}-website`.
 *
 * Cost per month at the defaults (cloudfront, PriceClass_100, a 50 MB site,
 * 100,000 page views of ~1 MB): S3 storage ~$0.01 and requests ~$0.05;
 * CloudFront's always-free tier covers 1 TB out and 10 M requests, so $0
 * up to there, then ~$0.085/GB (North America/Europe); the CloudFront
 * Function $0.10 per million requests (free tier 2 M); invalidations: the
 * first 1,000 paths a month free, then $0.005 per path. A custom domain adds
 * the hosted zone ($0.50, owned by DnsAndTls). With `api`, API calls are
 * CloudFront requests (same free tier, then ~$0.01 per 10,000 HTTPS
 * requests). `s3-website`: S3 only, out
 * to the internet at ~$0.09/GB after the free 100 GB.
 */
export class StaticSite extends pulumi.ComponentResource {
    /** Where the site answers: `https://<domain or *.cloudfront.net>` or the `http://` S3 website endpoint. */
    readonly url: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    /** The CloudFront distribution id (undefined for `s3-website` hosting). */
    readonly distributionId: pulumi.Output<string | undefined>;
    /** The host name the site answers on (custom domain, CloudFront name or website endpoint). */
    readonly domainName: pulumi.Output<string>;
    /** The digest of the published release (the sync engine's manifest digest). */
    readonly releaseDigest: pulumi.Output<string>;
    /** How many files the release has. */
    readonly fileCount: pulumi.Output<number>;

    constructor(name: string, args: StaticSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every check runs before the component registers anything.
        checkComponentName(name, "StaticSite");
        const site = resolveStaticSiteArgs(args);
        if (site.build) {
            runBuild(site.build);
            checkSiteFolder(site);
        }
        super("webstack:index:StaticSite", name, {}, opts);

        const tags = standardTags(defaultTagContext(site.tagContext), "static-site", site.tags);
        const { bucket, guards } = createSiteBucket(name, site.hosting, tags, this, site.kmsKeyArn);
        const release = pulumi.output(folderDigest(site.folder, site.cacheRules));
        const region = aws.getRegionOutput({}, { parent: this }).region;

        // What serves the site decides who may read the bucket.
        let cdn: aws.cloudfront.Distribution | undefined;
        let domainName: pulumi.Output<string>;
        let url: pulumi.Output<string>;
        let policyDocument: pulumi.Output<object>;
        let servedBy: pulumi.Resource;
        if (site.hosting === "cloudfront") {
            const { distribution } = createSiteCdn(name, site, bucket, tags, this);
            cdn = distribution;
            this.createDomainRecords(name, site, distribution);
            policyDocument = pulumi.all([bucket.arn, distribution.arn]).apply(([bucketArn, distributionArn]) => cloudFrontReadPolicy(bucketArn, distributionArn));
            domainName = site.domain ? pulumi.output(site.domain.domainName) : distribution.domainName;
            url = pulumi.interpolate`https://${domainName}`;
            servedBy = distribution;
        } else {
            const website = createWebsiteConfiguration(name, bucket, site.indexDocument, site.mode === "spa" ? site.indexDocument : site.notFoundPage, this);
            const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
            policyDocument = pulumi.all([bucket.arn, account]).apply(([bucketArn, accountId]) => publicReadPolicy(bucketArn, accountId));
            domainName = website.websiteEndpoint;
            url = pulumi.interpolate`http://${website.websiteEndpoint}`;
            servedBy = website;
        }
        const policy = createBucketPolicy(name, bucket, policyDocument, guards, this);

        new SiteSync(
            `${name}-sync`,
            {
                bucket: bucket.bucket,
                region,
                folder: site.folder,
                digest: release.digest,
                cacheRules: site.cacheRules,
                keepPreviousAssets: site.keepPreviousAssets,
                distributionId: cdn?.id,
                invalidationThreshold: site.invalidationThreshold,
                aws: syncAwsSettings(this),
            },
            // Encryption and ownership first, so no object is ever written unencrypted or with an ACL.
            { parent: this, dependsOn: [...guards, policy, servedBy] },
        );

        this.url = url;
        this.bucketName = bucket.bucket;
        this.distributionId = cdn ? cdn.id : pulumi.output(undefined);
        this.domainName = domainName;
        this.releaseDigest = release.digest;
        this.fileCount = release.fileCount;
        this.registerOutputs({
            url: this.url,
            bucketName: this.bucketName,
            distributionId: this.distributionId,
            domainName: this.domainName,
            releaseDigest: this.releaseDigest,
        });
    }

    /** A and AAAA alias records for the domain name and every alias (CloudFront serves IPv6). */
    private createDomainRecords(name: string, site: ResolvedStaticSiteArgs, distribution: aws.cloudfront.Distribution): void {
        if (!site.domain) return;
        const target = { dnsName: distribution.domainName, hostedZoneId: distribution.hostedZoneId };
        for (const host of [site.domain.domainName, ...(site.domain.aliases ?? [])]) {
            createAliasRecords(`${name}-dns-${host}`, site.domain.hostedZoneId, host, target, {
                ipv6: true,
                allowOverwrite: site.allowRecordOverwrite,
                parent: this,
            });
        }
    }
}
