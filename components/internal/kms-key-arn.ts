import * as pulumi from "@pulumi/pulumi";
import { invalid } from "./errors";

/**
 * A KMS key ARN: single-Region keys have a UUID id, multi-Region keys
 * `mrk-` and 32 hex digits (AWS KMS developer guide, "Key identifiers
 * (KeyId)").
 */
const KEY_ARN = /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Checks a list of KMS key ARNs that an IAM policy will name as resources.
 * Only a key ARN works there: an IAM policy cannot grant use of a key
 * through its alias ARN (AWS KMS developer guide, "Use aliases to control
 * access to KMS keys": alias ARNs in Resource only govern alias operations),
 * and a key id or a wildcard would grant nothing or every key. Values
 * known only at deploy time (Outputs) pass unchecked.
 */
export function checkKeyArns(setting: string, value: unknown): pulumi.Input<string>[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) invalid(setting, value, "it must be a list of KMS key ARNs", `write ${setting}: ["arn:aws:kms:<region>:<account>:key/<key id>"]`);
    value.forEach((item, index) => checkKeyArnText(`${setting}[${index}]`, item, "the key that encrypts the secrets"));
    return value as pulumi.Input<string>[];
}

/**
 * Checks one KMS key ARN a component encrypts its data with (`kmsKeyArn`):
 * the same rules as {@link checkKeyArns}, since the component also names
 * the key in its roles' IAM policies. Undefined stays undefined (AWS
 * managed keys); an Output passes unchecked.
 */
export function checkKeyArn(setting: string, value: unknown): pulumi.Input<string> | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" && !pulumi.Output.isInstance(value) && !(value instanceof Promise)) {
        invalid(setting, value, "it must be a KMS key ARN", `write ${setting}: "arn:aws:kms:<region>:<account>:key/<key id>", or leave it out for AWS managed keys`);
    }
    checkKeyArnText(setting, value, "the key to encrypt with");
    return value as pulumi.Input<string>;
}

function checkKeyArnText(where: string, item: unknown, role: string): void {
    if (typeof item !== "string") return;
    if (/:alias\//.test(item)) {
        invalid(where, item, "an IAM policy cannot grant use of a key through its alias", `use the key ARN the alias points to (aws kms describe-key --key-id ${item} --query KeyMetadata.Arn)`);
    }
    if (!KEY_ARN.test(item)) {
        invalid(where, item, "it is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)", `give the full key ARN of ${role} (aws kms describe-key --key-id <id> --query KeyMetadata.Arn)`);
    }
}
