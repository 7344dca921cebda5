/**
 * aws-webstack: reusable Pulumi components for a web application on AWS.
 * Public exports only; each component lives in its own folder.
 */
export { ConfigError } from "./internal/errors";
export { CustomDomain, AliasTarget, createAliasRecords } from "./internal/custom-domain";
