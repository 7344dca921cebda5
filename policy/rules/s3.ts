import { asList, CheckedResource, isTrue, PlanView, policyStatements } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const VERSIONING_TYPES = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
export const LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ACL_TYPES = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
export const WEBSITE_TYPES = ["aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"];

/** Runs `check` for every bucket of the stage. */
function perBucket(view: PlanView, check: (bucket: CheckedResource) => string | undefined, rule: number): Violation[] {
    const found: Violation[] = [];
    for (const bucket of view.ofType(...BUCKET_TYPES)) {
        const problem = check(bucket);
        if (problem) found.push(violation(rule, bucket, problem));
    }
    return found;
}

/** The statements of the bucket's policies (undefined entries for unreadable documents). */
function bucketPolicyStatements(view: PlanView, bucket: CheckedResource): (Record<string, unknown>[] | undefined)[] {
    return view.referring(bucket, "bucket", BUCKET_POLICY).map((policy) => policyStatements(policy.inputs.policy));
}

/** A Deny of every S3 action over plain HTTP: `"aws:SecureTransport": "false"` under a Bool condition. */
export function deniesPlainHttp(statement: Record<string, unknown>): boolean {
    if (statement.Effect !== "Deny") return false;
    const actions = asList(statement.Action);
    if (!actions.includes("s3:*")) return false;
    const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
    const secureTransport = condition?.Bool?.["aws:SecureTransport"];
    return secureTransport === "false" || secureTransport === false;
}

function grantsEveryone(statement: Record<string, unknown>): boolean {
    if (statement.Effect !== "Allow") return false;
    const principal = statement.Principal as unknown;
    if (principal === "*") return true;
    const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
    return asList(aws).includes("*");
}

export const s3Rules: ChecklistRule[] = [
    {
        number: 1,
        mirrors: "CKV_AWS_53-56 · S3.8 · AwsSolutions-S2",
        title: "every bucket blocks public access (all four flags)",
        dev: "keep",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                const blocks = view.referring(bucket, "bucket", PUBLIC_ACCESS_BLOCK);
                if (blocks.length === 0) return "has no BucketPublicAccessBlock";
                const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
                const off = flags.filter((flag) => !blocks.some((block) => isTrue(block.inputs[flag])));
                return off.length ? `public access block leaves ${off.join(", ")} off` : undefined;
            }, 1),
    },
    {
        number: 2,
        mirrors: "CKV2_AWS_65 · S3.12",
        title: "ACLs disabled: BucketOwnerEnforced, no ACL",
        dev: "keep",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                if (bucket.inputs.acl !== undefined || view.referring(bucket, "bucket", ...ACL_TYPES).length) return "sets an ACL";
                const ownership = view.referring(bucket, "bucket", OWNERSHIP);
                const enforced = ownership.some((control) => (control.inputs.rule as { objectOwnership?: string } | undefined)?.objectOwnership === "BucketOwnerEnforced");
                return enforced ? undefined : "object ownership is not BucketOwnerEnforced";
            }, 2),
    },
    {
        number: 3,
        mirrors: "S3.5 · AwsSolutions-S10 · CIS 2.1.1",
        title: "the bucket policy denies requests without TLS",
        dev: "keep",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                const documents = bucketPolicyStatements(view, bucket);
                if (documents.length === 0) return "has no bucket policy, so nothing denies plain HTTP";
                if (documents.some((statements) => statements === undefined)) return "has a bucket policy that is not readable JSON";
                return documents.some((statements) => statements!.some(deniesPlainHttp)) ? undefined : "no statement denies s3:* when aws:SecureTransport is false";
            }, 3),
    },
    {
        number: 4,
        mirrors: "CKV_AWS_19 / CKV_AWS_145 · S3.17",
        title: "default encryption: SSE-KMS with a bucket key in production, SSE-S3 allowed elsewhere",
        dev: "looser",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                const rules = view.referring(bucket, "bucket", ...SSE_TYPES).flatMap((config) => asList(config.inputs.rules)) as {
                    applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
                    bucketKeyEnabled?: unknown;
                }[];
                if (rules.length === 0) return "has no default encryption configuration";
                const algorithm = rules[0].applyServerSideEncryptionByDefault?.sseAlgorithm;
                if (!view.production) return algorithm ? undefined : "has no default encryption algorithm";
                if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") return `encrypts with ${algorithm ?? "nothing"}, not aws:kms`;
                if (!rules[0].applyServerSideEncryptionByDefault?.kmsMasterKeyId) return "uses aws:kms without the stage's key (kmsMasterKeyId)";
                return isTrue(rules[0].bucketKeyEnabled) ? undefined : "uses aws:kms without an S3 bucket key";
            }, 4),
    },
    {
        number: 5,
        mirrors: "CKV_AWS_21 · S3.14",
        title: "versioning enabled",
        dev: "relax",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                const configs = view.referring(bucket, "bucket", ...VERSIONING_TYPES);
                const enabled = configs.some((config) => (config.inputs.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled");
                return enabled ? undefined : "versioning is not Enabled";
            }, 5),
    },
    {
        number: 6,
        mirrors: "CKV_AWS_18 · S3.9 · AwsSolutions-S1",
        title: "server access logs go to a log bucket",
        dev: "relax",
        severity: "mandatory",
        types: BUCKET_TYPES,
        check: (view) =>
            perBucket(view, (bucket) => {
                const logging = view.referring(bucket, "bucket", ...LOGGING_TYPES);
                if (logging.length === 0) return "has no server access logging";
                const target = view.referenced(logging[0].inputs.targetBucket, ...BUCKET_TYPES);
                if (!target) return "logs to a bucket this stage does not manage";
                return target === bucket ? "logs into itself" : undefined;
            }, 6),
    },
];

/** Whether a bucket's policy lets anyone read it (checklist rule 9 reads it too). */
export function bucketIsPublic(view: PlanView, bucket: CheckedResource): boolean {
    return bucketPolicyStatements(view, bucket).some((statements) => (statements ?? []).some(grantsEveryone));
}

