import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createCommonRuleSetAcl } from "../../internal/common-rule-set-acl";

/**
 * A REGIONAL web ACL with AWS's common rule set, associated with the ALB:
 * the same protection the site's distribution gets
 * (components/static-site/waf.ts), in the ALB's region, as a regional
 * resource must be. About $5 a month for the ACL, $1 for the rule group
 * and $0.60 per million requests.
 */
export function protectLoadBalancer(name: string, loadBalancerArn: pulumi.Input<string>, tags: Record<string, string>, parent: pulumi.Resource): aws.wafv2.WebAclAssociation {
    const acl = createCommonRuleSetAcl(`${name}-alb-waf`, { scope: "REGIONAL", description: `Protects the ${name} web tier load balancer`, metricPrefix: `${name}-alb`, tags }, parent);
    return new aws.wafv2.WebAclAssociation(`${name}-alb-waf-association`, { resourceArn: loadBalancerArn, webAclArn: acl.arn }, { parent });
}
