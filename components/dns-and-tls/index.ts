import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkComponentName } from "../internal/component-name";
import { defaultTagContext } from "../internal/context";
import { createAliasRecords, CustomDomain } from "../internal/custom-domain";
import { invalid } from "../internal/errors";
import { standardTags } from "../internal/tags";
import { DnsAndTlsArgs, ResolvedDnsAndTlsArgs, resolveDnsAndTlsArgs } from "./args";
import { createCaaRecords } from "./caa";
import { createValidationRecords, requestCertificate, validateCertificate, ValidatedCertificate } from "./certificates";
import { checkName, isWithinZone, normalizeName } from "./domain-names";
import { HostedZone, resolveHostedZone } from "./hosted-zone";
import { createUsEast1Provider } from "./us-east-1-provider";
import { createQueryLogging } from "./query-logging";
import { createDnssec } from "./dnssec";
import { aliasTargetOf, isCloudFrontTarget, PointAtTarget } from "./alias-targets";

export { DnsAndTlsArgs, CertificateSpec, QueryLoggingSpec, resolveDnsAndTlsArgs, ResolvedDnsAndTlsArgs } from "./args";

export { CLOUDFRONT_HOSTED_ZONE_ID, PointAtTarget } from "./alias-targets";

/** Options of {@link DnsAndTls.pointAt}. */
export interface PointAtOptions {
    /**
     * Replace an A/AAAA record of the same name that already exists, e.g.
     * when moving a live name from another host. Without it, an existing
     * record makes the deployment fail rather than be taken over.
     * @default false
     */
    allowOverwrite?: boolean;
    /**
     * Also write an AAAA record. Set it for a dual-stack load balancer.
     * @default true when the target is a CloudFront distribution (the
     *   distribution itself, its `domainName`/`hostedZoneId` outputs, CloudFront's
     *   zone id `Z2FDTNDATAQYW2` or a `*.cloudfront.net` name), else false
     */
    ipv6?: boolean;
    /**
     * Answer only while the target is healthy (useful for ALB and Beanstalk).
     * @default false
     */
    evaluateTargetHealth?: boolean;
}

/**
 * A custom domain with HTTPS in one declaration: the Route 53 hosted zone
 * (found, given or created), ACM certificates validated through DNS — one in
 * us-east-1 for CloudFront and one in the stack's region for a load balancer
 * or Beanstalk — optional CAA records, and alias records to point names at
 * what serves them.
 *
 * ```ts
 * const dns = new DnsAndTls("dns", { domain: "app.example.com", alternativeNames: ["www.app.example.com"] });
 * const site = new StaticSite("site", { path: "./dist", domain: dns.cloudFrontDomain() });
 * ```
 *
 * The hosted zone is found at deploy time as the longest public zone that
 * contains every name (`dev.example.com` wins over `example.com`), unless
 * `zoneName`, `zoneId` or `createZone` says otherwise.
 *
 * A zone it creates (`createZone`) gets DNS query logging to CloudWatch
 * Logs in us-east-1 (`queryLogging`, on by default) and, with `dnssec`,
 * DNSSEC signing: add the `dsRecord` output at the parent zone or the
 * registrar, and remove it there before ever turning signing off.
 *
 * **Cost per month at the defaults:** nothing fixed. Public ACM certificates
 * are free, and an existing hosted zone is already paid for. Route 53 bills
 * standard queries ($0.40 per million) but not alias queries to CloudFront or
 * a load balancer. With `createZone`, the zone adds $0.50, and its query
 * logs cost CloudWatch Logs ingestion ($0.50 per GB, roughly 150 bytes per
 * logged query) and storage for 30 days. `dnssec` adds the KMS key ($1) and
 * its signing requests (cents).
 */
