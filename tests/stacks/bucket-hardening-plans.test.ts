import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";

/**
 * Issue 10, "Production hardening", over the real stage files in both
 * layouts: the TLS-only deny on every bucket, versioning and server access
 * logs in production, CloudFront standard logging in production, and the
 * optional WAF web ACL.
 */
const T = {
    bucket: "aws:s3/bucket:Bucket",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    distribution: "aws:cloudfront/distribution:Distribution",
    deliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    deliveryDestination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    webAcl: "aws:wafv2/webAcl:WebAcl",
};

const stages = ["dev", "staging", "prod"] as const;
const layouts = ["iaas", "paas"] as const;

type Statement = { Sid?: string; Effect: string; Principal: unknown; Action?: string | string[]; NotAction?: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };

function ofType(plan: PlanDocument, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

/** The bucket's name (the harness gives auto-named buckets their name as id). */
function bucketName(bucket: PlannedResource): string {
    return String(bucket.outputs?.bucket);
}

function bucketArn(bucket: PlannedResource): string {
    return String(bucket.outputs?.arn);
}

/** The one resource of `type` configuring `bucket` (by its `bucket` input). */
function settingOf(plan: PlanDocument, type: string, bucket: PlannedResource): PlannedResource[] {
    return ofType(plan, type).filter((r) => r.inputs.bucket === bucketName(bucket));
}

function statementsOf(plan: PlanDocument, bucket: PlannedResource): Statement[] {
    const policies = settingOf(plan, T.policy, bucket);
    assert.equal(policies.length, 1, `${plan.stage}: bucket ${bucket.name} has ${policies.length} bucket policies, expected 1`);
    return JSON.parse(String(policies[0].inputs.policy)).Statement as Statement[];
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const LOG_BUCKET = (stage: string) => `${stage}-logs`;

describe("bucket hardening over every stage × layout plan", function () {
    this.timeout(300_000);
    const plans: Record<string, PlanDocument> = {};

    before(async () => {
        for (const stage of stages) {
            for (const layout of layouts) plans[`${stage}/${layout}`] = await planStage({ stage, overrides: [`webstack:layout=${layout}`] });
        }
    });

    const each = (fn: (plan: PlanDocument, key: string) => void) => () => {
        for (const [key, plan] of Object.entries(plans)) fn(plan, key);
    };

    it(
        "gives every bucket a policy that denies every request without TLS on the bucket and its objects",
        each((plan, key) => {
            const buckets = ofType(plan, T.bucket);
            assert.ok(buckets.length >= 2, `${key}: expected at least the site and release buckets`);
            for (const bucket of buckets) {
                const deny = statementsOf(plan, bucket).find((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false");
                assert.ok(deny, `${key}: ${bucket.name} has no TLS-only deny`);
                assert.equal(deny.Principal, "*");
                assert.deepEqual(asList(deny.Resource).sort(), [bucketArn(bucket), `${bucketArn(bucket)}/*`].sort(), `${key}: ${bucket.name}`);
                // The S3 website bucket (dev) still needs TLS for everything but anonymous reads through its HTTP-only endpoint.
                const website = plan.resources.some((r) => r.type === "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration" && r.inputs.bucket === bucketName(bucket));
                if (website) assert.deepEqual(asList(deny.NotAction), ["s3:GetObject"], `${key}: ${bucket.name}`);
                else assert.deepEqual(asList(deny.Action), ["s3:*"], `${key}: ${bucket.name}`);
            }
        }),
    );

    it(
        "versions every bucket and logs its access to the stage's log bucket in prod, and neither in dev or staging",
        each((plan, key) => {
            const production = plan.stage === "prod";
            const logBuckets = ofType(plan, T.bucket).filter((b) => b.name === LOG_BUCKET(plan.stage));
            assert.equal(logBuckets.length, production ? 1 : 0, `${key}: log buckets`);
            for (const bucket of ofType(plan, T.bucket)) {
                const versioning = settingOf(plan, T.versioning, bucket);
                const lifecycle = settingOf(plan, T.lifecycle, bucket);
                const logging = settingOf(plan, T.logging, bucket);
                if (!production) {
                    assert.deepEqual([versioning.length, lifecycle.length, logging.length], [0, 0, 0], `${key}: ${bucket.name} is versioned or logged outside production`);
                    continue;
                }
                assert.equal(versioning.length, 1, `${key}: ${bucket.name} versioning`);
                assert.equal((versioning[0].inputs.versioningConfiguration as { status: string }).status, "Enabled");
                assert.equal(lifecycle.length, 1, `${key}: ${bucket.name} lifecycle`);
                const rules = lifecycle[0].inputs.rules as { status: string; noncurrentVersionExpiration?: { noncurrentDays: number } }[];
                assert.ok(
                    rules.some((r) => r.status === "Enabled" && (r.noncurrentVersionExpiration?.noncurrentDays ?? 0) > 0),
                    `${key}: ${bucket.name} keeps noncurrent versions forever`,
                );
                if (bucket.name === LOG_BUCKET(plan.stage)) {
                    // Checklist rule 6 waiver: the log bucket does not log to itself.
                    assert.equal(logging.length, 0, `${key}: the log bucket logs to itself`);
                    continue;
                }
                assert.equal(logging.length, 1, `${key}: ${bucket.name} server access logs`);
                assert.equal(logging[0].inputs.targetBucket, bucketName(logBuckets[0]), `${key}: ${bucket.name} logs elsewhere`);
                assert.match(String(logging[0].inputs.targetPrefix), /\/$/);
            }
        }),
    );

    it("gives prod's log bucket SSE-S3, no ACLs, no public access, an expiry, and a policy letting only S3 logging and CloudFront's delivery write, from this account", async () => {
        for (const layout of layouts) {
            const plan = plans[`prod/${layout}`];
            const [logBucket] = ofType(plan, T.bucket).filter((b) => b.name === LOG_BUCKET("prod"));
            const encryption = settingOf(plan, T.encryption, logBucket)[0].inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
            // Server access logs cannot be written to an SSE-KMS bucket.
            assert.deepEqual(encryption.map((r) => r.applyServerSideEncryptionByDefault.sseAlgorithm), ["AES256"]);
            assert.equal((settingOf(plan, T.ownership, logBucket)[0].inputs.rule as { objectOwnership: string }).objectOwnership, "BucketOwnerEnforced");
            const block = settingOf(plan, T.publicAccess, logBucket)[0].inputs;
            assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
            const rules = settingOf(plan, T.lifecycle, logBucket)[0].inputs.rules as { status: string; expiration?: { days: number } }[];
            assert.ok(rules.some((r) => r.status === "Enabled" && r.expiration?.days === 90), "log bucket expiry");

            const statements = statementsOf(plan, logBucket);
            const account = "123456789012";
            const s3Logging = statements.find((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "logging.s3.amazonaws.com" }));
            assert.ok(s3Logging, "no grant to logging.s3.amazonaws.com");
            assert.equal(s3Logging.Effect, "Allow");
            assert.deepEqual(asList(s3Logging.Action), ["s3:PutObject"]);
            assert.deepEqual(asList(s3Logging.Resource), [`${bucketArn(logBucket)}/*`]);
            assert.equal(s3Logging.Condition?.StringEquals?.["aws:SourceAccount"], account);
            // Only the stage's own buckets: their auto-names start with the stage.
            assert.equal(s3Logging.Condition?.ArnLike?.["aws:SourceArn"], "arn:aws:s3:::prod-*");
            for (const bucket of ofType(plan, T.bucket).filter((b) => b.name !== logBucket.name)) {
                assert.ok(bucketArn(bucket).startsWith("arn:aws:s3:::prod-"), `${bucket.name} would not be allowed to log`);
            }
            const delivery = statements.filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "delivery.logs.amazonaws.com" }));
            assert.ok(delivery.length >= 1, "no grant to CloudFront's log delivery");
            for (const statement of delivery) {
                assert.equal(statement.Condition?.StringEquals?.["aws:SourceAccount"], account);
                assert.equal(statement.Condition?.ArnLike?.["aws:SourceArn"], `arn:aws:logs:us-east-1:${account}:delivery-source:*`);
            }
            const write = delivery.find((s) => asList(s.Action).includes("s3:PutObject"));
            assert.ok(write);
            assert.equal(write.Condition?.StringEquals?.["s3:x-amz-acl"], "bucket-owner-full-control");
            // Nothing else is allowed.
            assert.deepEqual(statements.filter((s) => s.Effect === "Allow").length, 1 + delivery.length);
        }
    });

    it("sends prod's CloudFront standard logs (v2) to the log bucket from us-east-1, and dev's and staging's nowhere", () => {
        for (const [key, plan] of Object.entries(plans)) {
            const sources = ofType(plan, T.deliverySource);
            if (plan.stage !== "prod") {
                assert.deepEqual([sources.length, ofType(plan, T.delivery).length], [0, 0], key);
                continue;
            }
            const [distribution] = ofType(plan, T.distribution);
            assert.equal(sources.length, 1, key);
            assert.equal(sources[0].inputs.logType, "ACCESS_LOGS");
            assert.equal(sources[0].inputs.resourceArn, distribution.outputs?.arn);
            const [destination] = ofType(plan, T.deliveryDestination);
            const [logBucket] = ofType(plan, T.bucket).filter((b) => b.name === LOG_BUCKET("prod"));
            assert.equal((destination.inputs.deliveryDestinationConfiguration as { destinationResourceArn: string }).destinationResourceArn, bucketArn(logBucket));
            const [delivery] = ofType(plan, T.delivery);
            assert.equal(delivery.inputs.deliverySourceName, sources[0].outputs?.name ?? sources[0].inputs.name);
            assert.equal(delivery.inputs.deliveryDestinationArn, destination.outputs?.arn);
            for (const resource of [sources[0], destination, delivery]) assert.equal(resource.inputs.region, "us-east-1", `${resource.name} is not in us-east-1`);
        }
    });

    it(
        "creates no WAF web ACL by default (the prod stage file turns it on)",
        each((plan, key) => {
            if (key.startsWith("prod")) {
                assert.equal(siteAcls(plan).length, 1, `${key}: Pulumi.prod.yaml sets webstack:site.waf (checklist row 10)`);
                return;
            }
            assert.equal(siteAcls(plan).length, 0, key);
            for (const distribution of ofType(plan, T.distribution)) assert.equal(distribution.inputs.webAclId, undefined, key);
        }),
    );
});

