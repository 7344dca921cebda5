import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { invalid } from "../internal/errors";
import { LOG_RETENTION_DAYS } from "../internal/log-retention";
import { candidateZones, caaRecordNames, checkName, isWithinZone, normalizeName, validationRecordNames } from "./domain-names";

/** Which ACM certificates DnsAndTls requests for the domain. */
export interface CertificateSpec {
    /**
     * A certificate in us-east-1, the only region CloudFront takes
     * certificates from. Needed by StaticSite's distribution.
     * @default true
     */
    cloudFront?: boolean;
    /**
     * A certificate in the stack's region (or the region of the provider
     * given to the component), for an Application Load Balancer or an Elastic
     * Beanstalk environment.
     * @default true
     */
    regional?: boolean;
}

/**
 * DNS query logging of a hosted zone DnsAndTls creates: every query Route 53
 * answers for the zone (name, type, response code, edge location) goes to a
 * CloudWatch Logs log group in us-east-1, the only region Route 53 publishes
 * query logs to.
 */
export interface QueryLoggingSpec {
    /**
     * Log the zone's queries. Only for a zone DnsAndTls creates: an existing
     * zone's logging belongs to whoever manages that zone.
     * @default true when `createZone` is set
     */
    enabled?: boolean;
    /**
     * Days the log group keeps query logs: one of the periods CloudWatch
     * Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
     * 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
     * @default 30
     */
    retentionInDays?: number;
    /**
     * Create the CloudWatch Logs resource policy (in us-east-1) that lets
     * Route 53 write to log groups named `/aws/route53/*` in this account.
     * Resource policies are account-wide and limited to 10 per region, so
     * turn this off when the account already has such a policy (another
     * DnsAndTls, or the one the Route 53 console makes when logging is set
     * up there) that covers `/aws/route53/*`: every log group DnsAndTls
     * makes is named `/aws/route53/...`, so one policy serves them all.
     * @default true
     */
    resourcePolicy?: boolean;
}

