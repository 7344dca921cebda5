import { asList, CheckedResource, isTrue, PlanView } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";

export const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const TARGET_GROUP = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
export const AUTO_SCALING_GROUP = ["aws:autoscaling/group:Group"];
const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";


/**
 * TLS policies at least as strict as ELBSecurityPolicy-TLS13-1-2-2021-06
 * (TLS 1.2 with forward-secret ciphers, and TLS 1.3): the checklist's
 * choice and the stricter "Res" and TLS-1.3-only variants (ELB user guide,
 * "Security policies for your Application Load Balancer").
 */
const ACCEPTED_TLS_POLICIES = ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"];

function applicationLoadBalancers(view: PlanView): CheckedResource[] {
    return view.ofType(...LOAD_BALANCER).filter((balancer) => (balancer.inputs.loadBalancerType ?? "application") === "application");
}

function perBalancer(view: PlanView, rule: number, check: (balancer: CheckedResource) => string[]): Violation[] {
    return applicationLoadBalancers(view).flatMap((balancer) => check(balancer).map((problem) => violation(rule, balancer, problem)));
}

function perGroup(view: PlanView, rule: number, check: (group: CheckedResource) => string[]): Violation[] {
    return view.ofType(...AUTO_SCALING_GROUP).flatMap((group) => check(group).map((problem) => violation(rule, group, problem)));
}

interface Action {
    type?: string;
    redirect?: { protocol?: string; statusCode?: string };
}

function redirectsToHttps(listener: CheckedResource): boolean {
    const actions = asList(listener.inputs.defaultActions) as Action[];
    return actions.length === 1 && actions[0].type === "redirect" && actions[0].redirect?.protocol === "HTTPS" && actions[0].redirect?.statusCode === "HTTP_301";
}

