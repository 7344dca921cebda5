import { invalid } from "../../internal/errors";

/** The safety preset: production keeps the fleet in two AZs with two instances at least, and protects the load balancer. */
export const safetyPresets = ["production", "development"] as const;
export type Safety = (typeof safetyPresets)[number];

/** The Auto Scaling group of mode `autoscaling`. */
export interface WebTierAutoscalingArgs {
    /**
     * The fewest instances. Production needs 2 (spread over the AZs of the
     * subnets, so one AZ outage leaves one serving); development may use 1.
     * @default 2
     */
    minSize?: number;
    /** The most instances the CPU target and the schedules may reach. @default max(4, minSize) */
    maxSize?: number;
    /** The instances the group starts with. @default minSize */
    desiredCapacity?: number;
    /**
     * Seconds after an instance starts before the ALB's health checks count
     * against it: the user data installs Node, PM2 and nginx and starts the
     * release first (about 2 minutes on a t4g.small).
     * @default 300
     */
    healthCheckGracePeriodSeconds?: number;
    /**
     * Target tracking on the group's average CPU: instances are added above
     * it and removed below it. 60 leaves headroom for a burst while a new
     * instance boots (several minutes); the seed's 90 is allowed for
     * CPU-bound apps that must run hot. Burstable types (t4g) earn CPU
     * credits only below their baseline (20 % on a t4g.small): a higher
     * target spends credits, or money in unlimited mode.
     * @default 60
     */
    cpuTargetPercent?: number;
    /** Scheduled changes of the group's sizes (e.g. more instances on weekday mornings). @default [] */
    schedules?: WebTierScheduleArgs[];
    /**
     * Instance refresh: how far above the desired capacity the group may go
     * while it replaces instances. Above 100, new instances are launched
     * before old ones are terminated (capacity never drops). AWS allows 100
     * to 200 (EC2 Auto Scaling user guide, "Understand the default values
     * for an instance refresh"); with `minHealthyPercentage: 100`, it must
     * be above 100.
     * @default 200
     */
    maxHealthyPercentage?: number;
    /** Seconds a new instance warms up before the refresh counts it healthy and moves on. @default 300 */
    instanceWarmupSeconds?: number;
    /**
     * How long `pulumi up` waits for the instance refresh that a new release
     * starts, before it fails (the refresh then rolls back by itself when its
     * checkpoint fails, or goes on; see docs/web-tier.md "Rollout").
     * @default 30
     */
    rolloutTimeoutMinutes?: number;
}

/** A scheduled action: from `recurrence` on, the group's sizes become these. */
export interface WebTierScheduleArgs {
    /** Unique within the web tier: letters, digits and hyphens, up to 64. @example "weekday-morning" */
    name: string;
    /**
     * When, as a five-field Unix cron expression (minute hour day-of-month
     * month day-of-week), in `timeZone`.
     * @example "0 7 * * 1-5"
     */
    recurrence: string;
    /** An IANA time zone. @default "Etc/UTC" @example "Europe/Paris" */
    timeZone?: string;
    /** At least one of the three sizes. */
    minSize?: number;
    maxSize?: number;
    desiredCapacity?: number;
}

/** The load balancer of mode `autoscaling`. */
export interface WebTierLoadBalancerArgs {
    /**
     * Seconds an idle client connection stays open (ALB attribute
     * `idle_timeout.timeout_seconds`, 1 to 4000). 60 is AWS's default and
     * suits API calls; raise it for long polling or slow uploads.
     * @default 60
     */
    idleTimeoutSeconds?: number;
    /**
     * Seconds the ALB lets a deregistering instance finish its requests
     * before it is terminated (0 to 3600). AWS's default is 300, which adds
     * five minutes per batch of every rolling deploy; API requests finish in
     * seconds, so 30 keeps deploys quick.
     * @default 30
     */
    deregistrationDelaySeconds?: number;
    healthCheck?: {
        /** Seconds between checks (5 to 300). @default 15 */
        intervalSeconds?: number;
        /** Seconds a check may take (2 to 120, less than the interval). @default 5 */
        timeoutSeconds?: number;
        /** Passing checks in a row before an instance takes traffic (2 to 10). @default 2 */
        healthyThreshold?: number;
        /** Failing checks in a row before an instance stops taking traffic (2 to 10). @default 3 */
        unhealthyThreshold?: number;
    };
    /** Refuse to delete the ALB (ELB attribute `deletion_protection.enabled`). @default true with safety "production" */
    deletionProtection?: boolean;
    /** A regional WAF web ACL with AWS's common rule set on the ALB (about $6/month + $0.60 per million requests). @default true with safety "production" */
    waf?: boolean;
}

