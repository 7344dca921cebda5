import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMMON_RULE_SET } from "../../static-site/waf";

/**
 * A REGIONAL web ACL with AWS's common rule set (AWS WAF developer guide,
 * "Baseline rule groups"), associated with the ALB: the same protection the
 * site's distribution gets (components/static-site/waf.ts), in the ALB's
 * region, as a regional resource must be. About $5 a month for the ACL, $1
 * for the rule group and $0.60 per million requests.
 */
export function protectLoadBalancer(name: string, loadBalancerArn: pulumi.Input<string>, tags: Record<string, string>, parent: pulumi.Resource): aws.wafv2.WebAclAssociation {
    const metric = (suffix: string) => `${name}-${suffix}`.slice(0, 128);
    const acl = new aws.wafv2.WebAcl(
        `${name}-alb-waf`,
        {
            scope: "REGIONAL",
            description: `Protects the ${name} web tier load balancer`,
            defaultAction: { allow: {} },
            rules: [
                {
                    name: COMMON_RULE_SET,
                    priority: 0,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { name: COMMON_RULE_SET, vendorName: "AWS" } },
                    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("alb-common-rules"), sampledRequestsEnabled: true },
                },
            ],
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("alb-waf"), sampledRequestsEnabled: true },
            tags,
        },
        { parent },
    );
    return new aws.wafv2.WebAclAssociation(`${name}-alb-waf-association`, { resourceArn: loadBalancerArn, webAclArn: acl.arn }, { parent });
}
