import { ConfigError, invalid } from "../../internal/errors";
import type { ResolvedAutoscaling, Safety, WebTierScheduleArgs } from "../autoscaling/args";
import { resolveAutoscaling } from "../autoscaling/args";
import type { WebTierArgs } from "../args";
import { checkBeanstalkNodeVersion } from "./platform";

/**
 * Deploy strategies of mode `beanstalk` and the `DeploymentPolicy` each one
 * sets (Elastic Beanstalk developer guide, "Deployment policies and
 * settings"; namespace `aws:elasticbeanstalk:command`, "General options for
 * all environments"):
 * - `all-at-once`: every instance gets the new version at once: a short outage (refused in production);
 * - `rolling`: batches are taken out of service one after the other: less capacity during the deploy;
 * - `rolling-with-additional-batch`: an extra batch is launched first, so capacity stays full;
 * - `immutable`: a full new set of instances in a temporary Auto Scaling group; on failure it is
 *   terminated and the old instances are untouched (production default);
 * - `traffic-splitting`: a canary: a new fleet gets `deploy.trafficSplitting.percent` of the traffic for
 *   `evaluationMinutes`, then all of it; on failure the traffic moves back (needs an ALB, which this mode uses).
 */
export const deploymentPolicyOf = {
    "all-at-once": "AllAtOnce",
    rolling: "Rolling",
    "rolling-with-additional-batch": "RollingWithAdditionalBatch",
    immutable: "Immutable",
    "traffic-splitting": "TrafficSplitting",
} as const;
export type BeanstalkStrategy = keyof typeof deploymentPolicyOf;
export type DeploymentPolicy = (typeof deploymentPolicyOf)[BeanstalkStrategy];
export const beanstalkStrategies = Object.keys(deploymentPolicyOf) as BeanstalkStrategy[];

/** The Beanstalk environment of mode `beanstalk`: its fleet, logs, maintenance window and versions. */
export interface WebTierBeanstalkArgs {
    /** The fewest instances; production needs 2 (one per AZ). Same rule as `autoscaling.minSize`. @default 2 */
    minSize?: number;
    /** The most instances. @default max(4, minSize) */
    maxSize?: number;
    /**
     * Average CPU above which an instance is added (`aws:autoscaling:trigger`
     * UpperThreshold); an instance is removed below 30 points less. Same range
     * as `autoscaling.cpuTargetPercent` (10 to 90; the seed's 90 is allowed).
     * @default 60
     */
    cpuTargetPercent?: number;
    /**
     * Scheduled size changes, the same shape as `autoscaling.schedules`.
     * Beanstalk's scheduled actions take their recurrence in UTC only
     * (`aws:autoscaling:scheduledaction` has no time zone option), so
     * `timeZone` must be left out or be "Etc/UTC".
     * @default []
     */
    schedules?: WebTierScheduleArgs[];
    /**
     * Days CloudWatch Logs keeps the instance logs Beanstalk streams
     * (`aws:elasticbeanstalk:cloudwatch:logs` RetentionInDays; one of the
     * values CloudWatch Logs accepts).
     * @default 30 (production), 7 (development)
     */
    logRetentionDays?: number;
    /**
     * The weekly window in which Beanstalk applies minor and patch platform
     * updates, `Day:HH:MM` in UTC (`aws:elasticbeanstalk:managedactions`
     * PreferredStartTime, "day:hour:minute"; the window lasts two hours).
     * @default "Sun:02:00"
     * @example "Tue:03:30"
     */
    updateWindow?: string;
    /**
     * Application versions kept (the application's version lifecycle
     * `maxCount`); older ones are deleted with their source bundles.
     * @default 20
     */
    keepVersions?: number;
    /**
     * Secret environment variables given as ARNs: an SSM parameter's
     * (`arn:aws:ssm:…:parameter/…`) or a Secrets Manager secret's
     * (`arn:aws:secretsmanager:…:secret:…`), e.g. ManagedDatabase's password
     * secret. Beanstalk fetches them at instance start (platform versions
     * from 2025-03-26 on); the instance role may read exactly these.
     * `app.secrets` (parameter names) are converted to parameter ARNs and join them.
     * @default {}
     * @example { DB_PASSWORD: db.passwordSecretArn }
     */
    secrets?: Record<string, import("@pulumi/pulumi").Input<string>>;
}

/** Canary settings of strategy `traffic-splitting` (`deploy.trafficSplitting`). */
export interface BeanstalkTrafficSplittingArgs {
    /** Share of the traffic the new version gets first (`NewVersionPercent`, 1 to 100). @default 10 */
    percent?: number;
    /** Minutes Beanstalk watches the new version's health before moving all traffic (`EvaluationTime`, 3 to 600). @default 5 */
    evaluationMinutes?: number;
}

