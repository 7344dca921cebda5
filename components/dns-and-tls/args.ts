import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { invalid } from "../internal/errors";
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
     * The provider for the us-east-1 certificate. Pass one when the component
     * runs with an explicit AWS provider whose credentials differ from the
     * stack's `aws:` config.
     * @default a us-east-1 provider DnsAndTls creates with the stack's `aws:` settings
     */
    cloudFrontProvider?: aws.Provider;
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
    /** `domain` followed by the alternative names. */
    allNames: string[];
    zone: ZoneSource;
    certificates: Required<CertificateSpec>;
    /** One validation record per distinct base name (apex and `*.apex` share one). */
    validationRecordNames: string[];
    /** The names that get a CAA record; empty when `caa` is off. */
    caaRecordNames: string[];
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
    const allNames = [domain, ...alternativeNames];
    const zone = resolveZone(args, allNames);

    const certificates = { cloudFront: args.certificates?.cloudFront ?? true, regional: args.certificates?.regional ?? true };
    return {
        domain,
        alternativeNames,
        allNames,
        zone,
        certificates,
        validationRecordNames: validationRecordNames(allNames),
        caaRecordNames: args.caa ? caaRecordNames(allNames) : [],
        tags: args.tags ?? {},
    };
}

function resolveAlternativeNames(given: string[] | undefined, domain: string): string[] {
    if (given === undefined) return [];
    if (!Array.isArray(given)) invalid("alternativeNames", given, "expected a list of names", 'write a list, e.g. ["www.app.example.com"]');
    const seen = new Set<string>([domain]);
    return given.map((raw, index) => {
        const setting = `alternativeNames[${index}]`;
        if (typeof raw !== "string") invalid(setting, raw, "expected a name", 'write a name such as "www.app.example.com"');
        const name = normalizeName(raw);
        checkName(setting, name, true);
        if (seen.has(name)) {
            invalid(setting, raw, name === domain ? "the name is already the domain" : "the name is listed twice", "list each name once");
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