/** The arguments of {@link DnsAndTls}. */
export interface DnsAndTlsArgs {
    /**
     * The name to serve, fully qualified, without a trailing dot. It is the
     * certificates' primary name and the name `cloudFrontDomain()` /
     * `regionalDomain()` hand to the serving components. It cannot be a
     * wildcard (list wildcards in `alternativeNames`) and, as ACM requires
     * of a certificate's first name, it is at most 64 characters long.
     * @example "app.example.com"
     */
    domain: string;
    /**
     * Further names the certificates cover (subject alternative names). A
     * wildcard is allowed as the whole left-most label. Every name must lie
     * in the same hosted zone as `domain`.
     * @default []
     * @example ["www.app.example.com", "*.app.example.com"]
     */
    alternativeNames?: string[];
    /**
     * Names only the regional certificate covers, and that neither
     * `cloudFrontDomain()` nor `regionalDomain()` serves: the name a load
     * balancer answers CloudFront on (an origin behind a distribution must
     * present a certificate for the origin's domain name). Point them with
     * `pointAt()`. Needs `certificates.regional`.
     * @default []
     * @example ["origin.app.example.com"]
     */
    regionalOnlyNames?: string[];
    /**
     * The public Route 53 hosted zone to use, by name. With `createZone`, the
     * name of the zone to create.
     * @default found at deploy time: the longest public zone that contains
     *   `domain` and every alternative name (for `api.dev.example.com`, a zone
     *   `dev.example.com` wins over `example.com`)
     * @example "example.com"
     */
    zoneName?: string;
    /**
     * The hosted zone to use, by id (e.g. from another stack). Checked at
     * deploy time to contain `domain`. Not with `zoneName` or `createZone`.
     * @default found by name (see `zoneName`)
     * @example "Z0123456789ABCDEFGHIJ"
     */
    zoneId?: pulumi.Input<string>;
    /**
     * Create the hosted zone (`zoneName`, or `domain` itself) instead of
     * using an existing one. Its name servers are the `nameServers` output:
     * delegate to them from the parent zone or the registrar, or certificate
     * validation waits (and finally times out) until you do.
     * @default false
     */
    createZone?: boolean;
    /**
     * Which certificates to request. Public ACM certificates cost nothing,
     * so both are made unless turned off.
     * @default { cloudFront: true, regional: true }
     */
    certificates?: CertificateSpec;
    /**
     * Write CAA records that let only Amazon's certificate authorities issue
     * certificates for the domain (and any alternative name outside it).
     * Off by default because a name can have only one CAA record set: turn
     * it on when no other CA must issue for these names.
     * @default false
     */
    caa?: boolean;
    /**
     * The provider for what DnsAndTls makes in us-east-1: the CloudFront
     * certificate and, for a zone it creates, the query log group, its
     * resource policy and the DNSSEC key (Route 53 takes both only from
     * us-east-1). Pass one when the component runs with an explicit AWS
     * provider whose credentials differ from the stack's `aws:` config; it
     * must be for us-east-1.
     * @default a us-east-1 provider DnsAndTls creates with the stack's `aws:` settings
     */
    cloudFrontProvider?: aws.Provider;
    /**
     * DNS query logging for a zone DnsAndTls creates (Security Hub
     * Route53.2, checkov CKV2_AWS_39): on by default with `createZone`;
     * `false` turns it off. Refused for a zone DnsAndTls does not create.
     * @default { enabled: true, retentionInDays: 30, resourcePolicy: true } with createZone, else off
     * @example { retentionInDays: 90 }
     */
    queryLogging?: boolean | QueryLoggingSpec;
    /**
     * Sign the zone it creates with DNSSEC (checkov CKV2_AWS_38): an
     * asymmetric KMS key (ECC_NIST_P256, in us-east-1, about $1/month), a
     * key-signing key and zone signing. Signing protects nothing until the
     * DS record (the `dsRecord` output) is added at the parent zone or the
     * registrar. To turn it off later, remove the DS record at the parent
     * first and wait for its TTL to expire: turning signing off while the
     * parent still has the DS record makes the domain fail to resolve for
     * every validating resolver. Only for a zone DnsAndTls creates.
     * @default false
     */
    dnssec?: boolean;
    /**
     * Production safety: the DNSSEC key, key-signing key and signing are
     * Pulumi-`protect`ed (turning signing off or deleting the key while the
     * parent holds the DS record takes the domain offline), the key has a
     * 30-day KMS deletion window, and the query log group survives
     * `pulumi destroy`.
     * @default false
     */
    production?: boolean;
    /** Tags on the zone and the certificates, in addition to webstack's standard tags. @default {} */
    tags?: Record<string, string>;
}

/** Where the hosted zone comes from. */
export type ZoneSource =
    | { kind: "id"; id: pulumi.Input<string> }
    | { kind: "name"; name: string }
    | { kind: "create"; name: string }
    /** Found at deploy time: the first candidate that exists, longest first. */
    | { kind: "lookup"; candidates: string[] };

export interface ResolvedDnsAndTlsArgs {
    domain: string;
    alternativeNames: string[];
    /** Names of the regional certificate only (see DnsAndTlsArgs.regionalOnlyNames). */
    regionalOnlyNames: string[];
    /** `domain` followed by the alternative names and the regional-only names: every name a certificate covers. */
    allNames: string[];
    zone: ZoneSource;
    certificates: Required<CertificateSpec>;
    /** One validation record per distinct base name (apex and `*.apex` share one). */
    validationRecordNames: string[];
    /** The names that get a CAA record; empty when `caa` is off. */
    caaRecordNames: string[];
    /** Query logging of the created zone; undefined when off (always for a zone not created). */
    queryLogging?: Required<Omit<QueryLoggingSpec, "enabled">>;
    dnssec: boolean;
    production: boolean;
    tags: Record<string, string>;
}

/**
 * ACM RequestCertificate, DomainName: "In compliance with RFC 5280, the
 * length of the domain name (technically, the Common Name) that you provide
 * cannot exceed 64 octets". Alternative names may be up to 253.
 */
const MAX_PRIMARY_NAME_LENGTH = 64;