export interface ResolvedBeanstalk {
    strategy: BeanstalkStrategy;
    deploymentPolicy: DeploymentPolicy;
    trafficSplitting?: { percent: number; evaluationMinutes: number };
    minSize: number;
    maxSize: number;
    cpuTargetPercent: number;
    schedules: ResolvedAutoscaling["schedules"];
    logRetentionDays: number;
    updateWindow: string;
    keepVersions: number;
    /** Env name -> the literal SSM parameter name of `app.secrets` (converted to an ARN at deploy time). */
    parameterSecrets: Record<string, string>;
    /** Env name -> an ARN (literal, checked; or an Output, checked when known). */
    arnSecrets: Record<string, import("@pulumi/pulumi").Input<string>>;
}

/** Values CloudWatch Logs accepts for a retention (CloudWatch Logs API reference, PutRetentionPolicy "retentionInDays"). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** `Day:HH:MM`, as PreferredStartTime takes it ("General options for all environments", aws:elasticbeanstalk:managedactions). */
const updateWindowPattern = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):[0-5]\d$/;

/** An SSM parameter ARN or a Secrets Manager secret ARN, any partition. */
export const secretArnPattern = /^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+|secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)$/;
const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys the Beanstalk args may hold; any other key is a typo. */
const beanstalkKeys = ["minSize", "maxSize", "cpuTargetPercent", "schedules", "logRetentionDays", "updateWindow", "keepVersions", "secrets"];

/**
 * Checks mode `beanstalk`'s args and fills in their defaults. `strategy` is
 * `deploy.strategy` as args.ts resolved it (its default: "immutable" in
 * production). Pure: throws a ConfigError naming the key before any resource.
 */
export function resolveBeanstalk(args: WebTierArgs, strategy: string, safety: Safety): ResolvedBeanstalk {
    const given = (args as WebTierArgs & { beanstalk?: WebTierBeanstalkArgs }).beanstalk ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) invalid("beanstalk", given, "expected an object", "write beanstalk: { minSize: 2, maxSize: 4 }");
    for (const key of Object.keys(given)) {
        if (!beanstalkKeys.includes(key)) invalid(`beanstalk.${key}`, (given as Record<string, unknown>)[key], "not a Beanstalk setting", `use one of ${beanstalkKeys.join(", ")}`);
    }
    if (!beanstalkStrategies.includes(strategy as BeanstalkStrategy)) {
        invalid("deploy.strategy", strategy, "not a Beanstalk deployment policy", `use one of ${beanstalkStrategies.map((s) => `"${s}"`).join(", ")}`);
    }
    if (strategy === "all-at-once" && safety === "production") {
        invalid("deploy.strategy", strategy, "all-at-once deploys every instance at the same time, so the site is down while the new version starts", 'use "immutable" (default) or "traffic-splitting", or safety: "development"');
    }
    checkBeanstalkNodeVersion(args.app?.nodeVersion ?? 22);
    const fleet = resolveFleet(given, safety);
    const logRetentionDays = given.logRetentionDays ?? (safety === "production" ? 30 : 7);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        invalid("beanstalk.logRetentionDays", given.logRetentionDays, "CloudWatch Logs accepts only some retention periods", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const updateWindow = given.updateWindow ?? "Sun:02:00";
    if (typeof updateWindow !== "string" || !updateWindowPattern.test(updateWindow)) {
        invalid("beanstalk.updateWindow", given.updateWindow, "the managed-update window is Day:HH:MM in UTC", 'write e.g. "Sun:02:00" (days Mon..Sun, 24-hour time)');
    }
    const keepVersions = given.keepVersions ?? 20;
    // The application's version lifecycle: MaxCount (Elastic Beanstalk API reference, MaxCountRule); Beanstalk allows 1000 versions per account and region (quota).
    if (typeof keepVersions !== "number" || !Number.isInteger(keepVersions) || keepVersions < 2 || keepVersions > 1000) {
        invalid("beanstalk.keepVersions", given.keepVersions, "at least the running version and one to roll back to are kept, and an account holds 1000 at most", "use a whole number from 2 to 1000");
    }
    return {
        strategy: strategy as BeanstalkStrategy,
        deploymentPolicy: deploymentPolicyOf[strategy as BeanstalkStrategy],
        ...resolveTrafficSplitting(args, strategy),
        ...fleet,
        logRetentionDays,
        updateWindow,
        keepVersions,
        ...resolveSecrets(args, given),
    };
}

