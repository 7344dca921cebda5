/**
 * A final snapshot identifier unique to this creation of the instance: RDS
 * refuses to delete an instance if a snapshot with the identifier already
 * exists, so a fixed name would block the second deletion of a stage.
 * The creation time (base 36) makes it unique; the caller ignores later
 * changes so each run does not rewrite it.
 *
 * RDS rules (rds.Instance finalSnapshotIdentifier): begins with a letter,
 * letters, digits and hyphens only, no two consecutive hyphens, no trailing
 * hyphen, at most 255 characters.
 */
export function finalSnapshotIdentifier(name: string, now: Date = new Date()): string {
    const base = identifierBase(name);
    const prefix = base === "" ? "db" : base.slice(0, 200);
    return `${prefix}-final-${now.getTime().toString(36)}`;
}

/**
 * RDS's rules for a DB instance identifier (CreateDBInstance
 * DBInstanceIdentifier): 1-63 letters, digits or hyphens, a letter first, no
 * two consecutive hyphens, no trailing hyphen. RDS stores it lowercase, so
 * webstack asks for lowercase.
 */
export const RDS_IDENTIFIER = /^(?=.{1,63}$)[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$|^[a-z]$/;

/**
 * `name` as an RDS identifier: lowercased, other characters turned to
 * hyphens, at most 63 characters.
 */
export function rdsIdentifier(name: string): string {
    const base = identifierBase(name).slice(0, 63).replace(/-+$/, "");
    return base === "" ? "db" : base;
}

/**
 * The instance identifier a component gets unless told otherwise: the stack
 * name and the component name (`dev-db` for component `db` in stack `dev`),
 * so two stacks of one program in the same account and region do not
 * collide; a component name that already starts with the stack name
 * (`prod-db` in stack `prod`) is used as it is. It is set explicitly, not
 * auto-named, so the log groups can be named before the instance exists; it
 * must stay stable, since changing it replaces the instance.
 */
export function defaultRdsIdentifier(name: string, stack?: string): string {
    const own = rdsIdentifier(name);
    if (stack === undefined || stack === "") return own;
    const prefix = rdsIdentifier(stack);
    return own === prefix || own.startsWith(`${prefix}-`) ? own : rdsIdentifier(`${prefix}-${own}`);
}

function identifierBase(name: string): string {
    return name
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/^[^a-z]+/, "")
        .replace(/-$/, "");
}
