import { READ_ACTIONS_WITHOUT_RESOURCE_TYPES } from "../../components/internal/session-manager-policy";
import { Harness } from "../../components/testing";

/** One IAM statement as a role policy's JSON holds it. */
export interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: unknown;
}

/** Read actions by IAM's naming: Get*, List*, Describe*, Read*, and kms:Decrypt. */
export function isReadAction(action: string): boolean {
    const verb = action.split(":")[1] ?? "";
    return /^(Get|List|Describe|Read)/.test(verb) || action === "kms:Decrypt" || verb === "*";
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Everything the instance role behind the profile `${component}-profile` is
 * granted: its inline statements, and the ARNs of managed policies attached to it.
 */
export function instanceRoleGrants(harness: Harness, component: string): { statements: Statement[]; managedPolicies: string[] } {
    const roleName = harness.inputsOf(harness.get("aws:iam/instanceProfile:InstanceProfile", `${component}-profile`)).role;
    const ofRole = (type: string) => harness.ofType(type).map((r) => harness.inputsOf(r)).filter((inputs) => inputs.role === roleName);
    const statements = ofRole("aws:iam/rolePolicy:RolePolicy").flatMap((inputs) => (JSON.parse(inputs.policy) as { Statement: Statement[] }).Statement);
    const managedPolicies = ofRole("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((inputs) => String(inputs.policyArn));
    return { statements, managedPolicies };
}

/** "<Sid>: <action> on *" for each read action granted on every resource, bar those AWS defines no resource type for. */
export function wildcardReads(statements: Statement[]): string[] {
    return statements
        .filter((s) => s.Effect === "Allow" && asList(s.Resource).some((resource) => resource === "*" || /^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$/.test(resource)))
        .flatMap((s) => asList(s.Action).filter((a) => isReadAction(a) && !READ_ACTIONS_WITHOUT_RESOURCE_TYPES.includes(a)).map((a) => `${s.Sid}: ${a} on *`));
}

/** Every action granted, with its resources, as "action resource" lines. */
export function grantedPairs(statements: Statement[]): string[] {
    return statements.flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource).map((r) => `${a} ${r}`)));
}
