import { z } from "zod";
import { DnsAndTlsArgs, resolveDnsAndTlsArgs } from "../../components/dns-and-tls/args";
import { ConfigError } from "../../components/internal/errors";

/**
 * `webstack:domain`: the stage's custom domain. Either a name, or an object:
 *
 * ```yaml
 * webstack:domain:
 *   name: shop.example.com          # the name to serve
 *   zone: example.com               # optional; default: the longest existing public zone
 *   createZone: false               # optional; create the zone and output its name servers
 *   alternativeNames: [www.shop.example.com]
 *   caa: true                       # optional; only Amazon's CAs may issue
 *   # With createZone only (refused for an existing zone):
 *   queryLogging: { retentionInDays: 30 }   # optional; default on, false turns it off
 *   dnssec: false                   # optional; sign the zone, then add the dnssecDsRecord output at the parent
 * ```
 *
 * Leave it out (dev) to serve on the AWS-provided names only.
 */
const domainObjectSchema = z.strictObject({
    name: z.string(),
    zone: z.string().optional(),
    createZone: z.boolean().default(false),
    alternativeNames: z.array(z.string()).default([]),
    caa: z.boolean().default(false),
    /** Query logging of a created zone (DnsAndTls `queryLogging`). @default on with createZone */
    queryLogging: z
        .union([
            z.boolean(),
            z.strictObject({ enabled: z.boolean().optional(), retentionInDays: z.number().int().optional(), resourcePolicy: z.boolean().optional() }),
        ])
        .optional(),
    /** DNSSEC signing of a created zone (DnsAndTls `dnssec`). @default false */
    dnssec: z.boolean().default(false),
});

export type DomainConfig = z.infer<typeof domainObjectSchema>;

/** The DnsAndTls arguments a stage's domain setting stands for. */
export function toDnsAndTlsArgs(domain: DomainConfig, tags: Record<string, string> = {}): DnsAndTlsArgs {
    return {
        domain: domain.name,
        zoneName: domain.zone,
        createZone: domain.createZone,
        alternativeNames: domain.alternativeNames,
        caa: domain.caa,
        queryLogging: domain.queryLogging,
        dnssec: domain.dnssec,
        tags,
    };
}

/** Component argument → path under `webstack:domain` (e.g. `alternativeNames[1]` → `["alternativeNames", 1]`). */
function configPath(setting: string): PropertyKey[] {
    if (setting === "domain") return ["name"];
    if (setting === "zoneName") return ["zone"];
    const item = /^alternativeNames\[(\d+)\]$/.exec(setting);
    if (item) return ["alternativeNames", Number(item[1])];
    // e.g. `queryLogging.retentionInDays`: the same path under webstack:domain.
    return setting.split(".");
}

export const domainSchema = z
    .preprocess((value) => (typeof value === "string" ? { name: value } : value), domainObjectSchema)
    // The component's own resolver is the one source of truth for name rules;
    // its errors are re-pointed at the stage file's keys.
    .superRefine((domain, ctx) => {
        try {
            resolveDnsAndTlsArgs(toDnsAndTlsArgs(domain));
        } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            ctx.addIssue({
                code: "custom",
                path: configPath(error.setting),
                message: error.problem,
                params: { fix: error.fix.replace(/\bzoneName\b/g, "zone") },
            });
        }
    });
