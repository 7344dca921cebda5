import { DnsAndTls } from "../../components/dns-and-tls";
import { DnsAndTlsArgs, resolveDnsAndTlsArgs } from "../../components/dns-and-tls/args";
import { checkedAs } from "../../components/internal/errors";
import { DomainConfig, toDnsAndTlsArgs } from "../config/dns";
import { StageContext, StackOutputs, StagePart } from "../stage-context";

/**
 * The stage's custom domain: when `webstack:domain` is set, one DnsAndTls
 * with both certificates — the us-east-1 one for StaticSite's CloudFront
 * distribution (every stage has a static site) and a regional one for the web
 * tier's load balancer or Beanstalk environment. Public ACM certificates are
 * free, so making both costs nothing even when a layout uses only one.
 *
 * Later parts take `context.components.dns` and use its
 * `cloudFrontDomain()` / `regionalDomain()` / `pointAt()`.
 */
function dnsArgs(domain: DomainConfig, tags: Record<string, string>): DnsAndTlsArgs {
    return { ...toDnsAndTlsArgs(domain, tags), certificates: { cloudFront: true, regional: true } };
}

export const dnsPart: StagePart = {
    name: "dns",
    validate(context: StageContext): void {
        const domain = context.config.domain;
        if (!domain) return;
        checkedAs("webstack:domain", () => resolveDnsAndTlsArgs(dnsArgs(domain, context.config.tags)));
    },
    deploy(context: StageContext): StackOutputs {
        const domain = context.config.domain;
        if (!domain) return {};
        const dns = new DnsAndTls(`${context.config.stage}-dns`, dnsArgs(domain, context.config.tags));
        context.components.dns = dns;
        return {
            domainName: dns.domain,
            hostedZoneId: dns.zoneId,
            cloudFrontCertificateArn: dns.cloudFrontCertificateArn,
            regionalCertificateArn: dns.regionalCertificateArn,
            ...(domain.createZone ? { nameServers: dns.nameServers } : {}),
        };
    },
};

/** The stage's DnsAndTls, if the stage has a domain (for the parts that serve on it). */
export function stageDns(context: StageContext): DnsAndTls | undefined {
    const dns = context.components.dns;
    return dns instanceof DnsAndTls ? dns : undefined;
}
