import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The AWS managed rule group webstack's web ACLs run (AWS WAF developer guide, "Baseline rule groups": core rule set). */
export const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";

export interface CommonRuleSetAclArgs {
    /** CLOUDFRONT (a distribution's, created in us-east-1) or REGIONAL (a load balancer's, in its region). */
    scope: "CLOUDFRONT" | "REGIONAL";
    /** Where the ACL lives when not the provider's region (CLOUDFRONT: us-east-1). */
    region?: string;
    /** WAF descriptions: letters, digits, spaces and =:#@/-,. only (CloudFormation schema AWS::WAFv2::WebACL Description). */
    description: string;
    /** Prefix of the CloudWatch metric names (at most 128 characters each). */
    metricPrefix: string;
    tags: Record<string, string>;
}

/**
 * A web ACL that allows by default and runs AWS's common rule set with the
 * group's own actions (`overrideAction: none`: its blocks apply; "count"
 * would only observe). StaticSite puts one on its distribution, WebTier's
 * autoscaling mode on its ALB.
 */
export function createCommonRuleSetAcl(resourceName: string, args: CommonRuleSetAclArgs, parent: pulumi.Resource): aws.wafv2.WebAcl {
    const metric = (suffix: string) => `${args.metricPrefix}-${suffix}`.slice(0, 128);
    return new aws.wafv2.WebAcl(
        resourceName,
        {
            ...(args.region ? { region: args.region } : {}),
            scope: args.scope,
            description: args.description,
            defaultAction: { allow: {} },
            rules: [
                {
                    name: COMMON_RULE_SET,
                    priority: 0,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { name: COMMON_RULE_SET, vendorName: "AWS" } },
                    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("common-rules"), sampledRequestsEnabled: true },
                },
            ],
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: metric("waf"), sampledRequestsEnabled: true },
            tags: args.tags,
        },
        { parent },
    );
}
