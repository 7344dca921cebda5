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
 *   size: medium
 *   backupRetentionDays: 30
 * ```
 */
export const databaseSchema = z.strictObject({
    /** `rds` or `ec2`. @default "ec2" for layout iaas, "rds" for paas */
    mode: z.enum(databaseModes).optional(),
    engine: z.enum(engines).optional(),
    /** e.g. "16" or "8.0"; quote it in YAML so 8.0 stays a string. */
    version: z.string().optional(),
    databaseName: z.string().optional(),
    username: z.string().optional(),
    size: z.enum(databaseSizes).optional(),
    storageGb: z.number().int().optional(),
    maxStorageGb: z.number().int().optional(),
    backupRetentionDays: z.number().int().optional(),
    multiAz: z.boolean().optional(),
    architecture: z.enum(architectures).optional(),
});

export type DatabaseSettings = z.infer<typeof databaseSchema>;
