import * as pulumi from "@pulumi/pulumi";

/**
 * Pulumi `aliases` for a resource whose logical name was
 * `${formerName}${suffix}`: with them, the renamed resource keeps its
 * identity (and its physical name) instead of being replaced. Blue/green's
 * blue fleet is the rolling fleet renamed, so switching a web tier from
 * `rolling` to `blue-green` keeps the instances that serve.
 */
export function renamedFrom(formerName: string | undefined, suffix: string): pulumi.Input<pulumi.Alias>[] | undefined {
    return formerName === undefined ? undefined : [{ name: `${formerName}${suffix}` }];
}
