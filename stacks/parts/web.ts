import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CustomDomain } from "../../components/internal/custom-domain";
import { checkedAs, invalid } from "../../components/internal/errors";
import { WebTier } from "../../components/web-tier";
import { availableModes, resolveWebTierArgs, WebTierArgs, WebTierMode } from "../../components/web-tier/args";
import { Layout } from "../config";
import { WebSettings } from "../config/web";
import { StageContext, StackOutputs, StagePart } from "../stage-context";
import { stageDatabase } from "./database";
import { stageCustomDomain } from "./dns";

/** The project directory (this file is stacks/parts/web.ts): app paths are relative to it. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * The web tier mode a stage uses unless `webstack:web.mode` says otherwise
 * (DESIGN.md, "Layouts"): layout paas → beanstalk; layout iaas → the fleet
 * (`autoscaling`: an ALB and at least two instances in two AZs) in
 * production, one instance elsewhere.
 */
export function defaultWebMode(config: { layout: Layout; production: boolean }): WebTierMode {
    if (config.layout === "paas") return "beanstalk";
    return config.production ? "autoscaling" : "instance";
}

/** The stage's web tier mode: `webstack:web.mode`, else {@link defaultWebMode}. */
export function webModeOf(config: { layout: Layout; production: boolean; web: Pick<WebSettings, "mode"> }): WebTierMode {
    return config.web.mode ?? defaultWebMode(config);
}

/**
 * The name CloudFront reaches a load-balanced web tier on, when the stage's
 * site is on CloudFront and has a domain: `origin.<domain>`, covered by the
 * regional certificate (stacks/parts/dns.ts adds it to the certificates'
 * names) and aliased to the ALB. CloudFront checks the origin's certificate
 * against the origin domain name (the Host header is not forwarded to the
 * API origin; CloudFront developer guide, "Requiring HTTPS for communication
 * between CloudFront and your custom origin"), so the ALB must answer on a
 * name of the stage's certificate, not its own *.elb.amazonaws.com name.
 */
export function albOriginName(domainName: string): string {
    return `origin.${domainName}`;
}

export const WEB_PART = "web";

/** The mode the stage asks for, or a ConfigError naming `webstack:web.mode` if this version lacks it. */
export function stageWebMode(context: StageContext, settings: WebSettings): WebTierMode {
    const mode = webModeOf(context.config);
    if (!availableModes.includes(mode)) {
        const why = settings.mode ? "" : ` (the default for layout ${context.config.layout})`;
        invalid(
            "webstack:web.mode",
            mode,
            `WebTier mode "${mode}"${why} is not available yet; this version has ${availableModes.map((m) => `"${m}"`).join(", ")}`,
            `set webstack:web.mode: instance in Pulumi.${context.config.stage}.yaml until "${mode}" lands`,
        );
    }
    return mode;
}

/** Whether the stage's site is served by CloudFront (`webstack:site.hosting`, default "cloudfront"), which then fronts the API too. */
export function siteOnCloudFront(context: StageContext): boolean {
    return context.config.site.hosting === "cloudfront";
}

/**
 * `webstack:web.app.environment`, each value a `pulumi.secret` when the key
 * holds a `secure:` value (Pulumi marks secretness per top-level key, see
 * stacks/config/secret-keys.ts), so the release settings become a SecureString.
 */
function stageEnvironment(context: StageContext, settings: WebSettings): Record<string, pulumi.Input<string>> {
    if (!context.config.secretKeys.includes("webstack:web")) return settings.app.environment;
    return Object.fromEntries(Object.entries(settings.app.environment).map(([name, value]) => [name, pulumi.secret(value)]));
}

/**
 * The name a load-balanced web tier answers on, with the stage's regional
 * certificate: `origin.<domain>` behind the site's distribution (see
 * albOriginName), else the stage's domain itself (the site is then an S3
 * website on its endpoint's name). None without a domain, and none in
 * instance mode (an instance cannot hold an ACM certificate). Before
 * DnsAndTls exists (validation), placeholders stand in for its ids.
 */
function webDomain(context: StageContext, mode: WebTierMode): CustomDomain | undefined {
    const served = mode === "instance" ? undefined : stageCustomDomain(context, "regional");
    if (!served || !siteOnCloudFront(context)) return served;
    return { domainName: albOriginName(served.domainName), aliases: [], certificateArn: served.certificateArn, hostedZoneId: served.hostedZoneId };
}

