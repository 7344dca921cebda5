import { z } from "zod";
import { InstanceType } from "@pulumi/aws/types/enums/ec2";
import { isCidrProblem, parseCidr } from "../../components/internal/cidr";
import { closest } from "./region";

/** Every EC2 instance type the AWS provider knows (its own InstanceType enum); EC2 refuses any other. */
const instanceTypes: readonly string[] = Object.values(InstanceType);
import { architectures, deployStrategies, nodeVersions, webTierModes } from "../../components/web-tier/args";
import { idlePolicies } from "../../components/web-tier/autoscaling/blue-green/args";

/**
 * `webstack:web`: the stage's web tier (WebTier). The keys mirror WebTier's
 * args, so an error names the same path (`webstack:web.app.port`).
 *
 * ```yaml
 * webstack:web:
 *   mode: autoscaling          # iaas: autoscaling in production, instance otherwise
 *   app:
 *     path: examples/api
 *     environment: { LOG_LEVEL: info }
 *     secrets: { API_KEY: /webstack/prod/api-key }   # SSM parameter names
 *   instance:
 *     type: t4g.small
 *     elasticIp: true
 *   sshAllowedCidrs: []        # use SSM Session Manager
 *   autoscaling:               # mode autoscaling only
 *     minSize: 2
 *     maxSize: 6
 *     cpuTargetPercent: 60
 *     schedules:
 *       - { name: weekday-morning, recurrence: "0 8 * * 1-5", timeZone: Europe/Paris, minSize: 4 }
 *   loadBalancer:              # mode autoscaling only
 *     deregistrationDelaySeconds: 30
 *   deploy:
 *     strategy: in-place       # instance: in-place | all-at-once; autoscaling: rolling | blue-green
 *     watchSeconds: 30         # instance mode: switch back if the new release fails within this window
 * ```
 *
 * Blue/green (autoscaling mode; docs/web-tier.md, "Blue/green"):
 *
 * ```yaml
 *   deploy:
 *     strategy: blue-green
 *     blue:  { release: 3f9a…c1 }    # a releaseSha256 output of an earlier deploy
 *     green: { release: current }    # the app folder as it is now
 *     traffic: { green: 10 }         # percent to green; the rest to blue
 * ```
 *
 * `mode` follows `webstack:layout` (iaas → autoscaling in production,
 * instance otherwise; paas → beanstalk) unless set; a mode this version does not have is a config error naming
 * the key. Range rules are the component's, reported as `webstack:web.<key>`.
 *
 * There is no key for `network.behindCloudFront`: it follows the site
 * (`webstack:site.hosting: cloudfront` puts the web tier behind the same
 * distribution, see stacks/parts/web.ts).
 */
/** A scheduled action (modes autoscaling and beanstalk): cron (5 fields), IANA time zone, sizes. */
const scheduleSchema = z.strictObject({
    name: z.string(),
    recurrence: z.string(),
    timeZone: z.string().optional(),
    minSize: z.number().int().optional(),
    maxSize: z.number().int().optional(),
    desiredCapacity: z.number().int().optional(),
});

/** A blue/green color: `release: current | <sha256>`, `idle: keep | zero`. */
const colorSchema = z.strictObject({ release: z.string().optional(), idle: z.enum(idlePolicies).optional() }).optional();

