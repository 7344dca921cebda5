import * as assert from "node:assert/strict";
import { DnsAndTls, DnsAndTlsArgs, resolveDnsAndTlsArgs } from "../../components/dns-and-tls";
import { ConfigError } from "../../components/internal/errors";
import { FAKE_ACCOUNT_ID, Harness, RecordedResource, valueOf } from "../../components/testing";

const T = {
    zone: "aws:route53/zone:Zone",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    queryLog: "aws:route53/queryLog:QueryLog",
    key: "aws:kms/key:Key",
    ksk: "aws:route53/keySigningKey:KeySigningKey",
    signing: "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec",
};

interface Statement {
    Sid?: string;
    Effect: string;
    Principal: Record<string, string>;
    Action: string | string[];
    Resource: string;
    Condition?: Record<string, Record<string, string>>;
}

function statements(policy: unknown): Statement[] {
    return (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
}

function actions(statement: Statement): string[] {
    return ([] as string[]).concat(statement.Action);
}

/** The created-zone features of issue 10: "A created hosted zone: query logging and, optionally, DNSSEC signing." */
describe("DnsAndTls: a created zone's query logging and DNSSEC", () => {
    let harness: Harness;
    let logged: DnsAndTls;
    let signed: DnsAndTls;
    let existing: DnsAndTls;
    let quiet: DnsAndTls;

    const byComponent = (type: string, component: string): RecordedResource[] =>
        harness.ofType(type).filter((r) => harness.componentOf(r)?.name === component);

    before(async () => {
        // The stack runs in eu-west-1: everything below must still be in us-east-1.
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
        logged = new DnsAndTls("logged", { domain: "app.example.org", createZone: true, certificates: { cloudFront: false } });
        signed = new DnsAndTls("signed", { domain: "shop.example.net", createZone: true, dnssec: true, production: true, queryLogging: { retentionInDays: 90, resourcePolicy: false } });
        existing = new DnsAndTls("existing", { domain: "www.example.com" });
        quiet = new DnsAndTls("quiet", { domain: "quiet.example.org", createZone: true, queryLogging: false, certificates: { cloudFront: false } });
        await harness.settled();
    });

    describe("query logging", () => {
        it("logs a created zone by default to /aws/route53/<zone>/<component> in us-east-1, kept 30 days", async () => {
            const [group] = byComponent(T.logGroup, "logged");
            assert.ok(group, "a log group");
            assert.deepEqual(harness.providerOf(group), { name: "logged-us-east-1", region: "us-east-1" });
            const inputs = harness.inputsOf(group);
            assert.equal(inputs.name, "/aws/route53/app.example.org/logged");
            assert.ok(inputs.name.startsWith("/aws/route53/"));
            assert.equal(inputs.retentionInDays, 30);
            assert.equal(inputs.tags.component, "dns-and-tls");
            assert.equal(await valueOf(logged.queryLogGroupName), "/aws/route53/app.example.org/logged");
        });

        it("points the zone's query logging configuration at that group, after the resource policy", async () => {
            const queryLog = harness.get(T.queryLog, "logged-query-log");
            const inputs = harness.inputsOf(queryLog);
            assert.equal(inputs.zoneId, await valueOf(logged.zoneId));
            assert.equal(inputs.cloudwatchLogGroupArn, harness.get(T.logGroup, "logged-query-logs").computed?.arn);
            assert.equal(harness.providerOf(queryLog)?.region, "us-east-1");
            assert.ok(queryLog.options.dependsOn.includes(harness.get(T.logPolicy, "logged-query-logs-policy").urn), "created after the policy");
            assert.equal(queryLog.options.deleteBeforeReplace, true, "a zone has one configuration: the old goes first");
        });

        it("lets route53.amazonaws.com create streams and put events in /aws/route53/* only, for this account's zones, in us-east-1", () => {
            const policy = harness.get(T.logPolicy, "logged-query-logs-policy");
            assert.equal(harness.providerOf(policy)?.region, "us-east-1");
            const inputs = harness.inputsOf(policy);
            assert.equal(inputs.policyName, "logged-route53-query-logs");
            const [statement, ...others] = statements(inputs.policyDocument);
            assert.equal(others.length, 0);
            assert.equal(statement.Effect, "Allow");
            assert.deepEqual(statement.Principal, { Service: "route53.amazonaws.com" });
            assert.deepEqual(actions(statement).sort(), ["logs:CreateLogStream", "logs:PutLogEvents"]);
            assert.equal(statement.Resource, `arn:aws:logs:us-east-1:${FAKE_ACCOUNT_ID}:log-group:/aws/route53/*`);
            assert.equal(statement.Condition?.StringEquals["aws:SourceAccount"], FAKE_ACCOUNT_ID);
            assert.equal(statement.Condition?.ArnLike["aws:SourceArn"], "arn:aws:route53:::hostedzone/*");
        });

        it("takes a retention and reuses the account's policy when told (resource policies are limited to 10 per region)", () => {
            assert.equal(harness.inputsOf(harness.get(T.logGroup, "signed-query-logs")).retentionInDays, 90);
            assert.deepEqual(byComponent(T.logPolicy, "signed"), []);
            assert.ok(harness.get(T.queryLog, "signed-query-log").options.dependsOn.every((urn) => !urn.includes(T.logPolicy)), "no policy to wait for");
        });

        it("keeps a production zone's query logs after destroy", () => {
            assert.equal(harness.get(T.logGroup, "signed-query-logs").options.retainOnDelete, true);
            assert.equal(harness.get(T.logGroup, "logged-query-logs").options.retainOnDelete, false);
        });

        it("logs nothing for an existing zone or with queryLogging: false", async () => {
            for (const component of ["existing", "quiet"]) {
                for (const type of [T.logGroup, T.logPolicy, T.queryLog]) assert.deepEqual(byComponent(type, component), [], `${component}: no ${type}`);
            }
            assert.equal(await valueOf(existing.queryLogGroupName), undefined);
            assert.equal(await valueOf(quiet.queryLogGroupName), undefined);
        });
    });

    describe("DNSSEC", () => {
        it("signs only when asked", async () => {
            for (const component of ["logged", "existing", "quiet"]) {
                for (const type of [T.key, T.ksk, T.signing]) assert.deepEqual(byComponent(type, component), [], `${component}: no ${type}`);
            }
            assert.equal(await valueOf(logged.dsRecord), undefined);
        });

        it("makes an asymmetric ECC_NIST_P256 SIGN_VERIFY key in us-east-1, protected in production", () => {
            const key = harness.get(T.key, "signed-dnssec-key");
            assert.deepEqual(harness.providerOf(key), { name: "signed-us-east-1", region: "us-east-1" });
            const inputs = harness.inputsOf(key);
            assert.equal(inputs.customerMasterKeySpec, "ECC_NIST_P256");
            assert.equal(inputs.keyUsage, "SIGN_VERIFY");
            assert.equal(inputs.enableKeyRotation, undefined, "asymmetric keys cannot rotate automatically");
            assert.equal(inputs.deletionWindowInDays, 30);
            assert.equal(key.options.protect, true);
        });

        it("lets dnssec-route53.amazonaws.com use the key for this account's zones, grant only for AWS resources, and the account administer it", () => {
            const policy = statements(harness.inputsOf(harness.get(T.key, "signed-dnssec-key")).policy);
            const service = policy.filter((s) => s.Principal.Service === "dnssec-route53.amazonaws.com");
            const use = service.find((s) => actions(s).includes("kms:Sign"));
            assert.ok(use);
            assert.deepEqual(actions(use).sort(), ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"]);
            assert.equal(use.Condition?.StringEquals["aws:SourceAccount"], FAKE_ACCOUNT_ID);
            assert.equal(use.Condition?.ArnLike["aws:SourceArn"], "arn:aws:route53:::hostedzone/*");
            const grant = service.find((s) => actions(s).includes("kms:CreateGrant"));
            assert.ok(grant);
            assert.deepEqual(actions(grant), ["kms:CreateGrant"]);
            assert.equal(grant.Condition?.Bool["kms:GrantIsForAWSResource"], "true");
            assert.equal(service.length, 2, "the service gets nothing else");
            const admin = policy.filter((s) => s.Principal.AWS !== undefined);
            assert.deepEqual(admin.map((s) => s.Principal.AWS), [`arn:aws:iam::${FAKE_ACCOUNT_ID}:root`]);
            assert.ok(policy.every((s) => s.Effect === "Allow" && s.Principal.AWS !== "*" && s.Principal.Service !== "*"));
        });

        it("makes an ACTIVE key-signing key from that key, then turns signing on, and outputs its DS record", async () => {
            const ksk = harness.get(T.ksk, "signed-ksk");
            const inputs = harness.inputsOf(ksk);
            assert.equal(inputs.status, "ACTIVE");
            assert.equal(inputs.keyManagementServiceArn, harness.get(T.key, "signed-dnssec-key").computed?.arn);
            assert.equal(inputs.hostedZoneId, await valueOf(signed.zoneId));
            assert.match(inputs.name, /^[A-Za-z0-9_]{3,128}$/);
            const signing = harness.get(T.signing, "signed-dnssec");
            assert.ok(signing.options.dependsOn.includes(ksk.urn), "signing waits for the KSK");
            assert.equal(harness.inputsOf(signing).hostedZoneId, await valueOf(signed.zoneId));
            assert.equal(harness.inputsOf(signing).signingStatus, "SIGNING");
            const ds = await valueOf(signed.dsRecord);
            assert.equal(ds, ksk.computed?.dsRecord);
            assert.match(String(ds), /^\d+ 13 2 [0-9A-F]{64}$/);
        });

        it("in production the KSK and signing are protected too, so dropping dnssec stops before signing is turned off", () => {
            assert.equal(harness.get(T.ksk, "signed-ksk").options.protect, true);
            assert.equal(harness.get(T.signing, "signed-dnssec").options.protect, true);
        });

        it("a non-production key, KSK and signing are not protected; the key has the shortest deletion window", async () => {
            const h = await Harness.start({ config: { "aws:region": "us-east-1" }, hostedZones: [] });
            new DnsAndTls("dev", { domain: "dev.example.io", createZone: true, dnssec: true });
            await h.settled();
            const key = h.get(T.key, "dev-dnssec-key");
            assert.equal(key.options.protect, false);
            assert.equal(h.get(T.ksk, "dev-ksk").options.protect, false);
            assert.equal(h.get(T.signing, "dev-dnssec").options.protect, false);
            assert.equal(h.inputsOf(key).deletionWindowInDays, 7);
        });
    });

    describe("bad input fails before any resource", () => {
        const base: DnsAndTlsArgs = { domain: "app.example.com" };
        const cases: { title: string; args: DnsAndTlsArgs; setting: string; fix: RegExp }[] = [
            { title: "dnssec on a zone found by name", args: { ...base, dnssec: true }, setting: "dnssec", fix: /createZone: true/ },
            { title: "dnssec on a zone given by id", args: { ...base, zoneId: "Z0123456789ABCDEFGHIJ", dnssec: true }, setting: "dnssec", fix: /createZone: true/ },
            { title: "dnssec on a named existing zone", args: { ...base, zoneName: "example.com", dnssec: true }, setting: "dnssec", fix: /createZone: true/ },
            { title: "dnssec that is not a boolean", args: { ...base, createZone: true, dnssec: "yes" as unknown as boolean }, setting: "dnssec", fix: /dnssec: true/ },
            { title: "query logging forced on an existing zone", args: { ...base, queryLogging: true }, setting: "queryLogging", fix: /createZone: true/ },
            { title: "query logging settings on an existing zone", args: { ...base, queryLogging: { retentionInDays: 90 } }, setting: "queryLogging", fix: /createZone: true/ },
            { title: "a retention CloudWatch does not offer", args: { ...base, createZone: true, queryLogging: { retentionInDays: 31 } }, setting: "queryLogging.retentionInDays", fix: /30, 60/ },
            { title: "a retention of 0 (forever)", args: { ...base, createZone: true, queryLogging: { retentionInDays: 0 } }, setting: "queryLogging.retentionInDays", fix: /1, 3, 5/ },
            { title: "queryLogging as a string", args: { ...base, createZone: true, queryLogging: "on" as unknown as boolean }, setting: "queryLogging", fix: /queryLogging: false/ },
            { title: "queryLogging.resourcePolicy as a string", args: { ...base, createZone: true, queryLogging: { resourcePolicy: "no" as unknown as boolean } }, setting: "queryLogging.resourcePolicy", fix: /resourcePolicy: false/ },
            { title: "queryLogging.enabled as a string", args: { ...base, createZone: true, queryLogging: { enabled: "false" as unknown as boolean } }, setting: "queryLogging.enabled", fix: /enabled: false/ },
            { title: "production that is not a boolean", args: { ...base, production: "true" as unknown as boolean }, setting: "production", fix: /production: true/ },
        ];
        for (const c of cases) {
            it(`${c.title}: a ConfigError naming ${c.setting}, and no resource`, async () => {
                const h = await Harness.start({ config: { "aws:region": "eu-west-1" }, hostedZones: ["example.com"] });
                assert.throws(
                    () => new DnsAndTls("bad", c.args),
                    (error: unknown) => {
                        assert.ok(error instanceof ConfigError, String(error));
                        assert.equal(error.setting, c.setting);
                        assert.match(error.fix, c.fix);
                        return true;
                    },
                );
                await h.settled();
                assert.deepEqual(h.resources, []);
            });
        }

        it("queryLogging: false and { enabled: false } are fine on any zone", () => {
            assert.equal(resolveDnsAndTlsArgs({ ...base, queryLogging: false }).queryLogging, undefined);
            assert.equal(resolveDnsAndTlsArgs({ ...base, queryLogging: { enabled: false } }).queryLogging, undefined);
            assert.equal(resolveDnsAndTlsArgs({ ...base, createZone: true, queryLogging: { enabled: false } }).queryLogging, undefined);
        });
    });
});
