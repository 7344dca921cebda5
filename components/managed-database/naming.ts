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
    const base = name
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/^[^a-z]+/, "")
        .replace(/-$/, "");
    const prefix = base === "" ? "db" : base.slice(0, 200);
    return `${prefix}-final-${now.getTime().toString(36)}`;
}