/** Route 53 hosted zone ids: "Z" and upper-case letters and digits (e.g. Z1D633PJN98FT9). */
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/**
 * Validates DnsAndTls's arguments and fills in defaults. Pure: registers no
 * resource, so bad input fails before anything is created.
 * @throws ConfigError naming the argument, the bad value and the fix.
 */
export function resolveDnsAndTlsArgs(args: DnsAndTlsArgs): ResolvedDnsAndTlsArgs {
    if (typeof args?.domain !== "string") {
        invalid("domain", args?.domain, "the domain is missing", 'set domain to the name to serve, e.g. "app.example.com"');
    }
    const domain = normalizeName(args.domain);
    checkName("domain", domain, false);
    if (domain.length > MAX_PRIMARY_NAME_LENGTH) {
        invalid("domain", domain, `ACM limits a certificate's first name to ${MAX_PRIMARY_NAME_LENGTH} characters`, "serve a shorter name and list the long one in alternativeNames");
    }

    const alternativeNames = resolveAlternativeNames(args.alternativeNames, domain);
    const regionalOnlyNames = resolveAlternativeNames(args.regionalOnlyNames, domain, "regionalOnlyNames", alternativeNames);
    const allNames = [domain, ...alternativeNames, ...regionalOnlyNames];
    const zone = resolveZone(args, allNames);

    const certificates = { cloudFront: args.certificates?.cloudFront ?? true, regional: args.certificates?.regional ?? true };
    if (regionalOnlyNames.length > 0 && !certificates.regional) {
        invalid("regionalOnlyNames", args.regionalOnlyNames, "these names go on the regional certificate, which certificates.regional turns off", "leave certificates.regional on, or drop regionalOnlyNames");
    }
    const createsZone = zone.kind === "create";
    const production = args.production ?? false;
    if (typeof production !== "boolean") invalid("production", production, "expected true or false", "write production: true for a production stage, or leave it out");
    return {
        domain,
        alternativeNames,
        regionalOnlyNames,
        allNames,
        zone,
        certificates,
        validationRecordNames: validationRecordNames(allNames),
        caaRecordNames: args.caa ? caaRecordNames(allNames) : [],
        queryLogging: resolveQueryLogging(args.queryLogging, createsZone),
        dnssec: resolveDnssec(args.dnssec, createsZone),
        production,
        tags: args.tags ?? {},
    };
}

/** The zone-level features DnsAndTls manages only on a zone it creates, and why. */
const ONLY_CREATED_ZONES =
    "DnsAndTls manages this only for a hosted zone it creates (createZone: true): an existing zone's logging and signing belong to whoever manages that zone, and a zone has at most one query logging configuration";

