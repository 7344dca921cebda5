import { DnsAndTls } from "../../components/dns-and-tls";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../../components/dns-and-tls/us-east-1-provider";
import { CertificateSpec, DnsAndTlsArgs, resolveDnsAndTlsArgs } from "../../components/dns-and-tls/args";
import { CustomDomain } from "../../components/internal/custom-domain";
import { checkedAs } from "../../components/internal/errors";
import { StageConfig } from "../config";
import { DomainConfig, toDnsAndTlsArgs } from "../config/dns";
import { StageContext, StackOutputs, StagePart } from "../stage-context";
import { albOriginName, webModeOf } from "./web";

/**
 * The certificates the stage's parts consume, so DnsAndTls requests no
 * other (resource names stay `<stage>-dns-cert-cloudfront` / `-regional`
 * whichever are made):
 * - the us-east-1 one when CloudFront serves the site (parts/site.ts hands
 *   the site `cloudFrontDomain()` only then; an S3 website has no TLS), which
 *   also carries the site's `/api/*` route to the web tier;
 * - the regional one when the web tier terminates TLS in the stack's region
 *   (a load balancer or Beanstalk: the `autoscaling` and `beanstalk` modes).
 *   The `instance` mode answers plain HTTP on its own address, so no stage
 *   that deploys today consumes it.
 */
export function certificatesFor(config: Pick<StageConfig, "site" | "web" | "layout" | "production">): Required<CertificateSpec> {
    return { cloudFront: config.site.hosting === "cloudfront", regional: webModeOf(config) !== "instance" };
}

/**
 * Names the certificates cover besides the stage's own: `origin.<domain>`
 * when a load-balanced web tier sits behind the site's distribution (see
 * albOriginName), so CloudFront can reach the ALB over HTTPS.
 */
export function extraCertificateNames(config: Pick<StageConfig, "site" | "web" | "layout" | "production">, domainName: string): string[] {
    return certificatesFor(config).regional && config.site.hosting === "cloudfront" ? [albOriginName(domainName)] : [];
}

/**
 * The stage's custom domain: when `webstack:domain` is set, one DnsAndTls
 * with the certificates the stage consumes (see {@link certificatesFor}).
 *
 * Later parts take `context.components.dns` and use its
 * `cloudFrontDomain()` / `regionalDomain()` / `pointAt()`.
 */
function dnsArgs(domain: DomainConfig, config: StageConfig): DnsAndTlsArgs {
    // production: the DNSSEC key is protected and the query logs outlive the stack.
    const args = toDnsAndTlsArgs(domain, config.tags);
    const extra = extraCertificateNames(config, args.domain);
    return {
        ...args,
        ...(extra.length ? { regionalOnlyNames: extra } : {}),
        certificates: certificatesFor(config),
        production: config.production,
    };
}

export const dnsPart: StagePart = {
    name: "dns",
    validate(context: StageContext): void {
        const domain = context.config.domain;
        if (!domain) return;
        checkedAs("webstack:domain", () => resolveDnsAndTlsArgs(dnsArgs(domain, context.config)));
    },
    deploy(context: StageContext): StackOutputs {
        const domain = context.config.domain;
        if (!domain) return {};
        const certificates = certificatesFor(context.config);
        const args = dnsArgs(domain, context.config);
        const resolved = resolveDnsAndTlsArgs(args);
        const dns = new DnsAndTls(`${context.config.stage}-dns`, args);
        context.components.dns = dns;
        return {
            domainName: dns.domain,
            hostedZoneId: dns.zoneId,
            ...(certificates.cloudFront ? { cloudFrontCertificateArn: dns.cloudFrontCertificateArn } : {}),
            ...(certificates.regional ? { regionalCertificateArn: dns.regionalCertificateArn } : {}),
            ...(domain.createZone ? { nameServers: dns.nameServers } : {}),
            ...(resolved.queryLogging ? { queryLogGroup: dns.queryLogGroupName } : {}),
            // The DS record to add at the parent zone or the registrar.
            ...(resolved.dnssec ? { dnssecDsRecord: dns.dsRecord } : {}),
        };
    },
};

/** The stage's DnsAndTls, if the stage has a domain (for the parts that serve on it). */
export function stageDns(context: StageContext): DnsAndTls | undefined {
    const dns = context.components.dns;
    return dns instanceof DnsAndTls ? dns : undefined;
}

/**
 * The stage's domain as a serving part takes it, with the certificate it
 * needs: DnsAndTls's `cloudFrontDomain()` / `regionalDomain()` once DnsAndTls
 * exists; before that (validation), the names DnsAndTls will serve
 * (normalized by its own resolver, as the deployed parts get them) with
 * placeholder certificate and zone ids. Undefined without `webstack:domain`.
 */
export function stageCustomDomain(context: StageContext, certificate: "cloudFront" | "regional"): CustomDomain | undefined {
    const domain = context.config.domain;
    if (!domain) return undefined;
    const dns = stageDns(context);
    if (dns) return certificate === "cloudFront" ? dns.cloudFrontDomain() : dns.regionalDomain();
    const names = resolveDnsAndTlsArgs(toDnsAndTlsArgs(domain));
    const region = certificate === "cloudFront" ? CLOUDFRONT_CERTIFICATE_REGION : context.config.region;
    return { domainName: names.domain, aliases: names.alternativeNames, certificateArn: `arn:aws:acm:${region}:000000000000:certificate/placeholder`, hostedZoneId: "Z-placeholder" };
}
