import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../dns-and-tls/us-east-1-provider";
import { ResolvedStaticSiteArgs } from "./args";

/** The AWS managed rule group the created web ACL runs (AWS WAF developer guide, "Baseline rule groups": core rule set). */
export const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";

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
    const metric = (suffix: string) => `${name}-${suffix}`.slice(0, 128);
    const acl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            region: CLOUDFRONT_CERTIFICATE_REGION,
            scope: "CLOUDFRONT",
            // WAF descriptions: letters, digits, spaces and =:#@/-,. only (CloudFormation schema AWS::WAFv2::WebACL Description).
            description: `Protects the ${name} site distribution`,
            defaultAction: { allow: {} },
            rules: [
                {
                    name: COMMON_RULE_SET,
                    priority: 0,
                    // "none": the group's own actions (block) apply; "count" would only observe.
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { name: COMMON_RULE_SET, vendorName: "AWS" } },
                    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("common-rules"), sampledRequestsEnabled: true },
                },
            ],
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("waf"), sampledRequestsEnabled: true },
            tags,
        },
        { parent },
    );
    return acl.arn;
}