export interface ResolvedAutoscaling {
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    healthCheckGracePeriodSeconds: number;
    cpuTargetPercent: number;
    schedules: Array<{ name: string; recurrence: string; timeZone: string; minSize?: number; maxSize?: number; desiredCapacity?: number }>;
    maxHealthyPercentage: number;
    instanceWarmupSeconds: number;
    rolloutTimeoutMinutes: number;
}

export interface ResolvedLoadBalancer {
    idleTimeoutSeconds: number;
    deregistrationDelaySeconds: number;
    healthCheck: { path: string; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number };
    deletionProtection: boolean;
    waf: boolean;
}

function wholeNumber(setting: string, given: unknown, fallback: number, min: number, max: number, why: string): number {
    const value = given ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        invalid(setting, given, why, `use a whole number from ${min} to ${max}`);
    }
    return value;
}

export function resolveSafety(given: unknown): Safety {
    const safety = given ?? "production";
    if (!safetyPresets.includes(safety as Safety)) invalid("safety", given, "not a safety preset", 'use "production" or "development"');
    return safety as Safety;
}

/** EC2 Auto Scaling limits a group to 0..10000 instances per size setting; webstack caps the fleet at 100 to keep a typo from costing a fortune. */
const MAX_FLEET = 100;

export function resolveAutoscaling(given: WebTierAutoscalingArgs | undefined, safety: Safety): ResolvedAutoscaling {
    const args = given ?? {};
    if (typeof args !== "object" || args === null || Array.isArray(args)) invalid("autoscaling", given, "expected an object", "write autoscaling: { minSize: 2, maxSize: 4 }");
    const minSize = wholeNumber("autoscaling.minSize", args.minSize, 2, 1, MAX_FLEET, "the fleet needs at least one instance");
    if (safety === "production" && minSize < 2) {
        invalid("autoscaling.minSize", args.minSize, "production keeps at least two instances, one per AZ, so one instance or AZ failure does not stop the site", 'use minSize: 2 or more, or safety: "development"');
    }
    const maxSize = wholeNumber("autoscaling.maxSize", args.maxSize, Math.max(4, minSize), 1, MAX_FLEET, "the most instances the group may run");
    if (maxSize < minSize) invalid("autoscaling.maxSize", args.maxSize, `it is below minSize (${minSize})`, `use a maxSize of ${minSize} or more`);
    const desiredCapacity = wholeNumber("autoscaling.desiredCapacity", args.desiredCapacity, minSize, 1, MAX_FLEET, "the instances the group starts with");
    if (desiredCapacity < minSize || desiredCapacity > maxSize) {
        invalid("autoscaling.desiredCapacity", args.desiredCapacity, `it is outside minSize..maxSize (${minSize}..${maxSize})`, `use a number from ${minSize} to ${maxSize}, or leave it out (minSize)`);
    }
    const cpuTargetPercent = args.cpuTargetPercent ?? 60;
    if (typeof cpuTargetPercent !== "number" || !Number.isFinite(cpuTargetPercent) || cpuTargetPercent < 10 || cpuTargetPercent > 90) {
        invalid("autoscaling.cpuTargetPercent", args.cpuTargetPercent, "the average CPU target must leave room to react: below 10 the fleet never scales in, above 90 it cannot absorb a burst while a new instance boots", "use a percentage from 10 to 90 (60 by default)");
    }
    const maxHealthyPercentage = wholeNumber(
        "autoscaling.maxHealthyPercentage",
        args.maxHealthyPercentage,
        200,
        110,
        200,
        "with minHealthyPercentage 100 the refresh must launch new instances before terminating old ones, so the group must be allowed above 100 % (AWS caps it at 200)",
    );
    return {
        minSize,
        maxSize,
        desiredCapacity,
        healthCheckGracePeriodSeconds: wholeNumber("autoscaling.healthCheckGracePeriodSeconds", args.healthCheckGracePeriodSeconds, 300, 0, 7200, "the grace period is seconds after launch"),
        cpuTargetPercent,
        schedules: resolveSchedules(args.schedules, minSize, maxSize, safety),
        maxHealthyPercentage,
        instanceWarmupSeconds: wholeNumber("autoscaling.instanceWarmupSeconds", args.instanceWarmupSeconds, 300, 0, 3600, "the warm-up is seconds after launch"),
        rolloutTimeoutMinutes: wholeNumber("autoscaling.rolloutTimeoutMinutes", args.rolloutTimeoutMinutes, 30, 5, 120, "pulumi up waits this many minutes for the instance refresh"),
    };
}

