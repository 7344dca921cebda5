/**
 * HTTP -> HTTPS on the environment's own ALB.
 *
 * Beanstalk's option settings cannot express a redirect: a listener rule
 * (`aws:elbv2:listenerrule:<name>`) can only forward to a process
 * ("General options for all environments", aws:elbv2:listenerrule: PathPatterns,
 * HostHeaders, Priority, Process), and the default listener's action is a
 * forward. AWS documents two ways ("Configuring HTTP to HTTPS redirection",
 * Elastic Beanstalk developer guide): the instances' web server answers a
 * redirect, or a configuration file in the source bundle replaces the port-80
 * listener's default action by a redirect (the
 * `alb-http-to-https-redirection-full.config` sample of
 * awsdocs/elastic-beanstalk-samples). webstack takes the second: the
 * redirect happens at the ALB, before any instance, for every path (also
 * the health path of a client, never the ALB's own checks, which go to the
 * process directly), and it needs no shared load balancer (which would
 * make the component own an ALB and rules for every environment that
 * joins it, and lose Beanstalk's per-environment CNAME routing).
 *
 * The file is added to the source bundle only with a domain, so a web tier
 * without one keeps plain HTTP on the environment's name.
 */
export const HTTPS_REDIRECT_PATH = ".ebextensions/webstack-https-redirect.config";

/** The configuration file, as JSON (Beanstalk reads `.config` files as YAML, of which JSON is a subset). */
export function httpsRedirectConfig(): string {
    const config = {
        Resources: {
            // The logical name of the port-80 listener Beanstalk creates for an ALB ("Resource names", ebextensions).
            AWSEBV2LoadBalancerListener: {
                Type: "AWS::ElasticLoadBalancingV2::Listener",
                Properties: {
                    LoadBalancerArn: { Ref: "AWSEBV2LoadBalancer" },
                    Port: 80,
                    Protocol: "HTTP",
                    DefaultActions: [
                        {
                            Type: "redirect",
                            RedirectConfig: { Host: "#{host}", Path: "/#{path}", Port: "443", Protocol: "HTTPS", Query: "#{query}", StatusCode: "HTTP_301" },
                        },
                    ],
                },
            },
        },
    };
    return `${JSON.stringify(config, null, 2)}\n`;
}
