import { invalid } from "./errors";
import { TagContext } from "./tags";

/**
 * The one rule for a webstack component name (StaticSite, WebTier,
 * ManagedDatabase, DnsAndTls): 1-41 characters, lowercase letters, digits
 * and single hyphens, a letter first, no hyphen last.
 *
 * It is the strictest rule among the AWS names derived from a component
 * name, so that a name which passes here passes everywhere:
 * - S3 buckets (`<name>-bucket`, `<name>-releases`, auto-named with Pulumi's
 *   `-` + 7 hex suffix): lowercase letters, digits, hyphens and dots, 3-63
 *   characters (S3 user guide, "General purpose bucket naming rules").
 * - RDS identifiers, subnet and parameter groups (`<name>-subnets`,
 *   `<name>-params`): letters, digits and hyphens, a letter first, no two
 *   consecutive hyphens and no trailing hyphen; RDS stores them lowercase
 *   (CreateDBInstance DBInstanceIdentifier, CreateDBParameterGroup
 *   DBParameterGroupName). Lowercase-only also means two names can never
 *   collide once S3 or RDS lowercases them.
 * - CloudFront functions (`<name>-viewer-request` + 8): `[a-zA-Z0-9-_]`,
 *   1-64 characters (@pulumi/aws cloudfront/function.d.ts `name`,
 *   CloudFront CreateFunction Name). This is the longest derived name with
 *   the tightest limit: 41 + 15 + 8 = 64. It also sets the length limit.
 * - IAM roles (`<name>-snapshot-role` + 8): `[\w+=,.@-]`, at most 64
 *   characters (IAM CreateRole RoleName) -> at most 42.
 * - SSM documents (`<name>-deploy` + 8): `[a-zA-Z0-9_.-]`, 3-128 characters,
 *   and no aws/amazon/amzn prefix (SSM CreateDocument Name): see
 *   {@link SSM_RESERVED_PREFIX}, WebTier's extra rule.
 * - SSM parameter paths `/<app>/<stage>/<name>/release`: `[a-zA-Z0-9_.-/]`,
 *   where a `/` would add a level (SSM PutParameter Name).
 * - Security groups, log groups, secrets: looser than all of the above.
 * The name also reaches shell scripts (WebTier user data) and descriptions:
 * with this rule it can hold nothing a shell or a log line would interpret.
 */
export const COMPONENT_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*$/;
/** See {@link COMPONENT_NAME}: CloudFront function names (64) minus `-viewer-request` and Pulumi's 8-character suffix. */
export const COMPONENT_NAME_MAX_LENGTH = 41;

/**
 * SSM refuses document names starting with aws, amazon or amzn
 * (CreateDocument API reference, Name); WebTier's deploy document is
 * auto-named from the component name.
 */
export const SSM_RESERVED_PREFIX = /^(aws|amazon|amzn)/i;

/** A rule one component adds to {@link COMPONENT_NAME}. */
export interface ExtraNameRule {
    /** Names that match are refused. */
    refuse: RegExp;
    /** Why, in words (completes "Invalid name = "...": "). */
    why: string;
    /** What to do instead. */
    fix: string;
}

/** WebTier's extra rule: its SSM deploy document is named after it. */
export const WEB_TIER_NAME_RULE: ExtraNameRule = {
    refuse: SSM_RESERVED_PREFIX,
    why: "the deploy document is named after the component, and SSM reserves names starting with aws, amazon or amzn",
    fix: 'choose another component name, e.g. "web"',
};

/**
 * Throws a ConfigError (setting `name`) unless `name` follows
 * {@link COMPONENT_NAME} and every extra rule. Each component constructor
 * calls it first, before `super()`, so a bad name registers nothing.
 */
export function checkComponentName(name: unknown, component: string, ...extraRules: ExtraNameRule[]): string {
    const fix = `name the ${component} with 1-${COMPONENT_NAME_MAX_LENGTH} lowercase letters, digits and single hyphens, starting with a letter, e.g. "web" or "shop-api"`;
    if (typeof name !== "string" || name === "") invalid("name", name, "a component name must be a non-empty string", fix);
    if (name.length > COMPONENT_NAME_MAX_LENGTH) {
        invalid("name", name, `it is ${name.length} characters long; AWS names derived from it (CloudFront function <name>-viewer-request plus an 8-character suffix, at most 64) allow ${COMPONENT_NAME_MAX_LENGTH}`, fix);
    }
    if (!COMPONENT_NAME.test(name) || name.endsWith("-")) {
        invalid("name", name, "the S3 bucket, RDS, IAM, SSM and CloudFront names derived from it allow only lowercase letters, digits and single hyphens, a letter first and no hyphen last", fix);
    }
    for (const rule of extraRules) if (rule.refuse.test(name)) invalid("name", name, rule.why, rule.fix);
    return name;
}

/**
 * The app (Pulumi project) and stage (stack) names reach the SSM parameter
 * path `/<app>/<stage>/<name>/release`, tags and the instance's user data.
 * SSM parameter names allow `[a-zA-Z0-9_.-]` plus `/` between levels (SSM
 * PutParameter Name); Pulumi project and stack names use the same
 * characters without `/`. So a `/`, a space, a newline or a quote in either
 * is refused here rather than adding a path level or a shell command.
 */
export const CONTEXT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Throws a ConfigError (`tagContext.app` / `tagContext.stage`) when either name breaks {@link CONTEXT_NAME}. */
export function checkContextNames(context: TagContext): TagContext {
    for (const key of ["app", "stage"] as const) {
        const value = context[key];
        if (typeof value !== "string" || !CONTEXT_NAME.test(value)) {
            invalid(
                `tagContext.${key}`,
                value,
                `the ${key} name becomes a level of the SSM parameter path /<app>/<stage>/<name>/release and a tag, which allow only letters, digits, "_", "." and "-" (no "/", spaces or control characters), 1-100 characters`,
                `pass tagContext.${key} (or name the Pulumi ${key === "app" ? "project" : "stack"}) with letters, digits, "_", "." and "-" only, e.g. "${key === "app" ? "shop" : "prod"}"`,
            );
        }
    }
    return context;
}
