/**
 * What kind of thing each AWS resource type is, for the stage picture.
 *
 * Kinds a request passes through, and what protects or names them, get a
 * node per resource; the rest are counted in one summary node per
 * component ("IAM ×6"), so a 130-resource stage stays a
 * picture a person can read.
 */
export interface ResourceKind {
    /** Stable id, used in node ids and CSS-like class names. */
    id: string;
    /** What a reader calls it. */
    label: string;
    /**
     * "each": one node per resource; "linked": one node per resource that
     * has a link (a bucket CloudFront reads), counted in the summary
     * otherwise (a log bucket); "together": one node per component for all
     * resources of this kind (DNS records); "summary": a count in the
     * component's summary node.
     */
    drawn: "each" | "linked" | "together" | "summary";
    /** Graphviz node shape. */
    shape: "box" | "cylinder" | "folder" | "hexagon" | "note" | "component" | "octagon" | "tab" | "box3d";
    /** Fill colour (also used by the Mermaid class). */
    color: string;
}

const KINDS = {
    cdn: { id: "cdn", label: "CloudFront", drawn: "each", shape: "hexagon", color: "#f3d9fa" },
    bucket: { id: "bucket", label: "S3 bucket", drawn: "linked", shape: "folder", color: "#d3f9d8" },
    loadBalancer: { id: "load-balancer", label: "Load balancer", drawn: "each", shape: "hexagon", color: "#e5dbff" },
    fleet: { id: "fleet", label: "Auto Scaling group", drawn: "each", shape: "box3d", color: "#ffe8cc" },
    environment: { id: "environment", label: "Beanstalk environment", drawn: "each", shape: "box3d", color: "#ffe8cc" },
    server: { id: "server", label: "EC2 instance", drawn: "each", shape: "box", color: "#ffe8cc" },
    database: { id: "database", label: "Database", drawn: "each", shape: "cylinder", color: "#d0ebff" },
    certificate: { id: "certificate", label: "Certificate", drawn: "linked", shape: "note", color: "#fff3bf" },
    firewall: { id: "firewall", label: "WAF", drawn: "linked", shape: "octagon", color: "#ffc9c9" },
    key: { id: "key", label: "KMS key", drawn: "linked", shape: "note", color: "#fff3bf" },
    functionCode: { id: "function", label: "Lambda", drawn: "linked", shape: "component", color: "#ffe8cc" },
    dns: { id: "dns", label: "DNS records", drawn: "together", shape: "tab", color: "#c5f6fa" },
    network: { id: "network", label: "network", drawn: "summary", shape: "box", color: "#e9ecef" },
    firewallRules: { id: "security-groups", label: "security groups", drawn: "summary", shape: "box", color: "#e9ecef" },
    iam: { id: "iam", label: "IAM", drawn: "summary", shape: "box", color: "#e9ecef" },
    storageSettings: { id: "bucket-settings", label: "bucket settings", drawn: "summary", shape: "box", color: "#e9ecef" },
    edgeSettings: { id: "cdn-settings", label: "CloudFront settings", drawn: "summary", shape: "box", color: "#e9ecef" },
    lbSettings: { id: "load-balancer-settings", label: "listeners", drawn: "summary", shape: "box", color: "#e9ecef" },
    scaling: { id: "scaling", label: "scaling", drawn: "summary", shape: "box", color: "#e9ecef" },
    launch: { id: "launch", label: "launch template", drawn: "summary", shape: "box", color: "#e9ecef" },
    deploy: { id: "deploy", label: "deploy steps", drawn: "summary", shape: "box", color: "#e9ecef" },
    secrets: { id: "secrets", label: "secrets", drawn: "summary", shape: "box", color: "#e9ecef" },
    logs: { id: "logs", label: "logs", drawn: "summary", shape: "box", color: "#e9ecef" },
    storage: { id: "storage", label: "volumes", drawn: "summary", shape: "box", color: "#e9ecef" },
    databaseSettings: { id: "database-settings", label: "database settings", drawn: "summary", shape: "box", color: "#e9ecef" },
    other: { id: "other", label: "other", drawn: "summary", shape: "box", color: "#e9ecef" },
} satisfies Record<string, ResourceKind>;

/** Exact types first, then the module part of the token ("aws:s3/..." → "s3"). */
const BY_TYPE: Record<string, ResourceKind> = {
    "aws:cloudfront/distribution:Distribution": KINDS.cdn,
    "aws:s3/bucket:Bucket": KINDS.bucket,
    "aws:s3/bucketV2:BucketV2": KINDS.bucket,
    "aws:lb/loadBalancer:LoadBalancer": KINDS.loadBalancer,
    "aws:autoscaling/group:Group": KINDS.fleet,
    "aws:elasticbeanstalk/environment:Environment": KINDS.environment,
    "aws:ec2/instance:Instance": KINDS.server,
    "aws:rds/instance:Instance": KINDS.database,
    "aws:rds/cluster:Cluster": KINDS.database,
    "aws:acm/certificate:Certificate": KINDS.certificate,
    "aws:acm/certificateValidation:CertificateValidation": KINDS.dns,
    "aws:wafv2/webAcl:WebAcl": KINDS.firewall,
    "aws:kms/key:Key": KINDS.key,
    "aws:lambda/function:Function": KINDS.functionCode,
    "aws:ec2/launchTemplate:LaunchTemplate": KINDS.launch,
    "aws:ec2/securityGroup:SecurityGroup": KINDS.firewallRules,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": KINDS.firewallRules,
    "aws:ebs/volume:Volume": KINDS.storage,
    "aws:ec2/volumeAttachment:VolumeAttachment": KINDS.storage,
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": KINDS.storage,
    "aws:lambda/invocation:Invocation": KINDS.deploy,
    "pulumi-nodejs:dynamic:Resource": KINDS.deploy,
};

const BY_MODULE: Record<string, ResourceKind> = {
    ec2: KINDS.network,
    vpc: KINDS.firewallRules,
    iam: KINDS.iam,
    s3: KINDS.storageSettings,
    cloudfront: KINDS.edgeSettings,
    lb: KINDS.lbSettings,
    autoscaling: KINDS.scaling,
    ssm: KINDS.deploy,
    secretsmanager: KINDS.secrets,
    cloudwatch: KINDS.logs,
    route53: KINDS.dns,
    rds: KINDS.databaseSettings,
    kms: KINDS.key,
    wafv2: KINDS.firewall,
    // The application, its versions and configuration templates: what a deploy uploads.
    elasticbeanstalk: KINDS.deploy,
};

/** The kind of a resource type; unknown types are "Other" (still counted, never dropped). */
export function kindOf(type: string): ResourceKind {
    const exact = BY_TYPE[type];
    if (exact) return exact;
    const module = /^[^:]+:([^/:]+)/.exec(type)?.[1] ?? "";
    const kind = BY_MODULE[module] ?? KINDS.other;
    // A key's alias or policy, a web ACL's association: settings, folded with other settings.
    if ((kind === KINDS.key || kind === KINDS.firewall) && !type.endsWith(":Key") && !type.endsWith(":WebAcl")) return KINDS.other;
    return kind;
}

/** Every kind, for legends and tests. */
export const RESOURCE_KINDS: readonly ResourceKind[] = Object.values(KINDS);
