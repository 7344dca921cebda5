import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What Route 53 requires of the KMS key behind a key-signing key (Route 53
 * developer guide, "Working with customer managed keys for DNSSEC"): a
 * customer managed key in US East (N. Virginia), asymmetric, key spec
 * ECC_NIST_P256, used only for signing and verification.
 */
export const DNSSEC_KEY_REGION = "us-east-1";
export const DNSSEC_KEY_SPEC = "ECC_NIST_P256";
export const DNSSEC_KEY_USAGE = "SIGN_VERIFY";
/** The service principal that uses the key (same guide, key policy statements). */
export const DNSSEC_SERVICE_PRINCIPAL = "dnssec-route53.amazonaws.com";

export interface DnssecInputs {
    /** The component's name: children are `${name}-dnssec-key`, `-ksk`, `-dnssec`. */
    name: string;
    zone: aws.route53.Zone;
    production: boolean;
    tags: Record<string, string>;
    /** A provider for us-east-1. */
    provider: aws.Provider;
    parent: pulumi.Resource;
}

export interface Dnssec {
    key: aws.kms.Key;
    keySigningKey: aws.route53.KeySigningKey;
    signing: aws.route53.HostedZoneDnsSec;
}

/**
 * The key policy: Route 53's DNSSEC service may describe the key, read its
 * public key and sign, for hosted zones of this account only
 * (aws:SourceAccount, and aws:SourceArn in the `hostedzone/*` form the
 * guide gives), and create grants for AWS resources only
 * (kms:GrantIsForAWSResource); the account keeps administration (the
 * default key policy's root statement: without it no IAM policy could
 * manage the key, and KMS refuses a policy that locks its caller out).
 */
export function dnssecKeyPolicy(accountId: pulumi.Input<string>, partition: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Route53DnssecUsesTheKey",
                Effect: "Allow",
                Principal: { Service: DNSSEC_SERVICE_PRINCIPAL },
                Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:route53:::hostedzone/*` },
                },
            },
            {
                Sid: "Route53DnssecCreatesGrantsForAwsResources",
                Effect: "Allow",
                Principal: { Service: DNSSEC_SERVICE_PRINCIPAL },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            {
                Sid: "AccountAdministersTheKey",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    });
}

/** A key-signing key name: 3-128 letters, digits and underscores (CloudFormation AWS::Route53::KeySigningKey, Name), unique in the zone. */
export function keySigningKeyName(componentName: string): string {
    return `${componentName.replace(/[^A-Za-z0-9_]/g, "_")}_ksk`.slice(-128);
}

/**
 * DNSSEC signing of a zone DnsAndTls created: the KMS key in us-east-1, a
 * key-signing key (ACTIVE) made from it, and signing turned on once the KSK
 * exists (aws.route53.HostedZoneDnsSec docs: dependsOn the KSK).
 *
 * What it cannot do for you: the chain of trust. Signing protects nothing
 * until the DS record (the KSK's `dsRecord`, an output of DnsAndTls) is
 * added at the parent zone or the registrar. Turning signing off while the
 * parent still has the DS record makes the domain unresolvable for every
 * validating resolver: remove the DS record first and wait out its TTL
 * (HostedZoneDnsSec docs; Route 53 developer guide, "Disabling DNSSEC
 * signing"). So in production all three are `protect`ed: Pulumi deletes
 * dependents first, and protecting the key alone would let an update turn
 * signing off and delete the KSK before it stopped at the key. KMS also
 * waits 30 days before deleting the key. Asymmetric KMS keys cannot rotate
 * automatically (KMS developer guide, "Rotating keys"): rotating the KSK is
 * a manual, DS-coordinated change, so the key has no rotation setting.
 *
 * On a second `pulumi up` nothing changes. The KSK is never replaced
 * automatically with a new one before the old is gone (its name is unique
 * in the zone), which is what a rollover needs anyway: a second KSK, a new
 * DS record, then the old one removed.
 */
export function createDnssec(inputs: DnssecInputs): Dnssec {
    const { name, zone, provider, parent, production, tags } = inputs;
    const accountId = aws.getCallerIdentityOutput({}, { parent, provider }).accountId;
    const partition = aws.getPartitionOutput({}, { parent, provider }).partition;
    const key = new aws.kms.Key(
        `${name}-dnssec-key`,
        {
            description: pulumi.interpolate`DNSSEC key-signing key for ${zone.name} (webstack)`,
            customerMasterKeySpec: DNSSEC_KEY_SPEC,
            keyUsage: DNSSEC_KEY_USAGE,
            deletionWindowInDays: production ? 30 : 7,
            policy: dnssecKeyPolicy(accountId, partition),
            tags,
        },
        { parent, provider, protect: production },
    );
    const keySigningKey = new aws.route53.KeySigningKey(
        `${name}-ksk`,
        { hostedZoneId: zone.zoneId, keyManagementServiceArn: key.arn, name: keySigningKeyName(name), status: "ACTIVE" },
        { parent, provider, protect: production },
    );
    const signing = new aws.route53.HostedZoneDnsSec(
        `${name}-dnssec`,
        { hostedZoneId: keySigningKey.hostedZoneId, signingStatus: "SIGNING" },
        { parent, provider, dependsOn: [keySigningKey], protect: production },
    );
    return { key, keySigningKey, signing };
}