export class DnsAndTls extends pulumi.ComponentResource {
    /** The hosted zone's id. */
    readonly zoneId: pulumi.Output<string>;
    /** The hosted zone's name (e.g. `example.com`). */
    readonly zoneName: pulumi.Output<string>;
    /** The name servers to delegate to when `createZone` made the zone; undefined otherwise. */
    readonly nameServers: pulumi.Output<string[] | undefined>;
    /** The validated ARN of the regional certificate (undefined when not requested). */
    readonly regionalCertificateArn: pulumi.Output<string | undefined>;
    /** The validated ARN of the us-east-1 certificate for CloudFront (undefined when not requested). */
    readonly cloudFrontCertificateArn: pulumi.Output<string | undefined>;
    /**
     * The DS record to add at the parent zone (or the registrar) when
     * `dnssec` signs the zone, e.g. `12345 13 2 1A2B...`: key tag,
     * algorithm 13 (ECDSA P-256 SHA-256), digest type 2 (SHA-256), digest.
     * Undefined without `dnssec`.
     */
    readonly dsRecord: pulumi.Output<string | undefined>;
    /** The CloudWatch Logs group (in us-east-1) receiving the created zone's query logs; undefined when not logged. */
    readonly queryLogGroupName: pulumi.Output<string | undefined>;
    /** The served name, normalized (lower case, no trailing dot). */
    readonly domain: string;
    /** The alternative names, normalized. */
    readonly alternativeNames: string[];

    private readonly resolved: ResolvedDnsAndTlsArgs;
    private readonly regional?: ValidatedCertificate;
    private readonly cloudFront?: ValidatedCertificate;

    constructor(
        private readonly componentName: string,
        args: DnsAndTlsArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Validate before registering anything, this component included.
        checkComponentName(componentName, "DnsAndTls");
        const resolved = resolveDnsAndTlsArgs(args);
        super("webstack:index:DnsAndTls", componentName, {}, opts);
        this.resolved = resolved;
        this.domain = resolved.domain;
        this.alternativeNames = resolved.alternativeNames;
        const tags = standardTags(defaultTagContext(), "dns-and-tls", resolved.tags);

        const zone: HostedZone = resolveHostedZone(componentName, resolved.zone, resolved.domain, tags, this);
        this.zoneId = zone.id;
        this.zoneName = zone.name;
        this.nameServers = zone.nameServers;

        const certificate = (suffix: string, alternativeNames: string[], provider?: aws.Provider) =>
            requestCertificate({
                name: `${componentName}-cert-${suffix}`,
                domain: resolved.domain,
                alternativeNames,
                tags,
                parent: this,
                provider,
            });
        // One us-east-1 provider for everything that must live there (the
        // CloudFront certificate, query logs, the DNSSEC key), made only when
        // something needs it, under the name it always had.
        let usEast1: aws.Provider | undefined = args.cloudFrontProvider;
        const usEast1Provider = (): aws.Provider => (usEast1 ??= createUsEast1Provider(componentName, this));
        const cloudFrontProvider = resolved.certificates.cloudFront ? usEast1Provider() : undefined;
        const regionalCertificate = resolved.certificates.regional ? certificate("regional", [...resolved.alternativeNames, ...resolved.regionalOnlyNames]) : undefined;
        const cloudFrontCertificate = resolved.certificates.cloudFront ? certificate("cloudfront", resolved.alternativeNames, cloudFrontProvider) : undefined;

        // One record per distinct name serves both certificates (see createValidationRecords).
        // The regional certificate, when there is one, covers every name (regionalOnlyNames
        // included). The provider's certificate validation fails on a name of the
        // certificate without a record ("missing <name> DNS validation record",
        // hashicorp/terraform-provider-aws#3366) and does not mind further records.
        const recordSource = regionalCertificate ?? cloudFrontCertificate;
        const records = recordSource ? createValidationRecords(componentName, recordSource, resolved.validationRecordNames, zone.id, this) : [];
        if (regionalCertificate) {
            this.regional = validateCertificate(`${componentName}-cert-regional-validation`, regionalCertificate, records, this, undefined);
        }
        if (cloudFrontCertificate) {
            this.cloudFront = validateCertificate(`${componentName}-cert-cloudfront-validation`, cloudFrontCertificate, records, this, cloudFrontProvider);
        }
        this.regionalCertificateArn = this.regional ? this.regional.validatedArn : pulumi.output(undefined);
        this.cloudFrontCertificateArn = this.cloudFront ? this.cloudFront.validatedArn : pulumi.output(undefined);

        createCaaRecords(componentName, resolved.caaRecordNames, zone.id, this);

        // resolveDnsAndTlsArgs allows both only for a zone this component creates.
        const createdZone = zone.created;
        const queryLogging =
            resolved.queryLogging && createdZone && resolved.zone.kind === "create"
                ? createQueryLogging({
                      name: componentName,
                      zoneId: createdZone.zoneId,
                      zoneName: resolved.zone.name,
                      ...resolved.queryLogging,
                      production: resolved.production,
                      tags,
                      provider: usEast1Provider(),
                      parent: this,
                  })
                : undefined;
        this.queryLogGroupName = queryLogging ? queryLogging.logGroup.name : pulumi.output(undefined);
        const dnssec =
            resolved.dnssec && createdZone
                ? createDnssec({ name: componentName, zone: createdZone, production: resolved.production, tags, provider: usEast1Provider(), parent: this })
                : undefined;
        this.dsRecord = dnssec ? dnssec.keySigningKey.dsRecord : pulumi.output(undefined);

        this.registerOutputs({
            zoneId: this.zoneId,
            zoneName: this.zoneName,
            nameServers: this.nameServers,
            regionalCertificateArn: this.regionalCertificateArn,
            cloudFrontCertificateArn: this.cloudFrontCertificateArn,
            dsRecord: this.dsRecord,
            queryLogGroupName: this.queryLogGroupName,
        });
    }

