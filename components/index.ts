/**
 * aws-webstack: reusable Pulumi components for a web application on AWS.
 * Public exports only; each component lives in its own folder.
 */
export { ConfigError } from "./internal/errors";
export { CustomDomain, AliasTarget, createAliasRecords } from "./internal/custom-domain";
export { ApiOrigin } from "./internal/api-origin";
export { DnsAndTls, DnsAndTlsArgs, CertificateSpec, PointAtOptions, PointAtTarget, resolveDnsAndTlsArgs, CLOUDFRONT_HOSTED_ZONE_ID } from "./dns-and-tls";
export { StaticSite, StaticSiteArgs, SiteBuild, Hosting, SiteMode, PriceClass, WwwRedirect, StaticSiteApi, StaticSiteWaf, resolveStaticSiteArgs } from "./static-site";
export { AccessLogs } from "./internal/access-logs";
export { VersioningArg } from "./internal/bucket-versioning";
export type { CacheRule } from "./static-site/sync";
export { ManagedDatabase } from "./managed-database";
export { ManagedDatabaseArgs, DatabaseMode, DatabaseSize, SafetyPreset, Architecture, resolveManagedDatabaseArgs } from "./managed-database/args";
export { DatabaseEnvironment } from "./managed-database/app-environment";
export { Engine } from "./managed-database/engines";
export { WebTier } from "./web-tier";
export { WebTierArgs, WebTierAppArgs, WebTierNetworkArgs, WebTierInstanceArgs, WebTierDeployArgs, WebTierMode, DeployStrategy, NodeVersion, resolveWebTierArgs } from "./web-tier/args";
