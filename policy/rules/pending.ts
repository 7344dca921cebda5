import { ChecklistRule } from "../rule";

const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const AUTO_SCALING_GROUP = ["aws:autoscaling/group:Group"];
const TARGET_GROUP = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
const BEANSTALK = ["aws:elasticbeanstalk/environment:Environment"];

const AUTOSCALING = "the autoscaling web tier (issue #12)";
const BEANSTALK_MODE = "the Beanstalk web tier (issue #14)";

/**
 * Rows whose resources no layout creates yet: webstack's one web-tier
 * mode today is a single instance, with no load balancer, Auto Scaling
 * group or Beanstalk environment. Each names the issue that brings the
 * resources and, with them, the check. The checklist test fails if any
 * plan holds one of these types while its rule is still pending.
 */
export const pendingRules: ChecklistRule[] = [
    { number: 14, mirrors: "CKV_AWS_2 · CKV_AWS_103", title: "HTTPS listener with ELBSecurityPolicy-TLS13-1-2-2021-06", dev: "keep", severity: "mandatory", types: LISTENER, pending: AUTOSCALING },
    { number: 15, mirrors: "ELB.1 · CKV2_AWS_20", title: "the HTTP listener only redirects to HTTPS (301)", dev: "keep", severity: "mandatory", types: LISTENER, pending: AUTOSCALING },
    { number: 16, mirrors: "CKV_AWS_131 · ELB.4", title: "the load balancer drops invalid header fields", dev: "keep", severity: "mandatory", types: LOAD_BALANCER, pending: AUTOSCALING },
    { number: 17, mirrors: "CKV_AWS_328 · ELB.12", title: "desync mitigation defensive or strictest", dev: "keep", severity: "mandatory", types: LOAD_BALANCER, pending: AUTOSCALING },
    { number: 18, mirrors: "CKV_AWS_150 · ELB.6", title: "load balancer deletion protection", dev: "relax", severity: "mandatory", types: LOAD_BALANCER, pending: AUTOSCALING },
    { number: 19, mirrors: "CKV_AWS_91 · ELB.5", title: "load balancer access logs", dev: "relax", severity: "mandatory", types: LOAD_BALANCER, pending: AUTOSCALING },
    { number: 20, mirrors: "CKV2_AWS_28 · ELB.16", title: "a WAF web ACL on the load balancer", dev: "relax", severity: "mandatory", types: LOAD_BALANCER, pending: AUTOSCALING },
    { number: 21, mirrors: "ELB.13 · AutoScaling.2", title: "load balancer and group span two or more AZs", dev: "looser", severity: "mandatory", types: [...LOAD_BALANCER, ...AUTO_SCALING_GROUP], pending: AUTOSCALING },
    { number: 22, mirrors: "CKV_AWS_261 · AutoScaling.1", title: "target group health check; group uses ELB health", dev: "keep", severity: "mandatory", types: [...TARGET_GROUP, ...AUTO_SCALING_GROUP], pending: AUTOSCALING },
    { number: 32, mirrors: "AutoScaling.9 · CKV_AWS_315", title: "launch template latest version, rolling instance refresh with min 100 / max ≥110 and auto rollback", dev: "looser", severity: "mandatory", types: AUTO_SCALING_GROUP, pending: AUTOSCALING },
    { number: 46, mirrors: "CKV_AWS_340 · ElasticBeanstalk.2", title: "managed platform updates", dev: "keep", severity: "mandatory", types: BEANSTALK, pending: BEANSTALK_MODE },
    { number: 47, mirrors: "ElasticBeanstalk.1", title: "enhanced health reporting", dev: "keep", severity: "mandatory", types: BEANSTALK, pending: BEANSTALK_MODE },
    { number: 48, mirrors: "ElasticBeanstalk.3 · AwsSolutions-EB4", title: "logs streamed to CloudWatch", dev: "relax", severity: "mandatory", types: BEANSTALK, pending: BEANSTALK_MODE },
    { number: 49, mirrors: "AWS EB deployment docs", title: "Immutable or TrafficSplitting deployments", dev: "looser", severity: "mandatory", types: BEANSTALK, pending: BEANSTALK_MODE },
];
