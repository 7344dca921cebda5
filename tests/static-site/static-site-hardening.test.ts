import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { TLS_ONLY_SID } from "../../components/internal/bucket-hardening";
import { DEFAULT_NONCURRENT_VERSION_DAYS } from "../../components/internal/bucket-versioning";
import { resolveStaticSiteArgs, StaticSite, StaticSiteArgs } from "../../components/static-site";
import { Harness, RecordedResource } from "../../components/testing";
import { typicalSite } from "./static-site-fixtures";

/**
 * StaticSite's production hardening args as a consumer of the npm package
 * uses them: `versioning`, `accessLogs` (server access logs + CloudFront
 * standard logs v2) and `waf`. Without them, nothing of it is created.
 */
const T = {
    site: "webstack:index:StaticSite",
    bucket: "aws:s3/bucket:Bucket",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    cdn: "aws:cloudfront/distribution:Distribution",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    destination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    acl: "aws:wafv2/webAcl:WebAcl",
};

const SHARED_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/0f1e2d3c-aaaa-bbbb-cccc-111122223333";

describe("StaticSite versioning, access logs and WAF", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, stack: "prod" });
        new StaticSite("plain", { path: typicalSite() });
        new StaticSite("kept", { path: typicalSite(), versioning: { noncurrentVersionDays: 90 }, accessLogs: { bucket: "prod-logs-1234567", prefix: "sites/" }, waf: true });
        new StaticSite("devsite", { path: typicalSite(), hosting: "s3-website", versioning: true, accessLogs: { bucket: "dev-logs-1234567" } });
        new StaticSite("shared", { path: typicalSite(), waf: { webAclArn: SHARED_ACL } });
        await harness.settled();
    });

    const childrenOf = (site: string, type: string): RecordedResource[] => harness.descendantsOf(harness.get(T.site, site)).filter((r) => r.type === type);
    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));

    it("creates no versioning, logging or WAF resource without the args", () => {
        for (const type of [T.versioning, T.lifecycle, T.logging, T.source, T.destination, T.delivery, T.acl]) assert.deepEqual(childrenOf("plain", type), [], type);
        assert.equal(inputs(T.cdn, "plain-cdn").webAclId, undefined);
    });

    it("always denies requests without TLS, reads through the S3 website endpoint excepted", () => {
        for (const [site, exceptReads] of [["plain", false], ["devsite", true]] as const) {
            const statements = JSON.parse(inputs(T.policy, `${site}-policy`).policy).Statement;
            const deny = statements.find((s: { Sid?: string }) => s.Sid === TLS_ONLY_SID);
            assert.ok(deny, site);
            assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.deepEqual(exceptReads ? deny.NotAction : deny.Action, exceptReads ? "s3:GetObject" : "s3:*");
        }
    });

    it("versions the bucket and expires old versions after the days asked for (30 with true)", async () => {
        for (const [site, days] of [["kept", 90], ["devsite", DEFAULT_NONCURRENT_VERSION_DAYS]] as const) {
            const bucket = harness.get(T.bucket, `${site}-bucket`);
            assert.deepEqual(inputs(T.versioning, `${site}-versioning`), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
            const [rule] = inputs(T.lifecycle, `${site}-lifecycle`).rules;
            assert.equal(rule.status, "Enabled");
            assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: days });
            assert.deepEqual(rule.expiration, { expiredObjectDeleteMarker: true });
        }
    });

    it("logs the bucket's access to the log bucket under <prefix><name>/", () => {
        assert.deepEqual(
            { targetBucket: inputs(T.logging, "kept-access-logs").targetBucket, targetPrefix: inputs(T.logging, "kept-access-logs").targetPrefix },
            { targetBucket: "prod-logs-1234567", targetPrefix: "sites/kept/" },
        );
        assert.equal(inputs(T.logging, "devsite-access-logs").targetPrefix, "devsite/");
    });

    it("delivers the distribution's standard logs (v2) from us-east-1 to the log bucket, and none for s3-website", () => {
        const cdn = harness.get(T.cdn, "kept-cdn");
        const source = inputs(T.source, "kept-log-source");
        assert.deepEqual([source.region, source.logType, source.resourceArn], ["us-east-1", "ACCESS_LOGS", cdn.computed?.arn]);
        const destination = inputs(T.destination, "kept-log-dest");
        assert.equal(destination.region, "us-east-1");
        assert.equal(destination.deliveryDestinationConfiguration.destinationResourceArn, "arn:aws:s3:::prod-logs-1234567");
        const delivery = inputs(T.delivery, "kept-logs");
        assert.equal(delivery.region, "us-east-1");
        assert.equal(delivery.deliveryDestinationArn, harness.get(T.destination, "kept-log-dest").computed?.arn);
        assert.equal(delivery.s3DeliveryConfigurations[0].suffixPath, "sites/cloudfront/kept/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}");
        assert.deepEqual(childrenOf("devsite", T.source), []);
    });

    it("waf: true creates a CLOUDFRONT web ACL in us-east-1 and attaches its ARN; { webAclArn } attaches that one and creates none", () => {
        const acl = harness.get(T.acl, "kept-waf");
        assert.equal(harness.inputsOf(acl).scope, "CLOUDFRONT");
        assert.equal(harness.inputsOf(acl).region, "us-east-1");
        assert.equal(inputs(T.cdn, "kept-cdn").webAclId, acl.computed?.arn);
        assert.deepEqual(childrenOf("shared", T.acl), []);
        assert.equal(inputs(T.cdn, "shared-cdn").webAclId, SHARED_ACL);
    });
});