const scheduleNamePattern = /^[A-Za-z0-9-]{1,64}$/;

function resolveSchedules(given: WebTierScheduleArgs[] | undefined, minSize: number, maxSize: number, safety: Safety): ResolvedAutoscaling["schedules"] {
    if (given === undefined) return [];
    if (!Array.isArray(given)) invalid("autoscaling.schedules", given, "expected a list of scheduled actions", 'write e.g. [{ name: "weekday-morning", recurrence: "0 7 * * 1-5", minSize: 4 }]');
    const seen = new Set<string>();
    return given.map((schedule, index) => {
        const key = `autoscaling.schedules[${index}]`;
        if (typeof schedule?.name !== "string" || !scheduleNamePattern.test(schedule.name)) {
            invalid(`${key}.name`, schedule?.name, "a schedule's name becomes part of its AWS name", "use 1 to 64 letters, digits and hyphens");
        }
        if (seen.has(schedule.name)) invalid(`${key}.name`, schedule.name, "two schedules have this name", "give each schedule its own name");
        seen.add(schedule.name);
        const problem = cronProblem(schedule.recurrence);
        if (problem) invalid(`${key}.recurrence`, schedule.recurrence, problem, 'write five fields: minute hour day-of-month month day-of-week, e.g. "0 7 * * 1-5"');
        const timeZone = schedule.timeZone ?? "Etc/UTC";
        if (!isTimeZone(timeZone)) invalid(`${key}.timeZone`, schedule.timeZone, "not an IANA time zone", 'use a name such as "Europe/Paris" or "America/New_York"');
        const sizes: Record<string, number | undefined> = {};
        for (const size of ["minSize", "maxSize", "desiredCapacity"] as const) {
            const value = schedule[size];
            if (value === undefined) continue;
            if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_FLEET) {
                invalid(`${key}.${size}`, value, "an instance count", `use a whole number from 0 to ${MAX_FLEET}`);
            }
            sizes[size] = value;
        }
        if (Object.keys(sizes).length === 0) invalid(key, schedule.name, "the schedule changes no size", "give it a minSize, maxSize or desiredCapacity");
        if (safety === "production" && sizes.minSize !== undefined && sizes.minSize < 2) {
            invalid(`${key}.minSize`, sizes.minSize, "production keeps at least two instances, also at night: a schedule must not take the fleet below that", 'use minSize: 2 or more, or safety: "development"');
        }
        const low = sizes.minSize ?? minSize;
        const high = sizes.maxSize ?? Math.max(maxSize, low);
        if (low > high) invalid(`${key}.minSize`, sizes.minSize, `it is above the schedule's maxSize (${high})`, "make minSize at most maxSize");
        if (sizes.desiredCapacity !== undefined && (sizes.desiredCapacity < low || sizes.desiredCapacity > high)) {
            invalid(`${key}.desiredCapacity`, sizes.desiredCapacity, `it is outside the schedule's sizes (${low}..${high})`, `use a number from ${low} to ${high}`);
        }
        return { name: schedule.name, recurrence: schedule.recurrence.trim().replace(/\s+/g, " "), timeZone, ...sizes };
    });
}