function resolveQueryLogging(given: DnsAndTlsArgs["queryLogging"], createsZone: boolean): ResolvedDnsAndTlsArgs["queryLogging"] {
    if (given === undefined || given === false) return createsZone && given === undefined ? { retentionInDays: 30, resourcePolicy: true } : undefined;
    if (given !== true && (typeof given !== "object" || given === null || Array.isArray(given))) {
        invalid("queryLogging", given, "expected true, false or { enabled, retentionInDays, resourcePolicy }", "write queryLogging: false to turn it off, or e.g. queryLogging: { retentionInDays: 90 }");
    }
    const spec: QueryLoggingSpec = given === true ? {} : given;
    const enabled = spec.enabled ?? true;
    if (typeof enabled !== "boolean") invalid("queryLogging.enabled", enabled, "expected true or false", "write enabled: false to turn query logging off, or leave it out");
    if (!enabled) return undefined;
    if (!createsZone) invalid("queryLogging", given, ONLY_CREATED_ZONES, "set createZone: true, or leave queryLogging out and configure logging where the zone is managed");
    const retentionInDays = spec.retentionInDays ?? 30;
    if (typeof retentionInDays !== "number" || !LOG_RETENTION_DAYS.includes(retentionInDays)) {
        invalid("queryLogging.retentionInDays", retentionInDays, "CloudWatch Logs accepts only certain retention periods (webstack never keeps logs forever)", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const resourcePolicy = spec.resourcePolicy ?? true;
    if (typeof resourcePolicy !== "boolean") {
        invalid("queryLogging.resourcePolicy", resourcePolicy, "expected true or false", "write resourcePolicy: false when the account already lets Route 53 write to /aws/route53/*, or leave it out");
    }
    return { retentionInDays, resourcePolicy };
}

function resolveDnssec(given: unknown, createsZone: boolean): boolean {
    const dnssec = given ?? false;
    if (typeof dnssec !== "boolean") invalid("dnssec", dnssec, "expected true or false", "write dnssec: true to sign the zone, or leave it out");
    if (dnssec && !createsZone) invalid("dnssec", dnssec, ONLY_CREATED_ZONES, "set createZone: true (and delegate to its name servers), or enable signing where the zone is managed");
    return dnssec;
}

function resolveAlternativeNames(given: string[] | undefined, domain: string, key = "alternativeNames", taken: string[] = []): string[] {
    if (given === undefined) return [];
    if (!Array.isArray(given)) invalid(key, given, "expected a list of names", 'write a list, e.g. ["www.app.example.com"]');
    const seen = new Set<string>([domain, ...taken]);
    return given.map((raw, index) => {
        const setting = `${key}[${index}]`;
        if (typeof raw !== "string") invalid(setting, raw, "expected a name", 'write a name such as "www.app.example.com"');
        const name = normalizeName(raw);
        checkName(setting, name, true);
        if (seen.has(name)) {
            invalid(setting, raw, name === domain ? "the name is already the domain" : taken.includes(name) ? "the name is already an alternative name" : "the name is listed twice", "list each name once");
        }
        seen.add(name);
        return name;
    });
}

function resolveZone(args: DnsAndTlsArgs, allNames: string[]): ZoneSource {
    const createZone = args.createZone ?? false;
    if (typeof createZone !== "boolean") invalid("createZone", createZone, "expected true or false", "write createZone: true or leave it out");
    if (args.zoneId !== undefined && args.zoneName !== undefined) {
        invalid("zoneId", args.zoneId, "both zoneId and zoneName are set", "give the zone by id or by name, not both");
    }
    if (args.zoneId !== undefined) {
        if (createZone) invalid("createZone", createZone, "a zone given by zoneId already exists", "drop createZone, or drop zoneId to create the zone");
        if (typeof args.zoneId === "string" && !ZONE_ID.test(args.zoneId)) {
            invalid("zoneId", args.zoneId, "not a Route 53 hosted zone id", 'give the bare id such as "Z0123456789ABCDEFGHIJ" (without "/hostedzone/")');
        }
        return { kind: "id", id: args.zoneId };
    }
    if (args.zoneName !== undefined) {
        const zoneName = normalizeName(String(args.zoneName));
        checkName("zoneName", zoneName, false);
        allNames.forEach((name, index) => {
            if (!isWithinZone(name, zoneName)) {
                invalid(
                    index === 0 ? "domain" : `alternativeNames[${index - 1}]`,
                    name,
                    `the name is outside the zone ${zoneName}, so its validation record cannot be written there`,
                    `use a name ending in .${zoneName}, or a zone that contains every name`,
                );
            }
        });
        return createZone ? { kind: "create", name: zoneName } : { kind: "name", name: zoneName };
    }
    if (createZone) {
        allNames.slice(1).forEach((name, index) => {
            if (!isWithinZone(name, allNames[0])) {
                invalid(`alternativeNames[${index}]`, name, `the name is outside the zone to create (${allNames[0]})`, "set zoneName to a zone that contains every name");
            }
        });
        return { kind: "create", name: allNames[0] };
    }
    const candidates = candidateZones(allNames);
    if (candidates.length === 0) {
        const outside = allNames.slice(1).findIndex((name) => candidateZones([allNames[0], name]).length === 0);
        invalid(
            `alternativeNames[${Math.max(outside, 0)}]`,
            allNames[Math.max(outside, 0) + 1],
            `no hosted zone can contain both this name and ${allNames[0]}`,
            "use names under one registered domain (make a second DnsAndTls for another domain)",
        );
    }
    return { kind: "lookup", candidates };
}