/** Sizes, CPU and schedules through autoscaling mode's own checks, with the keys renamed to `beanstalk.*`. */
function resolveFleet(given: WebTierBeanstalkArgs, safety: Safety): Pick<ResolvedBeanstalk, "minSize" | "maxSize" | "cpuTargetPercent" | "schedules"> {
    let fleet: ResolvedAutoscaling;
    try {
        fleet = resolveAutoscaling({ minSize: given.minSize, maxSize: given.maxSize, cpuTargetPercent: given.cpuTargetPercent, schedules: given.schedules }, safety);
    } catch (error) {
        if (error instanceof ConfigError && error.setting.startsWith("autoscaling")) {
            invalid(error.setting.replace(/^autoscaling/, "beanstalk"), error.value, error.problem, error.fix.replace(/autoscaling/g, "beanstalk"));
        }
        throw error;
    }
    fleet.schedules.forEach((schedule, index) => {
        if (schedule.timeZone !== "Etc/UTC" && schedule.timeZone !== "UTC") {
            invalid(`beanstalk.schedules[${index}].timeZone`, schedule.timeZone, "Beanstalk's scheduled actions run on UTC recurrences and take no time zone", "leave timeZone out and write the recurrence in UTC");
        }
    });
    return { minSize: fleet.minSize, maxSize: fleet.maxSize, cpuTargetPercent: fleet.cpuTargetPercent, schedules: fleet.schedules };
}

function resolveTrafficSplitting(args: WebTierArgs, strategy: string): Pick<ResolvedBeanstalk, "trafficSplitting"> {
    const given = (args.deploy as { trafficSplitting?: BeanstalkTrafficSplittingArgs } | undefined)?.trafficSplitting;
    if (strategy !== "traffic-splitting") {
        if (given !== undefined) invalid("deploy.trafficSplitting", given, `it configures the traffic-splitting canary and the strategy is ${strategy}`, 'set deploy.strategy: "traffic-splitting", or drop deploy.trafficSplitting');
        return {};
    }
    const settings = given ?? {};
    const percent = settings.percent ?? 10;
    // aws:elasticbeanstalk:trafficsplitting NewVersionPercent 1-100, EvaluationTime 3-600 minutes ("General options for all environments").
    if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 1 || percent > 100) {
        invalid("deploy.trafficSplitting.percent", settings.percent, "Beanstalk sends 1 to 100 % of the traffic to the new version first", "use a whole number from 1 to 100 (10 by default)");
    }
    const evaluationMinutes = settings.evaluationMinutes ?? 5;
    if (typeof evaluationMinutes !== "number" || !Number.isInteger(evaluationMinutes) || evaluationMinutes < 3 || evaluationMinutes > 600) {
        invalid("deploy.trafficSplitting.evaluationMinutes", settings.evaluationMinutes, "Beanstalk evaluates the new version for 3 to 600 minutes", "use a whole number from 3 to 600 (5 by default)");
    }
    return { trafficSplitting: { percent, evaluationMinutes } };
}

/**
 * `app.secrets` hold SSM parameter names ("/…"), converted to ARNs once the
 * account is known; `beanstalk.secrets` hold ARNs. Anything else would put a
 * value, not a reference, into the settings.
 */
function resolveSecrets(args: WebTierArgs, given: WebTierBeanstalkArgs): Pick<ResolvedBeanstalk, "parameterSecrets" | "arnSecrets"> {
    const parameterSecrets: Record<string, string> = {};
    const arnSecrets: Record<string, import("@pulumi/pulumi").Input<string>> = {};
    for (const [name, reference] of Object.entries(args.app?.secrets ?? {})) {
        if (typeof reference === "string" && reference.startsWith("/")) parameterSecrets[name] = reference;
        else if (typeof reference === "string" && secretArnPattern.test(reference)) arnSecrets[name] = reference;
        // The value is not echoed: what was pasted here may be the secret itself.
        else invalid(`app.secrets.${name}`, "(neither a name nor an ARN)", "neither an SSM parameter name nor the ARN of a parameter or secret (secrets are given by reference, never by value)", 'give the parameter\'s name, e.g. "/myapp/prod/api-key", or its ARN');
    }
    const secrets = given.secrets ?? {};
    if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) invalid("beanstalk.secrets", secrets, "expected a map of variable name to ARN", "write secrets: { DB_PASSWORD: db.passwordSecretArn }");
    for (const [name, reference] of Object.entries(secrets)) {
        if (!envNamePattern.test(name)) invalid(`beanstalk.secrets.${name}`, name, "not a valid environment variable name", "use letters, digits and _, not starting with a digit");
        if (name in parameterSecrets || name in arnSecrets || name in (args.app?.environment ?? {})) {
            invalid(`beanstalk.secrets.${name}`, "(given)", "the same variable is also in app.secrets or app.environment", "keep it in one place");
        }
        // Outputs are checked when their value is known (settings.ts).
        if (typeof reference === "string" && !secretArnPattern.test(reference)) {
            invalid(`beanstalk.secrets.${name}`, reference.startsWith("arn:") ? reference : "(not an ARN)", "not the ARN of an SSM parameter or a Secrets Manager secret", 'give an ARN such as "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbCdEf", or put a parameter name in app.secrets');
        }
        arnSecrets[name] = reference;
    }
    return { parameterSecrets, arnSecrets };
}