export const loadBalancingRules: ChecklistRule[] = [
    {
        number: 14,
        mirrors: "CKV_AWS_2 · CKV_AWS_103 · AVD-AWS-0047",
        title: "TLS listeners are HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06 (or stricter)",
        dev: "keep",
        severity: "mandatory",
        types: LISTENER,
        check: (view) =>
            view.ofType(...LISTENER).flatMap((listener) => {
                const protocol = listener.inputs.protocol ?? "HTTP";
                // Plain HTTP listeners are row 15's: they may only redirect.
                if (protocol === "HTTP") return [];
                const policy = String(listener.inputs.sslPolicy ?? "the provider default");
                return protocol === "HTTPS" && ACCEPTED_TLS_POLICIES.includes(policy) ? [] : [violation(14, listener, `${String(protocol)} listener with TLS policy ${policy}`)];
            }),
    },
    {
        number: 15,
        mirrors: "ELB.1 · CKV2_AWS_20",
        title: "the HTTP listener only redirects to HTTPS with a 301",
        dev: "keep",
        severity: "mandatory",
        types: LISTENER,
        check: (view) =>
            view
                .ofType(...LISTENER)
                .filter((listener) => (listener.inputs.protocol ?? "HTTP") === "HTTP" && !redirectsToHttps(listener))
                .map((listener) => violation(15, listener, "its default action is not a single HTTPS redirect with HTTP_301")),
    },
    {
        number: 16,
        mirrors: "CKV_AWS_131 · ELB.4",
        title: "the load balancer drops invalid header fields",
        dev: "keep",
        severity: "mandatory",
        types: LOAD_BALANCER,
        check: (view) => perBalancer(view, 16, (balancer) => (isTrue(balancer.inputs.dropInvalidHeaderFields) ? [] : ["dropInvalidHeaderFields is not true"])),
    },
    {
        number: 17,
        mirrors: "CKV_AWS_328 · ELB.12",
        title: "HTTP desync mitigation defensive or strictest, set explicitly",
        dev: "keep",
        severity: "mandatory",
        types: LOAD_BALANCER,
        check: (view) =>
            perBalancer(view, 17, (balancer) =>
                ["defensive", "strictest"].includes(String(balancer.inputs.desyncMitigationMode)) ? [] : [`desyncMitigationMode is ${String(balancer.inputs.desyncMitigationMode ?? "unset")}`],
            ),
    },
    {
        number: 18,
        mirrors: "CKV_AWS_150 · ELB.6",
        title: "load balancer deletion protection",
        dev: "relax",
        severity: "mandatory",
        types: LOAD_BALANCER,
        check: (view) => perBalancer(view, 18, (balancer) => (isTrue(balancer.inputs.enableDeletionProtection) ? [] : ["enableDeletionProtection is not true"])),
    },
    {
        number: 19,
        mirrors: "CKV_AWS_91 · ELB.5 · AwsSolutions-ELB2",
        title: "load balancer access logs",
        dev: "relax",
        severity: "mandatory",
        types: LOAD_BALANCER,
        check: (view) =>
            perBalancer(view, 19, (balancer) => {
                const logs = balancer.inputs.accessLogs as { enabled?: unknown; bucket?: unknown } | undefined;
                return isTrue(logs?.enabled) && logs?.bucket ? [] : ["access logs are off"];
            }),
    },
    {
        number: 20,
        mirrors: "CKV2_AWS_28 · ELB.16",
        title: "a WAF web ACL on the load balancer",
        dev: "relax",
        severity: "mandatory",
        types: LOAD_BALANCER,
        check: (view) => perBalancer(view, 20, (balancer) => (view.referring(balancer, "resourceArn", WEB_ACL_ASSOCIATION).length ? [] : ["has no web ACL association"])),
    },
    {
        number: 21,
        mirrors: "ELB.13 · AutoScaling.2",
        title: "the load balancer and the group span two or more AZs (a group may use one outside production)",
        dev: "looser",
        severity: "mandatory",
        types: [...LOAD_BALANCER, ...AUTO_SCALING_GROUP],
        check: (view) => [
            ...perBalancer(view, 21, (balancer) => (asList(balancer.inputs.subnets).length >= 2 ? [] : ["is in fewer than two subnets"])),
            ...perGroup(view, 21, (group) => (!view.production || asList(group.inputs.vpcZoneIdentifiers).length >= 2 ? [] : ["launches into fewer than two subnets"])),
        ],
    },
    {
        number: 22,
        mirrors: "CKV_AWS_261 · CKV2_AWS_15 · AutoScaling.1",
        title: "target groups health-check a path; groups behind one use ELB health",
        dev: "keep",
        severity: "mandatory",
        types: [...TARGET_GROUP, ...AUTO_SCALING_GROUP],
        check: (view) => [
            ...view.ofType(...TARGET_GROUP).flatMap((target) => {
                const check = target.inputs.healthCheck as { enabled?: unknown; path?: unknown } | undefined;
                return check && check.enabled !== false && check.path ? [] : [violation(22, target, "has no health check path")];
            }),
            ...perGroup(view, 22, (group) => (asList(group.inputs.targetGroupArns).length === 0 || group.inputs.healthCheckType === "ELB" ? [] : ["is behind a target group but replaces instances on EC2 health only"])),
        ],
    },
    {
        number: 32,
        mirrors: "AutoScaling.9 · CKV_AWS_315",
        title: "the group pins the launch template's latest version and refreshes rolling with min 100 % / max ≥ 110 % and auto rollback; 2+ instances",
        dev: "looser",
        severity: "mandatory",
        types: AUTO_SCALING_GROUP,
        check: (view) =>
            perGroup(view, 32, (group) => {
                const inputs = group.inputs;
                const problems: string[] = [];
                const version = (inputs.launchTemplate as { version?: unknown } | undefined)?.version;
                // "$Latest" never changes, so a new template version starts no instance refresh (web-tier.md, "instance refresh and $Latest").
                if (version === undefined || version === "$Latest" || version === "$Default") problems.push(`launchTemplate.version is ${String(version ?? "unset")}, not the template's latestVersion`);
                const refresh = inputs.instanceRefresh as { strategy?: string; preferences?: { minHealthyPercentage?: unknown; maxHealthyPercentage?: unknown; autoRollback?: unknown } } | undefined;
                if (refresh?.strategy !== "Rolling") problems.push("has no Rolling instance refresh");
                const minimumHealthy = Number(refresh?.preferences?.minHealthyPercentage ?? 90);
                if (minimumHealthy < (view.production ? 100 : 90)) problems.push(`minHealthyPercentage is ${minimumHealthy}`);
                if (view.production && Number(refresh?.preferences?.maxHealthyPercentage ?? 100) < 110) problems.push("maxHealthyPercentage is below 110, so a refresh stops an instance before its replacement is ready");
                if (!isTrue(refresh?.preferences?.autoRollback)) problems.push("autoRollback is not on");
                // A parked blue/green color (maxSize 0: no release traffic, `idle: zero`) runs no instance to spread.
                const parked = Number(inputs.maxSize ?? 0) === 0;
                if (!parked && Number(inputs.minSize ?? 0) < (view.production ? 2 : 1)) problems.push(`minSize is ${String(inputs.minSize ?? 0)}`);
                return problems;
            }),
    },
];
