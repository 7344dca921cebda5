import { PlanView } from "./plan-view";
import { Violation } from "./rule";
import { LOAD_BALANCER } from "./rules/load-balancing";
import { BUCKET_TYPES, LOGGING_TYPES, WEBSITE_TYPES } from "./rules/s3";

/**
 * A documented exception: a checklist rule that a resource webstack creates
 * breaks on purpose, with the reason. docs/production-checklist.md lists
 * each one; the checklist test fails on any violation no waiver covers.
 */
export interface Waiver {
    key: string;
    rules: number[];
    reason: string;
    /** Whether the waiver covers this violation in this stage. */
    covers(violation: Violation, view: PlanView): boolean;
}

const WEB_TIER = "webstack:index:WebTier";
const STATIC_SITE = "webstack:index:StaticSite";

function resourceOf(violation: Violation, view: PlanView) {
    return view.stage.resources.find((resource) => resource.name === violation.resource && resource.type === violation.type);
}

export const waivers: Waiver[] = [
    {
        key: "web-tier-instance-mode",
        rules: [25, 27],
        reason:
            "WebTier's `instance` mode is one EC2 instance that serves HTTP itself, with no load balancer in front: it needs a public address " +
            "(CloudFront's custom origin, or visitors without CloudFront, reach it directly) and admits HTTP from CloudFront's origin-facing " +
            "prefix list (from anywhere without CloudFront), not from a load balancer's security group. The autoscaling and Beanstalk " +
            "modes put instances in private subnets behind an ALB; pick one of them where these rules must hold.",
        covers: (violation, view) => {
            const resource = resourceOf(violation, view);
            return resource?.type === "aws:ec2/instance:Instance" && view.ancestorOfType(resource, WEB_TIER) !== undefined;
        },
    },
    {
        key: "s3-website-hosting",
        rules: [1, 3, 9],
        reason:
            "`site.hosting: s3-website` serves the bucket through S3's website endpoint, which is HTTP only and reads objects anonymously: " +
            "the bucket must be world-readable and cannot deny plain HTTP. Allowed outside production; a production stage needs " +
            "`webstack:acknowledge.s3WebsiteHosting`.",
        covers: (violation, view) => {
            const resource = resourceOf(violation, view);
            if (!resource || !BUCKET_TYPES.includes(resource.type) || !view.ancestorOfType(resource, STATIC_SITE)) return false;
            if (view.referring(resource, "bucket", ...WEBSITE_TYPES).length === 0) return false;
            return !view.production || view.stage.acknowledged.includes("s3WebsiteHosting");
        },
    },
    {
        key: "log-bucket",
        rules: [4, 6],
        reason:
            "Log buckets take SSE-S3 (AES256) only: S3 server access log delivery supports only SSE-S3 on the target bucket " +
            "(S3 user guide, \"Enabling Amazon S3 server access logging\"), and so does an ALB's access log delivery (ELB user guide, " +
            "\"Enable access logs for your Application Load Balancer\", bucket requirements). The stage's log bucket does not log its " +
            "own access: it would log its own log writes forever.",
        covers: (violation, view) => {
            const resource = resourceOf(violation, view);
            if (!resource || !BUCKET_TYPES.includes(resource.type)) return false;
            const targetOfAccessLogs = view.ofType(...LOGGING_TYPES).some((logging) => view.referenced(logging.inputs.targetBucket, ...BUCKET_TYPES) === resource);
            // An ALB's log bucket: the waiver covers its encryption only; it logs its own access like any bucket.
            const targetOfAlbLogs =
                violation.rule === 4 &&
                view.ofType(...LOAD_BALANCER).some((balancer) => view.referenced((balancer.inputs.accessLogs as { bucket?: unknown } | undefined)?.bucket, ...BUCKET_TYPES) === resource);
            return targetOfAccessLogs || targetOfAlbLogs;
        },
    },
    {
        key: "acknowledged-single-az-database",
        rules: [35],
        reason: "A production stage may run a single-AZ database only with `webstack:acknowledge.singleAzDatabase` and its reason, which the plan prints.",
        covers: (_violation, view) => view.stage.acknowledged.includes("singleAzDatabase"),
    },
    {
        key: "acknowledged-ssh-from-internet",
        rules: [26],
        reason: "SSH from the whole internet needs `webstack:acknowledge.sshFromInternet` and its reason, which the plan prints.",
        covers: (_violation, view) => view.stage.acknowledged.includes("sshFromInternet"),
    },
];