export const webSchema = z.strictObject({
    /** @default layout iaas: "autoscaling" in production, "instance" otherwise; layout paas: "beanstalk" (not available yet) */
    mode: z.enum(webTierModes).optional(),
    app: z
        .strictObject({
            /** The app folder, relative to the project directory. @default "examples/api" */
            path: z.string().min(1).default("examples/api"),
            port: z.number().int().optional(),
            instances: z.union([z.number().int(), z.literal("max")]).optional(),
            healthCheckPath: z.string().optional(),
            /** mode beanstalk: the Procfile command. @default npm start, else node <main> */
            startCommand: z.string().optional(),
            // One literal list (not a union) so a wrong version reads "use one of 20, 22, 24".
            nodeVersion: z.literal(nodeVersions).optional(),
            /**
             * Environment variables, stored in the SSM release settings: plain
             * text, unless webstack:web holds a `secure:` value, which makes
             * every value here a secret and the settings a SecureString
             * (stacks/config/secret-keys.ts).
             */
            environment: z.record(z.string(), z.string()).default({}),
            /** Secret variables by SSM parameter name; the instance reads them at start. */
            secrets: z.record(z.string(), z.string()).default({}),
        })
        .prefault({}),
    instance: z
        .strictObject({
            type: z
                .string()
                .superRefine((type, ctx) => {
                    if (instanceTypes.includes(type)) return;
                    const guess = closest(type, instanceTypes, 2);
                    ctx.addIssue({ code: "custom", message: "not an EC2 instance type", params: { fix: guess ? `use "${guess}"` : 'use an EC2 instance type such as "t4g.small"' } });
                })
                .optional(),
            architecture: z.enum(architectures).optional(),
            rootVolumeGiB: z.number().int().optional(),
            elasticIp: z.boolean().optional(),
        })
        .optional(),
    /** Blocks SSH is open to; each must be a CIDR block AWS accepts (no host bits, valid IPv6). @default [] */
    sshAllowedCidrs: z
        .array(
            z.string().superRefine((cidr, ctx) => {
                const parsed = parseCidr(cidr);
                if (isCidrProblem(parsed)) ctx.addIssue({ code: "custom", message: parsed.problem, params: { fix: parsed.fix } });
            }),
        )
        .optional(),
    allowSshFromAnywhere: z.boolean().optional(),
    keyName: z.string().optional(),
    /** mode beanstalk: the environment (WebTier `beanstalk`); range rules are the component's. */
    beanstalk: z
        .strictObject({
            minSize: z.number().int().optional(),
            maxSize: z.number().int().optional(),
            cpuTargetPercent: z.number().optional(),
            schedules: z.array(scheduleSchema).optional(),
            logRetentionDays: z.number().int().optional(),
            updateWindow: z.string().optional(),
            keepVersions: z.number().int().optional(),
        })
        .optional(),
    /** mode autoscaling: the Auto Scaling group (WebTier `autoscaling`); range rules are the component's. */
    autoscaling: z
        .strictObject({
            minSize: z.number().int().optional(),
            maxSize: z.number().int().optional(),
            desiredCapacity: z.number().int().optional(),
            healthCheckGracePeriodSeconds: z.number().int().optional(),
            cpuTargetPercent: z.number().optional(),
            maxHealthyPercentage: z.number().int().optional(),
            instanceWarmupSeconds: z.number().int().optional(),
            rolloutTimeoutMinutes: z.number().int().optional(),
            /** Scheduled actions: cron (5 fields), IANA time zone, sizes. */
            schedules: z.array(scheduleSchema).optional(),
        })
        .optional(),
    /** mode autoscaling: the Application Load Balancer and its target group (WebTier `loadBalancer`). */
    loadBalancer: z
        .strictObject({
            idleTimeoutSeconds: z.number().int().optional(),
            deregistrationDelaySeconds: z.number().int().optional(),
            healthCheck: z
                .strictObject({
                    intervalSeconds: z.number().int().optional(),
                    timeoutSeconds: z.number().int().optional(),
                    healthyThreshold: z.number().int().optional(),
                    unhealthyThreshold: z.number().int().optional(),
                })
                .optional(),
            deletionProtection: z.boolean().optional(),
            waf: z.boolean().optional(),
        })
        .optional(),
    deploy: z
        .strictObject({
            strategy: z.enum(deployStrategies).optional(),
            /** Seconds the switch watches a new release before stopping the previous one (0 = no watch). @default 30 */
            watchSeconds: z.number().int().optional(),
            // strategy blue-green (autoscaling mode): the colors, the traffic, the gate; the component checks the values.
            blue: colorSchema,
            green: colorSchema,
            traffic: z.strictObject({ blue: z.number().int().optional(), green: z.number().int().optional() }).optional(),
            gateTimeoutMinutes: z.number().int().optional(),
            previewCidrs: z.array(z.string()).optional(),
            // strategy traffic-splitting (beanstalk mode): the canary's share and evaluation time.
            trafficSplitting: z.strictObject({ percent: z.number().int().optional(), evaluationMinutes: z.number().int().optional() }).optional(),
        })
        .optional(),
});

export type WebSettings = z.infer<typeof webSchema>;