function webArgs(context: StageContext, settings: WebSettings, mode: WebTierMode): WebTierArgs {
    const database = stageDatabase(context);
    const production = context.config.production;
    // A fleet (autoscaling, beanstalk) goes into the private subnets when they have a route out (NAT).
    const privateSubnets = mode !== "instance" && context.config.network.nat !== "none";
    return {
        mode,
        safety: production ? "production" : "development",
        ...(mode === "autoscaling" ? { autoscaling: settings.autoscaling, loadBalancer: settings.loadBalancer } : {}),
        // Beanstalk fetches the database credentials secret into DB_CREDENTIALS at instance start (by ARN: no value in the settings or the state).
        ...(mode === "beanstalk" ? { beanstalk: { ...settings.beanstalk, ...(database ? { secrets: { DB_CREDENTIALS: database.database.passwordSecretArn } } : {}) } } : {}),
        domain: webDomain(context, mode),
        app: {
            ...settings.app,
            path: path.resolve(PROJECT_DIR, settings.app.path),
            // The database's settings (host, port, name, user, and the ARN of
            // its password secret: a reference, never the password).
            environment: { ...(database ? database.database.appEnvironment() : {}), ...stageEnvironment(context, settings) },
            secretsManagerArns: database ? [database.database.passwordSecretArn] : [],
        },
        network: {
            vpcId: context.network.vpcId,
            publicSubnetIds: context.network.publicSubnetIds,
            ...(privateSubnets ? { privateSubnetIds: context.network.privateSubnetIds } : {}),
            // Membership of the database's client group is what lets the
            // instance reach the database port.
            securityGroupIds: database ? [database.clientSecurityGroupId] : [],
            // The site part routes /api/* through the stage's distribution to
            // web.apiOrigin when CloudFront serves the site; then only
            // CloudFront may reach the instance's HTTP port.
            behindCloudFront: siteOnCloudFront(context),
        },
        instance: settings.instance,
        sshAllowedCidrs: settings.sshAllowedCidrs,
        allowSshFromAnywhere: settings.allowSshFromAnywhere,
        keyName: settings.keyName,
        deploy: settings.deploy,
        // Production: the release bucket keeps old versions 30 days and logs to the stage's log bucket.
        versioning: context.config.production,
        accessLogs: context.accessLogs,
        // The stage key (production): release bucket, root volume, SecureString
        // settings; the role may decrypt the database secret under it too.
        kmsKeyArn: context.kmsKeyArn,
        tags: context.config.tags,
        tagContext: { app: context.app, stage: context.config.stage },
    };
}

/**
 * The stage's web tier. Runs after the database: when the stage has one,
 * the app gets its environment variables (`DB_HOST`, ...,
 * `DB_PASSWORD_SECRET_ARN`), the instance role may read exactly its password
 * secret, and the instance joins the database's client security group.
 */
export const webPart: StagePart = {
    name: WEB_PART,
    validate(context: StageContext): void {
        const settings: WebSettings = context.config.web;
        const mode = stageWebMode(context, settings);
        // ELB API reference, CreateLoadBalancer "Subnets": "[Application Load
        // Balancers] You must specify subnets from at least two Availability Zones."
        if (mode !== "instance" && context.config.network.azCount < 2) {
            invalid("webstack:network.azCount", context.config.network.azCount, `the ${mode} mode's load balancer needs subnets in at least two availability zones`, "set webstack:network.azCount: 2 (or more), or use webstack:web.mode: instance");
        }
        // Beanstalk keeps plain environment variables in the environment's
        // settings, readable in its console and API: a secret goes in by
        // reference only (app.secrets, fetched at instance start).
        if (mode === "beanstalk" && context.config.secretKeys.includes("webstack:web")) {
            invalid(
                "webstack:web.app.environment",
                "(a secure: value)",
                "Elastic Beanstalk stores environment variables in plain text in the environment's settings, so a secret value would be readable in its console and API",
                "put the value in an SSM SecureString parameter (or a Secrets Manager secret) and name it in webstack:web.app.secrets; Beanstalk fetches it at instance start",
            );
        }
        checkedAs("webstack:web", () => {
            if (context.config.production && settings.deploy?.strategy === "all-at-once") {
                const zeroDowntime = mode === "beanstalk" ? "immutable" : mode === "autoscaling" ? "rolling" : "in-place";
                invalid("deploy.strategy", "all-at-once", "all-at-once stops the app on every deploy; it is for dev stages only", `use "${zeroDowntime}" (zero downtime) in a production stage`);
            }
            resolveWebTierArgs(webArgs(context, settings, mode));
        });
    },
    deploy(context: StageContext): StackOutputs {
        const settings: WebSettings = context.config.web;
        const web = new WebTier(`${context.config.stage}-web`, webArgs(context, settings, stageWebMode(context, settings)));
        context.components[WEB_PART] = web;
        return {
            webUrl: web.url,
            // instance mode: the server; autoscaling mode: the fleet and its load balancer.
            ...(web.instanceId ? { webInstanceId: web.instanceId } : {}),
            ...(web.publicIp ? { webPublicIp: web.publicIp } : {}),
            ...(web.autoScalingGroupName ? { webAutoScalingGroup: web.autoScalingGroupName } : {}),
            ...(web.loadBalancerDnsName ? { webLoadBalancerDns: web.loadBalancerDnsName } : {}),
            // blue-green: each color's release, traffic share and sizes (what the next stage change starts from).
            ...(web.blueGreen ? { webColors: web.blueGreen } : {}),
            webSecurityGroupId: web.securityGroupId,
            // The DNS name CloudFront's API origin points at.
            webApiOrigin: web.apiOrigin.domainName,
            webReleaseSha256: web.releaseSha256,
            webSettingsParameter: web.settingsParameterName,
        };
    },
};
