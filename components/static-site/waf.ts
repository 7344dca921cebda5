import * as pulumi from "@pulumi/pulumi";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../dns-and-tls/us-east-1-provider";
import { createCommonRuleSetAcl } from "../internal/common-rule-set-acl";
import { ResolvedStaticSiteArgs } from "./args";

export { COMMON_RULE_SET } from "../internal/common-rule-set-acl";

/**
 * The web ACL the distribution uses: `${name}-waf`, created when `waf` is
 * `true`, or the ARN of an existing one. CloudFront takes a WAFv2 web ACL
 * by its ARN in `webAclId` (CloudFront API reference, DistributionConfig
 * "WebACLId": "specify the ACL ARN" for AWS WAF), and only one of scope
 * CLOUDFRONT, which AWS WAF creates in us-east-1 (AWS WAF developer guide,
 * "Creating a web ACL": "for Amazon CloudFront, choose Global (CloudFront)";
 * the API requires the us-east-1 endpoint). `region` on the resource sends
 * it there with the site's own provider and credentials (@pulumi/aws v7
 * per-resource `region`), so an explicit provider given to StaticSite is
 * honoured, which a separate us-east-1 provider would not do.
 */
export function siteWebAclArn(name: string, waf: ResolvedStaticSiteArgs["waf"], tags: Record<string, string>, parent: pulumi.Resource): pulumi.Input<string> | undefined {
    if (!waf) return undefined;
    if (!("create" in waf)) return waf.webAclArn;
    const acl = createCommonRuleSetAcl(
        `${name}-waf`,
        // WAF descriptions: letters, digits, spaces and =:#@/-,. only.
        { scope: "CLOUDFRONT", region: CLOUDFRONT_CERTIFICATE_REGION, description: `Protects the ${name} site distribution`, metricPrefix: name, tags },
        parent,
    );
    return acl.arn;
}