describe("StaticSite hardening names AWS accepts, at the longest component name", () => {
    it("keeps delivery source/destination names within 60 characters and WAF names within their patterns", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        const name = `s${"a".repeat(40)}`;
        new StaticSite(name, { path: typicalSite(), accessLogs: { bucket: "logs-bucket" }, waf: true });
        await harness.settled();
        for (const type of [T.source, T.destination]) {
            const [resource] = harness.ofType(type);
            const actual = String(resource.computed?.name ?? harness.inputsOf(resource).name);
            // CloudFormation schema AWS::Logs::DeliverySource / DeliveryDestination: Name 1-60, [\w-].
            assert.ok(actual.length <= 60 && /^[\w-]+$/.test(actual), `${type}: ${actual} (${actual.length})`);
        }
        const acl = harness.inputsOf(harness.ofType(T.acl)[0]);
        // CloudFormation schema AWS::WAFv2::WebACL: EntityDescription, VisibilityConfig.MetricName.
        assert.match(acl.description, /^[a-zA-Z0-9=:#@/\-,.][a-zA-Z0-9+=:#@/\-,.\s]+[a-zA-Z0-9+=:#@/\-,.]{1,256}$/);
        for (const metric of [acl.visibilityConfig.metricName, acl.rules[0].visibilityConfig.metricName]) assert.match(metric, /^[\w#:.\-/]{1,128}$/);
        assert.match(acl.rules[0].name, /^[0-9A-Za-z_-]{1,128}$/);
    });
});

describe("StaticSite hardening args: bad input", () => {
    const site = typicalSite();
    const cases: [string, StaticSiteArgs, string, unknown, RegExp][] = [
        ["waf on s3-website", { path: site, hosting: "s3-website", waf: true }, "waf", true, /hosting: "cloudfront", or drop waf/],
        ["waf as a string", { path: site, waf: "on" as never }, "waf", "on", /waf: true/],
        ["waf with an id instead of an ARN", { path: site, waf: { webAclArn: "0f1e2d3c-aaaa" } }, "waf.webAclArn", "0f1e2d3c-aaaa", /ARN/],
        ["waf with a regional ACL", { path: site, waf: { webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1" } }, "waf.webAclArn", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1", /ARN/],
        ["versioning as a number", { path: site, versioning: 30 as never }, "versioning", 30, /versioning: true/],
        ["versioning of 0 days", { path: site, versioning: { noncurrentVersionDays: 0 } }, "versioning.noncurrentVersionDays", 0, /noncurrentVersionDays: 30/],
        ["access logs without a bucket", { path: site, accessLogs: {} as never }, "accessLogs.bucket", undefined, /bucket: logBucket.bucket/],
        ["access logs to a bucket ARN", { path: site, accessLogs: { bucket: "arn:aws:s3:::logs" } }, "accessLogs.bucket", "arn:aws:s3:::logs", /name, not its ARN/],
        ["an access log prefix without its slash", { path: site, accessLogs: { bucket: "logs-bucket", prefix: "site" } }, "accessLogs.prefix", "site", /"web\/"/],
    ];
    for (const [what, args, setting, value, fix] of cases) {
        it(`refuses ${what}, naming ${setting}, the value and the fix`, () => {
            assert.throws(
                () => resolveStaticSiteArgs(args),
                (error: unknown) => error instanceof ConfigError && error.setting === setting && JSON.stringify(error.value) === JSON.stringify(value) && fix.test(error.fix),
            );
        });
    }

    it("registers no resource when an arg is bad", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        assert.throws(() => new StaticSite("bad", { path: site, hosting: "s3-website", waf: true }), ConfigError);
        await harness.settled();
        assert.deepEqual(harness.resources, []);
    });
});