    /**
     * The domain for a CloudFront distribution (StaticSite): the names, the
     * us-east-1 certificate once issued, and the zone.
     * @throws ConfigError when `certificates.cloudFront` is off.
     */
    cloudFrontDomain(): CustomDomain {
        if (!this.cloudFront) {
            invalid("certificates.cloudFront", false, "no us-east-1 certificate was requested, and CloudFront needs one", "leave certificates.cloudFront on (the default)");
        }
        return this.customDomain(this.cloudFront.validatedArn);
    }

    /**
     * The domain for a load balancer or Beanstalk environment (WebTier): the
     * names, the regional certificate once issued, and the zone.
     * @throws ConfigError when `certificates.regional` is off.
     */
    regionalDomain(): CustomDomain {
        if (!this.regional) {
            invalid("certificates.regional", false, "no regional certificate was requested", "leave certificates.regional on (the default)");
        }
        return this.customDomain(this.regional.validatedArn);
    }

    /**
     * Points `recordName` at a CloudFront distribution, a load balancer or a
     * Beanstalk environment with A (and AAAA) alias records named
     * `${componentName}-${name}-a` / `-aaaa`. CloudFront answers over IPv6,
     * so a distribution gets the AAAA record too.
     *
     * @example dns.pointAt("site", "app.example.com", distribution)
     * @example dns.pointAt("api", "api.example.com", { dnsName: alb.dnsName, hostedZoneId: alb.zoneId })
     */
    pointAt(name: string, recordName: string, target: PointAtTarget, options: PointAtOptions = {}): aws.route53.Record[] {
        const normalized = normalizeName(String(recordName ?? ""));
        checkName("recordName", normalized, true);
        const zone = this.resolved.zone;
        const knownZone = zone.kind === "name" || zone.kind === "create" ? zone.name : zone.kind === "lookup" ? zone.candidates[zone.candidates.length - 1] : undefined;
        if (knownZone && !isWithinZone(normalized, knownZone)) {
            invalid("recordName", recordName, `the name is outside the hosted zone (${knownZone})`, `point a name ending in .${knownZone}`);
        }
        const ipv6 = options.ipv6 ?? isCloudFrontTarget(target);
        return createAliasRecords(`${this.componentName}-${name}`, this.zoneId, normalized, aliasTargetOf(target), {
            ipv6,
            allowOverwrite: options.allowOverwrite ?? false,
            evaluateTargetHealth: options.evaluateTargetHealth ?? false,
            parent: this,
        });
    }

    private customDomain(certificateArn: pulumi.Output<string>): CustomDomain {
        return {
            domainName: this.domain,
            aliases: this.alternativeNames,
            certificateArn,
            hostedZoneId: this.zoneId,
        };
    }
}
