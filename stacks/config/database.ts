import { z } from "zod";
import { architectures, databaseModes, databaseSizes } from "../../components/managed-database/args";
import { engines } from "../../components/managed-database/engines";

/**
 * `webstack:database`: the stage's database. Every key is optional; the
 * ManagedDatabase defaults apply, the safety preset follows
 * `webstack:production`, and `mode` follows `webstack:layout` (iaas → ec2,
 * paas → rds) unless set here. Range rules (storage minimums, backup
 * retention 1-35, ...) are the component's, reported as
 * `webstack:database.<key>`.
 *
 * ```yaml
 * webstack:database:
 *   mode: rds            # override the layout's choice
 *   engine: postgres
 *   version: "17"
 *   allowMajorVersionUpgrade: true   # for the deploy that upgrades from 16
 *   logRetentionDays: 90
 *   size: medium
 *   backupRetentionDays: 30
 * ```
 */
export const databaseSchema = z.strictObject({
    /** `rds` or `ec2`. @default "ec2" for layout iaas, "rds" for paas */
    mode: z.enum(databaseModes).optional(),
    /** `postgres`, `mysql` (rds mode only) or `mariadb`. A layout flip never changes it. */
    engine: z.enum(engines).optional(),
    /** e.g. "16", "8.0" or "10.11"; quote it in YAML so 8.0 stays a string. */
    version: z
        .union([z.string(), z.number()])
        .superRefine((version, ctx) => {
            // YAML reads 8.0 as the number 8 and 10.10 as 10.1: the version would silently change.
            if (typeof version === "number") {
                ctx.addIssue({ code: "custom", message: "a version written as a number loses its trailing zeros in YAML (8.0 becomes 8)", params: { fix: `quote it: version: "${String(version)}"` } });
            }
        })
        .transform(String)
        .optional(),
    /**
     * rds mode: let a change of `version` to a new major version upgrade
     * the instance. Set it for the deploy that upgrades, then remove it.
     * @default false
     */
    allowMajorVersionUpgrade: z.boolean().optional(),
    /** rds mode: days the exported logs are kept. @default 365 in production, 30 otherwise */
    logRetentionDays: z.number().int().optional(),
    databaseName: z.string().optional(),
    /** rds mode: the master user (administration); ec2 mode: the application user. */
    username: z.string().optional(),
    /** rds mode: the application user the app connects as (least privilege). @default "app_user" */
    appUsername: z.string().optional(),
    /** rds mode: Enhanced Monitoring interval in seconds (0 off). @default 60 in production, 0 otherwise */
    monitoringInterval: z.number().int().optional(),
    /** rds mode: IAM database authentication. @default true in production, false otherwise */
    iamAuthentication: z.boolean().optional(),
    size: z.enum(databaseSizes).optional(),
    storageGb: z.number().int().optional(),
    maxStorageGb: z.number().int().optional(),
    backupRetentionDays: z.number().int().optional(),
    multiAz: z.boolean().optional(),
    architecture: z.enum(architectures).optional(),
});

export type DatabaseSettings = z.infer<typeof databaseSchema>;