/** Ranges of the five Unix cron fields EC2 Auto Scaling takes (user guide, "Scheduled scaling": recurrence in Unix cron format). */
const cronFields: Array<{ name: string; min: number; max: number; names?: string[] }> = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** Why `expression` is not a five-field Unix cron expression, or undefined when it is. */
export function cronProblem(expression: unknown): string | undefined {
    if (typeof expression !== "string") return "the recurrence is missing";
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5) return `a cron expression has 5 fields, this one has ${fields.length}`;
    for (const [index, field] of fields.entries()) {
        const spec = cronFields[index];
        for (const part of field.split(",")) {
            const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
            if (!match) return `the ${spec.name} field "${field}" is not a value, a range, a list or a step`;
            if (match[2] !== undefined && Number(match[2]) < 1) return `the ${spec.name} field "${field}" has a step of 0`;
            if (match[1] === "*") continue;
            const bounds = match[1].split("-").map((value) => cronValue(value, spec));
            if (bounds.some((value) => value === undefined)) return `the ${spec.name} field "${field}" holds a value outside ${spec.min}-${spec.max}`;
            if (bounds.length === 2 && (bounds[0] as number) > (bounds[1] as number)) return `the ${spec.name} field "${field}" has a range that runs backwards`;
        }
    }
    return undefined;
}

function cronValue(text: string, spec: (typeof cronFields)[number]): number | undefined {
    const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) return named + (spec.name === "month" ? 1 : 0);
    if (!/^\d+$/.test(text)) return undefined;
    const value = Number(text);
    return value >= spec.min && value <= spec.max ? value : undefined;
}

/** Whether the runtime knows this IANA zone (Node ships full ICU data). */
function isTimeZone(zone: unknown): boolean {
    if (typeof zone !== "string" || zone === "") return false;
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

export function resolveLoadBalancer(given: WebTierLoadBalancerArgs | undefined, healthCheckPath: string, safety: Safety): ResolvedLoadBalancer {
    const args = given ?? {};
    if (typeof args !== "object" || args === null || Array.isArray(args)) invalid("loadBalancer", given, "expected an object", "write loadBalancer: { idleTimeoutSeconds: 60 }");
    const check = args.healthCheck ?? {};
    const intervalSeconds = wholeNumber("loadBalancer.healthCheck.intervalSeconds", check.intervalSeconds, 15, 5, 300, "ALB health checks run every 5 to 300 seconds");
    const timeoutSeconds = wholeNumber("loadBalancer.healthCheck.timeoutSeconds", check.timeoutSeconds, 5, 2, 120, "ALB health checks time out after 2 to 120 seconds");
    // ELB API reference, ModifyTargetGroup: the timeout must be smaller than the interval.
    if (timeoutSeconds >= intervalSeconds) {
        invalid("loadBalancer.healthCheck.timeoutSeconds", check.timeoutSeconds ?? timeoutSeconds, `it must be shorter than the interval (${intervalSeconds} s)`, `use at most ${intervalSeconds - 1}, or a longer intervalSeconds`);
    }
    const flag = (setting: string, value: unknown, fallback: boolean) => {
        const result = value ?? fallback;
        if (typeof result !== "boolean") invalid(setting, value, "expected true or false", `write ${setting.split(".").pop()}: true or false, or leave it out`);
        return result;
    };
    return {
        idleTimeoutSeconds: wholeNumber("loadBalancer.idleTimeoutSeconds", args.idleTimeoutSeconds, 60, 1, 4000, "the ALB's idle timeout is 1 to 4000 seconds"),
        deregistrationDelaySeconds: wholeNumber("loadBalancer.deregistrationDelaySeconds", args.deregistrationDelaySeconds, 30, 0, 3600, "the deregistration delay is 0 to 3600 seconds"),
        healthCheck: {
            path: healthCheckPath,
            intervalSeconds,
            timeoutSeconds,
            healthyThreshold: wholeNumber("loadBalancer.healthCheck.healthyThreshold", check.healthyThreshold, 2, 2, 10, "the ALB counts 2 to 10 checks in a row"),
            unhealthyThreshold: wholeNumber("loadBalancer.healthCheck.unhealthyThreshold", check.unhealthyThreshold, 3, 2, 10, "the ALB counts 2 to 10 checks in a row"),
        },
        deletionProtection: flag("loadBalancer.deletionProtection", args.deletionProtection, safety === "production"),
        waf: flag("loadBalancer.waf", args.waf, safety === "production"),
    };
}