/** The distribution's web ACLs (a production fleet's ALB has a REGIONAL one of its own). */
function siteAcls(plan: PlanDocument): PlannedResource[] {
    return ofType(plan, T.webAcl).filter((acl) => acl.inputs.scope === "CLOUDFRONT");
}

describe("webstack:site.waf", function () {
    this.timeout(120_000);

    for (const stage of ["staging", "prod"]) {
        it(`${stage}: creates a CLOUDFRONT-scope web ACL in us-east-1 with AWS's common rule set and attaches it to the distribution`, async () => {
            const plan = await planStage({ stage, overrides: ["webstack:site.waf=true"] });
            const acls = siteAcls(plan);
            assert.equal(acls.length, 1);
            const acl = acls[0].inputs as Record<string, any>;
            assert.equal(acl.scope, "CLOUDFRONT");
            assert.equal(acl.region, "us-east-1");
            assert.deepEqual(acl.defaultAction, { allow: {} });
            assert.equal(acl.rules.length, 1);
            const [rule] = acl.rules;
            assert.deepEqual(rule.statement.managedRuleGroupStatement, { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" });
            assert.deepEqual(rule.overrideAction, { none: {} });
            assert.equal(rule.visibilityConfig.cloudwatchMetricsEnabled, true);
            assert.equal(acl.visibilityConfig.cloudwatchMetricsEnabled, true);
            assert.equal(acl.visibilityConfig.sampledRequestsEnabled, true);
            const [distribution] = ofType(plan, T.distribution);
            // WAFv2: the distribution takes the web ACL's ARN, not its id.
            assert.equal(distribution.inputs.webAclId, acls[0].outputs?.arn);
            assert.match(String(distribution.inputs.webAclId), /^arn:aws:wafv2:us-east-1:/);
        });
    }

    const bad = [
        { stage: "dev", override: "webstack:site.waf=true", value: true, fix: /hosting: cloudfront|drop webstack:site.waf/ },
        { stage: "prod", override: 'webstack:site.waf="yes"', value: "yes", fix: /boolean/ },
        { stage: "prod", override: "webstack:site.waf=1", value: 1, fix: /boolean/ },
    ];
    for (const { stage, override, value, fix } of bad) {
        it(`${stage}: rejects ${override} with a ConfigError naming webstack:site.waf, its value and the fix`, async () => {
            await assert.rejects(planStage({ stage, overrides: [override] }), (error: unknown) => {
                assert.ok(error instanceof ConfigError, String(error));
                assert.equal(error.setting, "webstack:site.waf");
                assert.deepEqual(error.value, value);
                assert.match(error.fix, fix);
                return true;
            });
        });
    }
});
