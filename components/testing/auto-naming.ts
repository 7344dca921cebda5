import * as fs from "node:fs";
import { stableHex } from "./fake-ids";

/**
 * Pulumi auto-naming, as the AWS provider applies it, so that an input which
 * refers to another resource's name (e.g. an RDS instance's
 * `dbSubnetGroupName` = `subnetGroup.name`) has a value in the plan.
 *
 * The general rule comes from the provider: pulumi-aws auto-names every
 * resource's input property literally called `name` (pulumi-aws
 * provider/autonaming.go `setAutonaming`, the bridge's `SetAutonaming`:
 * "auto-names all resource properties that are literally called name",
 * maxLength 255, separator "-"). A few types name another property, with a
 * custom transform (pulumi-aws provider/resources.go): {@link autoNameOverrides}.
 * The default name is the logical name, "-", and 7 random hex characters
 * (here a stable digest of the logical name, so plans repeat).
 */

/** How one type's physical name is made when the program leaves it unset. */
export interface AutoNameRule {
    /** The input (and output) property that holds the physical name. */
    property: string;
    /** AWS accepts only lowercase names for this type (S3 buckets, RDS identifiers). */
    lowercase?: boolean;
}

/**
 * Types whose auto-named property is not `name`, or whose name comes back
 * lowercase. From pulumi-aws provider/resources.go: S3 `bucket` is
 * `AutoNameTransform("bucket", 63, strings.ToLower)`; an RDS instance's
 * `identifier` defaults to `NewUniqueHex(name, 7, 255)`. RDS stores
 * instance, cluster, subnet group and parameter group names in lowercase
 * (CreateDBInstance / CreateDBSubnetGroup API references), so those outputs
 * are lowercase whatever was sent.
 */
export const autoNameOverrides: Record<string, AutoNameRule> = {
    "aws:s3/bucket:Bucket": { property: "bucket", lowercase: true },
    "aws:s3/bucketV2:BucketV2": { property: "bucket", lowercase: true },
    "aws:rds/instance:Instance": { property: "identifier", lowercase: true },
    "aws:rds/cluster:Cluster": { property: "clusterIdentifier", lowercase: true },
    "aws:rds/clusterInstance:ClusterInstance": { property: "identifier", lowercase: true },
    "aws:rds/subnetGroup:SubnetGroup": { property: "name", lowercase: true },
    "aws:rds/parameterGroup:ParameterGroup": { property: "name", lowercase: true },
    "aws:rds/optionGroup:OptionGroup": { property: "name", lowercase: true },
};

/** The auto-name Pulumi gives a resource with logical name `name`: `<name>-<7 hex>`. */
export function autoName(name: string, lowercase = false): string {
    const physical = `${name}-${stableHex(name, 7)}`;
    return lowercase ? physical.toLowerCase() : physical;
}

/**
 * Types with a `name` input that pulumi-aws does not auto-name (an explicit
 * `"name": {Name: "name"}` field entry makes `setAutonaming` skip it):
 * a Route 53 record's name is its DNS name (required anyway).
 */
const notAutoNamed = new Set(["aws:route53/record:Record"]);

const hasNameInput = new Map<string, boolean>();

/**
 * Whether the installed @pulumi/aws resource class for `type` takes a `name`
 * input: the generated constructor copies each input with
 * `resourceInputs["name"] = args?.name`. Reading the SDK (not a list typed
 * in here) keeps the harness in step with the provider version installed.
 */
export function takesNameInput(type: string): boolean {
    const cached = hasNameInput.get(type);
    if (cached !== undefined) return cached;
    let found = false;
    const match = /^aws:([^/]+)\/([^:]+):/.exec(type);
    if (match) {
        const [, module, file] = match;
        try {
            const source = fs.readFileSync(require.resolve(`@pulumi/aws/${module === "index" ? "" : `${module}/`}${file}.js`), "utf8");
            found = /resourceInputs\["name"\] = args\?\.name\b/.test(source) || /resourceInputs\["name"\] = args \? args\.name\b/.test(source);
        } catch {
            found = false;
        }
    }
    hasNameInput.set(type, found);
    return found;
}

/** The rule for `type`, or undefined when AWS names nothing the program could set. */
export function autoNameRule(type: string): AutoNameRule | undefined {
    if (notAutoNamed.has(type)) return undefined;
    return autoNameOverrides[type] ?? (takesNameInput(type) ? { property: "name" } : undefined);
}

/**
 * The physical name the provider would send to AWS, as an output: the
 * program's own value when set; with `namePrefix` set, the prefix plus 26
 * characters (the Terraform provider's `id.PrefixedUniqueId`); otherwise the
 * auto-name. Empty when the type has no auto-named property.
 */
export function autoNamedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, string> {
    const rule = autoNameRule(type);
    if (!rule || inputs[rule.property] !== undefined) return {};
    const prefix = rule.property === "name" ? inputs.namePrefix : undefined;
    if (typeof prefix === "string") return { [rule.property]: `${prefix}${stableHex(`prefix:${name}`, 26)}` };
    return { [rule.property]: autoName(name, rule.lowercase) };
}
