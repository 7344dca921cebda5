import { z } from "zod";
import { decodeConfigValue } from "../../components/internal/config-value";
import { acknowledgements, acknowledgeSchema, Acknowledgement, productionWeakenings } from "./acknowledge";
import { databaseSchema } from "./database";
import { domainSchema } from "./dns";
import { networkSchema } from "./network";
import { siteSchema } from "./site";
import { webSchema } from "./web";
import { checkNoPrototypeKeys, checkStageName, configKeyWarnings } from "./config-keys";
import { checkRegion } from "./region";
import { checkSecretKeys } from "./secret-keys";
import { toConfigError } from "./zod-errors";

/** The Pulumi config namespace of every webstack stage setting. */
export const NAMESPACE = "webstack";

export const layouts = ["iaas", "paas"] as const;
export type Layout = (typeof layouts)[number];

/** AWS limits: keys 1-128 characters, values up to 256; the `aws:` prefix is AWS's own. */
const tagsSchema = z.record(z.string().min(1).max(128), z.string().max(256)).superRefine((tags, ctx) => {
    for (const key of Object.keys(tags)) {
        if (key.toLowerCase().startsWith("aws:")) {
            ctx.addIssue({ code: "custom", path: [key], message: "tag keys starting with aws: are reserved by AWS", params: { fix: "rename the tag" } });
        }
    }
});

/**
 * Every `webstack:*` key a stage file may set. The object is strict: an
 * unknown key (a typo such as `webstack:netwrok`) is an error, never ignored.
 * Components add their own key here as they are wired into the program.
 */
export const stageSchema = z
    .strictObject({
        /** `iaas` (EC2 everywhere) or `paas` (RDS, Beanstalk); flips each component's default mode. */
        layout: z.enum(layouts),
        /**
         * Production safety: deletion protection, final snapshots, `protect`
         * on data-holding resources, at least two AZs.
         * @default true when the stack name starts with "prod"
         */
        production: z.boolean().optional(),
        network: networkSchema.prefault({}),
        /** Extra tags on every resource (webstack adds app, stage, component, managed-by). */
        tags: tagsSchema.default({}),
        /** The custom domain with HTTPS (DnsAndTls); none = AWS-provided names only. */
        domain: domainSchema.optional(),
        /** The static front end (StaticSite); every stage has one. */
        site: siteSchema.prefault({}),
        /** The database (ManagedDatabase); its mode follows the layout unless set. */
        database: databaseSchema.prefault({}),
        /** The web tier (WebTier); its mode follows the layout unless set. */
        web: webSchema.prefault({}),
        /** Reasons for weakening a production stage, one key per weakening (see acknowledge.ts). */
        acknowledge: acknowledgeSchema.default({}),
    })
    .superRefine((config, ctx) => {
        if (config.network.azCount >= 2) return;
        // Every stage has a database, and its subnets must span two AZs (an
        // RDS DB subnet group "must contain at least one subnet in at least
        // two AZs", RDS user guide, "Working with a DB instance in a VPC"; the
        // ec2 mode keeps the same rule so switching modes needs no network
        // change). Checked here so the error names the stage key, not the
        // component arg the network feeds.
        ctx.addIssue({
            code: "custom",
            path: ["network", "azCount"],
            message: config.production
                ? "a production stage needs at least two availability zones, so one AZ outage does not take it down"
                : "the stage's database needs private subnets in at least two availability zones (an RDS subnet group requires two)",
            params: { fix: "set webstack:network.azCount to 2 or more" },
        });
    });

export type StageSettings = z.infer<typeof stageSchema>;

/** The resolved configuration of one stage, as the program uses it. */
export interface StageConfig extends StageSettings {
    /** The stage name: the Pulumi stack, e.g. `dev`. */
    stage: string;
    /** Whether production safety applies (resolved from `webstack:production` or the stage name). */
    production: boolean;
    /** The AWS region of the stack (`aws:region`). */
    region: string;
    /** Keys that are probably typos (`aws:regoin`, `webstak:layout`), each naming the closest valid key. */
    warnings: string[];
    /** The `webstack:acknowledge` entries this stage relies on, for the plan to print. */
    acknowledged: { acknowledgement: Acknowledgement; reason: string; weakening: string }[];
    /** Fully-qualified keys whose values are secrets (`secure:` in the stage file); see secret-keys.ts. */
    secretKeys: string[];
}

/** The allowed keys at a path of the schema, for "did you mean" style fixes. */
function knownKeysAt(path: PropertyKey[]): string[] {
    let schema: z.ZodType = stageSchema;
    for (const key of path) {
        const shape = shapeOf(schema);
        if (!shape || !(String(key) in shape)) return [];
        schema = shape[String(key)];
    }
    const shape = shapeOf(schema);
    return shape ? Object.keys(shape).map((k) => (path.length === 0 ? `${NAMESPACE}:${k}` : k)) : [];
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
    let current: any = schema;
    // Unwrap defaults, optionals and refinements down to the object.
    while (current && !current.shape && current.def?.innerType) current = current.def.innerType;
    while (current && !current.shape && current.def?.in) current = current.def.in;
    return current?.shape;
}

/**
 * Validates a stage's configuration and fills in defaults.
 *
 * @param allConfig every config key of the stack, fully qualified, as
 *   `pulumi.runtime.allConfig()` returns it (other namespaces are ignored).
 * @param secretKeys the keys of `allConfig` whose values are secrets.
 * @throws ConfigError naming every bad key, its value and the fix.
 */
export function parseStageConfig(allConfig: Record<string, string>, stage: string, secretKeys: string[] = []): StageConfig {
    checkStageName(stage);
    const prefix = `${NAMESPACE}:`;
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(allConfig)) {
        if (!key.startsWith(prefix)) continue;
        const decoded = decodeConfigValue(value);
        // Before the value reaches a plain object: `webstack:__proto__` or a
        // nested "__proto__" key would otherwise change a prototype.
        checkNoPrototypeKeys(prefix, { [key.slice(prefix.length)]: decoded });
        settings[key.slice(prefix.length)] = decoded;
    }
    const region = checkRegion(allConfig["aws:region"], stage);
    checkSecretKeys(secretKeys, NAMESPACE, stage);
    const production = settings.production ?? stage.startsWith("prod");
    const parsed = stageSchema.safeParse({ ...settings, production });
    if (!parsed.success) throw toConfigError(NAMESPACE, settings, parsed.error.issues, knownKeysAt);
    const weakenings = productionWeakenings(
        { ...parsed.data, stage, productionSetting: settings.production as boolean | undefined, production: parsed.data.production === true },
        parsed.data.acknowledge,
    );
    const unacknowledged = weakenings.filter((w) => !parsed.data.acknowledge[w.acknowledgement]);
    if (unacknowledged.length > 0) {
        const issues = unacknowledged.map((w) => ({
            code: "custom" as const,
            path: w.path,
            input: w.value,
            message: `a production stage cannot be weakened silently (${acknowledgements[w.acknowledgement]})`,
            params: { fix: `change it back, or state why with webstack:acknowledge: { ${w.acknowledgement}: "<reason>" }` },
        }));
        throw toConfigError(NAMESPACE, settings, issues, knownKeysAt);
    }
    const acknowledged = weakenings.map((w) => ({
        acknowledgement: w.acknowledgement,
        reason: parsed.data.acknowledge[w.acknowledgement] as string,
        weakening: acknowledgements[w.acknowledgement],
    }));
    return { ...parsed.data, production: parsed.data.production === true, stage, region, secretKeys, acknowledged, warnings: configKeyWarnings(Object.keys(allConfig), NAMESPACE) };
}
