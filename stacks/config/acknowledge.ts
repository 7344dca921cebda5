import { z } from "zod";
import { coversPublicInternet } from "../../components/internal/cidr";

/**
 * `webstack:acknowledge`: the one place a production stage may be weakened,
 * each weakening by its own key with the reason as its value. Without the
 * key the weakening is an error, so it can never happen by accident, and the
 * plan prints every acknowledgement in force.
 *
 * ```yaml
 * webstack:acknowledge:
 *   singleAzDatabase: "launch week: Multi-AZ from 2027-01, ticket OPS-12"
 * ```
 */
export const acknowledgements = {
    /** `webstack:production: false` on a stack whose name starts with `prod`. */
    notProduction: "webstack:production is false on a stack named prod*",
    /** `webstack:database.multiAz: false` on a production stage. */
    singleAzDatabase: "webstack:database.multiAz is false: one AZ outage stops the database",
    /** `webstack:site.hosting: s3-website` on a production stage (HTTP only, a public bucket). */
    s3WebsiteHosting: "webstack:site.hosting is s3-website: HTTP only and a world-readable bucket",
    /** `webstack:network.nat: none` on a production stage: the private database tier has no route out (no OS updates). */
    noNatPrivateTier: "webstack:network.nat is none: the private database tier has no route out",
    /** `webstack:web.sshAllowedCidrs` that together admit the whole internet (0.0.0.0/0, ::/0, or a split such as 0.0.0.0/1 + 128.0.0.0/1, or ::/1). */
    sshFromInternet: "webstack:web.sshAllowedCidrs open SSH to the whole internet",
} as const;

export type Acknowledgement = keyof typeof acknowledgements;

const reason = z.string().trim().min(10, { error: "give the reason in words (at least 10 characters)" });

export const acknowledgeSchema = z.strictObject(
    Object.fromEntries(Object.keys(acknowledgements).map((key) => [key, reason.optional()])) as Record<Acknowledgement, z.ZodOptional<typeof reason>>,
);

export type AcknowledgeSettings = z.infer<typeof acknowledgeSchema>;

/** What a stage weakens, as the stage settings show it. */
export interface WeakeningInput {
    stage: string;
    /** `webstack:production` as written (undefined when unset). */
    productionSetting: boolean | undefined;
    production: boolean;
    database: { multiAz?: boolean };
    site: { hosting: string };
    network: { nat: string };
    web: { sshAllowedCidrs?: string[]; allowSshFromAnywhere?: boolean };
}

/** A weakening found, with the setting that causes it. */
export interface Weakening {
    acknowledgement: Acknowledgement;
    /** The path under `webstack:` of the setting that weakens the stage. */
    path: string[];
    value: unknown;
}

/**
 * The production weakenings `settings` contain. A stack named prod* counts
 * as production for every rule unless `notProduction` is acknowledged.
 * Every stage's database lives in the private subnets, so `nat: none`
 * always leaves a private tier without a route out.
 */
export function productionWeakenings(settings: WeakeningInput, acknowledged: AcknowledgeSettings): Weakening[] {
    const found: Weakening[] = [];
    const namedProd = settings.stage.startsWith("prod");
    if (namedProd && settings.productionSetting === false) found.push({ acknowledgement: "notProduction", path: ["production"], value: false });
    const production = settings.production || (namedProd && !acknowledged.notProduction);
    if (!production) return found;
    if (settings.database.multiAz === false) found.push({ acknowledgement: "singleAzDatabase", path: ["database", "multiAz"], value: false });
    if (settings.site.hosting === "s3-website") found.push({ acknowledgement: "s3WebsiteHosting", path: ["site", "hosting"], value: "s3-website" });
    if (settings.network.nat === "none") found.push({ acknowledgement: "noNatPrivateTier", path: ["network", "nat"], value: "none" });
    const ssh = settings.web.sshAllowedCidrs ?? [];
    if (coversPublicInternet(ssh)) found.push({ acknowledgement: "sshFromInternet", path: ["web", "sshAllowedCidrs"], value: ssh });
    return found;
}
