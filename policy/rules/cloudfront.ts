import { asList, CheckedResource, PlanView } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";
import { BUCKET_TYPES, bucketIsPublic } from "./s3";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";
const CERTIFICATE = "aws:acm/certificate:Certificate";

interface Behavior {
    pathPattern?: string;
    viewerProtocolPolicy?: string;
    responseHeadersPolicyId?: string;
}

function behaviors(distribution: CheckedResource): Behavior[] {
    return [distribution.inputs.defaultCacheBehavior, ...asList(distribution.inputs.orderedCacheBehaviors)].filter(Boolean) as Behavior[];
}

function behaviorName(behavior: Behavior): string {
    return behavior.pathPattern ? `behavior ${behavior.pathPattern}` : "the default behavior";
}

/** Runs `check` over every distribution; each returns its problems. */
function perDistribution(view: PlanView, rule: number, check: (distribution: CheckedResource) => string[]): Violation[] {
    return view.ofType(DISTRIBUTION).flatMap((distribution) => check(distribution).map((problem) => violation(rule, distribution, problem)));
}

/** An origin on an S3 REST endpoint (`<bucket>.s3.<region>.amazonaws.com`), which OAC protects. */
function isS3RestOrigin(domainName: unknown): boolean {
    return typeof domainName === "string" && /\.s3\.([a-z0-9-]+\.)?amazonaws\.com$/.test(domainName);
}

export const cloudFrontRules: ChecklistRule[] = [
    {
        number: 7,
        mirrors: "CKV_AWS_34 · CloudFront.3",
        title: "viewers reach every behavior over HTTPS only",
        dev: "keep",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) =>
            perDistribution(view, 7, (distribution) =>
                behaviors(distribution)
                    .filter((behavior) => !["redirect-to-https", "https-only"].includes(behavior.viewerProtocolPolicy ?? ""))
                    .map((behavior) => `${behaviorName(behavior)} allows ${behavior.viewerProtocolPolicy ?? "allow-all"}`),
            ),
    },
    {
        number: 8,
        mirrors: "CKV_AWS_174 · CloudFront.7/.8 · AwsSolutions-CFR4",
        title: "a custom domain is served with an ACM certificate, SNI only, TLSv1.2_2021",
        dev: "keep",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) =>
            perDistribution(view, 8, (distribution) => {
                // The default *.cloudfront.net certificate is fine without a custom domain (§8 "dev" column).
                if (asList(distribution.inputs.aliases).length === 0) return [];
                const certificate = (distribution.inputs.viewerCertificate ?? {}) as Record<string, unknown>;
                const problems: string[] = [];
                if (!certificate.acmCertificateArn) problems.push("serves its aliases without an ACM certificate");
                if (certificate.sslSupportMethod !== "sni-only") problems.push(`sslSupportMethod is ${String(certificate.sslSupportMethod)}, not sni-only`);
                if (certificate.minimumProtocolVersion !== "TLSv1.2_2021") problems.push(`minimumProtocolVersion is ${String(certificate.minimumProtocolVersion)}, not TLSv1.2_2021`);
                return problems;
            }),
    },
    {
        number: 9,
        mirrors: "CloudFront.13 · AwsSolutions-CFR7 · CKV2_AWS_46",
        title: "S3 origins use origin access control and no bucket is public",
        dev: "keep",
        severity: "mandatory",
        types: [DISTRIBUTION, ...BUCKET_TYPES],
        check: (view) => [
            ...perDistribution(view, 9, (distribution) =>
                (asList(distribution.inputs.origins) as { domainName?: unknown; originId?: string; originAccessControlId?: unknown }[])
                    .filter((origin) => isS3RestOrigin(origin.domainName) && !origin.originAccessControlId)
                    .map((origin) => `S3 origin ${origin.originId ?? "?"} has no origin access control`),
            ),
            ...view.ofType(...BUCKET_TYPES).filter((bucket) => bucketIsPublic(view, bucket)).map((bucket) => violation(9, bucket, "its bucket policy lets anyone read it")),
        ],
    },
    {
        number: 10,
        mirrors: "CKV_AWS_68 · CloudFront.6",
        title: "a WAF web ACL protects the distribution",
        dev: "relax",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) => perDistribution(view, 10, (distribution) => (distribution.inputs.webAclId ? [] : ["has no web ACL (webAclId)"])),
    },
    {
        number: 11,
        mirrors: "CKV_AWS_86 · CloudFront.5 · AwsSolutions-CFR3",
        title: "standard (access) logging is on; webstack uses the v2 delivery to S3, which checkov CKV_AWS_86 and Security Hub CloudFront.5 do not see (they read only legacy loggingConfig, which needs bucket ACLs)",
        dev: "relax",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) =>
            perDistribution(view, 11, (distribution) => {
                const legacy = (distribution.inputs.loggingConfig as { bucket?: unknown } | undefined)?.bucket;
                return legacy || deliversLogs(view, distribution) ? [] : ["has no standard logging (loggingConfig.bucket or a CloudWatch log delivery)"];
            }),
    },
    {
        number: 12,
        mirrors: "CKV2_AWS_32 + CKV_AWS_259",
        title: "every behavior attaches a response headers policy with HSTS and the security headers",
        dev: "keep",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) =>
            perDistribution(view, 12, (distribution) =>
                behaviors(distribution).flatMap((behavior) => {
                    const policy = view.referenced(behavior.responseHeadersPolicyId, HEADERS_POLICY);
                    if (!policy) return [`${behaviorName(behavior)} has no response headers policy`];
                    const headers = (policy.inputs.securityHeadersConfig ?? {}) as Record<string, unknown>;
                    const missing = ["strictTransportSecurity", "contentTypeOptions", "frameOptions", "referrerPolicy"].filter((header) => !headers[header]);
                    return missing.length ? [`${behaviorName(behavior)}: headers policy ${policy.name} lacks ${missing.join(", ")}`] : [];
                }),
            ),
    },
    {
        number: 13,
        mirrors: "CloudFront.1 · CKV_AWS_305",
        title: "a default root object is set",
        dev: "keep",
        severity: "mandatory",
        types: [DISTRIBUTION],
        check: (view) => perDistribution(view, 13, (distribution) => (distribution.inputs.defaultRootObject ? [] : ["has no defaultRootObject"])),
    },
];

/**
 * CloudFront standard logging v2: a CloudWatch vended-logs delivery whose
 * source is this distribution (its ARN as the source's resourceArn).
 */
function deliversLogs(view: PlanView, distribution: CheckedResource): boolean {
    const sources = view
        .ofType("aws:cloudwatch/logDeliverySource:LogDeliverySource")
        .filter((source) => source.inputs.resourceArn === distribution.outputs?.arn && source.inputs.logType === "ACCESS_LOGS");
    return sources.some((source) =>
        view.ofType("aws:cloudwatch/logDelivery:LogDelivery").some((delivery) => view.referenced(delivery.inputs.deliverySourceName, "aws:cloudwatch/logDeliverySource:LogDeliverySource") === source),
    );
}

export { CERTIFICATE, DISTRIBUTION };
