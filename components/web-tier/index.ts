import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkComponentName, checkContextNames, WEB_TIER_NAME_RULE } from "../internal/component-name";
import { defaultTagContext } from "../internal/context";
import { standardTags } from "../internal/tags";
import { ApiOrigin } from "../internal/api-origin";
import { resolveWebTierArgs, WebTierArgs } from "./args";
import { createInstanceRole } from "./host/instance-role";
import { packInstanceScripts } from "./host/instance-scripts";
import { createAutoscalingMode } from "./autoscaling";
import { BlueGreenSummary, colorSettingsParameterName } from "./autoscaling/blue-green";
import { COLORS } from "./autoscaling/blue-green/traffic";
import { createInstanceMode } from "./instance";
import { createBeanstalkMode, HTTPS_REDIRECT_PATH, httpsRedirectConfig } from "./beanstalk";
import { buildSourceBundle } from "./beanstalk/source-bundle";
import { packAppFolder } from "./release/release-archive";
import { publishRelease } from "./release/publish-release";

// Tests and tools check the uploaded scripts archive against this.
export { packInstanceScripts };

/**
 * A Node.js web tier on AWS, in one of two modes (docs/web-tier.md, "Modes
 * side by side"):
 * - `instance`: one Amazon Linux 2023 EC2 instance in a public subnet
 *   running the app under PM2 behind nginx, with zero-downtime in-place
 *   deploys (an SSM association re-runs the release switch on the running
 *   instance whenever the release settings change; the instance is never
 *   replaced for a release);
 * - `autoscaling`: the same payload on a fleet: launch template, Auto
 *   Scaling group across AZs, an ALB checking the health path, CPU and
 *   scheduled scaling; a release is a new launch template version rolled
 *   out by instance refresh, and `pulumi up` waits for it.
 *
 * ```ts
 * const web = new WebTier("api", {
 *     app: { path: "examples/api", environment: { NODE_ENV: "production" }, secrets: { API_KEY: "/shop/prod/api-key" } },
 *     network: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds },
 * });
 * export const url = web.url;
 * ```
 *
 * Every mode: `pulumi up` packs `app.path` into a deterministic archive,
 * uploads it to a private bucket as `releases/<sha256>.tgz`, and writes the
 * release settings (archive, ports, environment, secret *names*) to the SSM
 * parameter `/<app>/<stage>/<name>/release`, which the hosts read at boot.
 *
 * Access: no SSH by default; connect with `aws ssm start-session --target
 * <instance id>`. The hosts' role reads only this web tier's archives and
 * parameters.
 *
 * Cost per month at the defaults (eu-west-1, on-demand, 2025 prices):
 * instance mode about **$18/month** (t4g.small $12.3, 20 GiB gp3 $1.8, its
 * public IPv4 $3.65); autoscaling mode about **$62/month** with two
 * instances (docs/web-tier.md has the breakdown). T4g instances run in
 * "unlimited" credit mode by default: sustained CPU above the baseline adds
 * a surplus charge. Data transfer out is extra.
 */
export class WebTier extends pulumi.ComponentResource {
    /** instance mode: the EC2 instance's id (use it with `aws ssm start-session --target`); undefined in autoscaling mode. */
    readonly instanceId?: pulumi.Output<string>;
    /** instance mode: the public IPv4 address (the Elastic IP when `instance.elasticIp`); undefined in autoscaling mode. */
    readonly publicIp?: pulumi.Output<string>;
    /** autoscaling mode with strategy `rolling`: the Auto Scaling group's name; undefined otherwise (see `blueGreen`). */
    readonly autoScalingGroupName?: pulumi.Output<string>;
    /** autoscaling mode: the load balancer's DNS name; undefined in instance mode. */
    readonly loadBalancerDnsName?: pulumi.Output<string>;
    /**
     * Strategy `blue-green`: per color, the release it runs, its traffic
     * share, its sizes and its group, so the next change is easy to write
     * (pin `blueGreen.blue.release` before moving `current` to green).
     */
    readonly blueGreen?: pulumi.Output<BlueGreenSummary>;
    /**
     * Where the app answers: `http://<publicIp>` (instance mode); in
     * autoscaling mode `https://<domain>` with a domain, else
     * `http://<load balancer DNS name>`.
     */
    readonly url: pulumi.Output<string>;
    /**
     * Where CloudFront sends API requests (StaticSite's `api` option): the
     * instance's public DNS name (the Elastic IP's with `instance.elasticIp`),
     * plain HTTP on nginx's port 80, since an instance has no certificate.
     * Set `network.behindCloudFront` so only CloudFront reaches that port.
     * CloudFront needs a DNS name, never an IP address (CloudFront developer
     * guide, "Origin domain"); EC2 gives one when the VPC has DNS hostnames
     * enabled.
     * @example
     * // route https://<site>/api/* to the web tier (see StaticSite's `api` option)
     * const web = new WebTier("api", { app, network: { ...network, behindCloudFront: true } });
     * const origin = web.apiOrigin; // { domainName: "ec2-…compute.amazonaws.com", protocol: "http", httpPort: 80 }
     */
    readonly apiOrigin: ApiOrigin;
    /** The instance's security group; allow it into a database's group. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The instance role's name, to grant the app more permissions. */
    readonly roleName: pulumi.Output<string>;
    readonly releaseBucketName: pulumi.Output<string>;
    /** S3 key of the current release archive. */
    readonly releaseKey: pulumi.Output<string>;
    /** Content hash of the current release (sha256 of its tar stream). */
    readonly releaseSha256: pulumi.Output<string>;
    /** The SSM parameter holding the current release settings. */
    readonly settingsParameterName: pulumi.Output<string>;

    constructor(name: string, args: WebTierArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and pack before registering anything: bad input or an
        // unreadable app folder fails with no resource created.
        checkComponentName(name, "WebTier", WEB_TIER_NAME_RULE);
        const resolved = resolveWebTierArgs(args);
        // The app and stage reach the parameter path and the user data.
        const context = checkContextNames(defaultTagContext(resolved.tagContext));
        const release = packAppFolder(resolved.app.path);
        const scripts = packInstanceScripts();
        // Beanstalk deploys a zip of the app folder (its version label is the content hash), built before anything is registered.
        const bundle = resolved.beanstalk
            ? buildSourceBundle(resolved.app.path, {
                  ...(resolved.app.startCommand !== undefined ? { startCommand: resolved.app.startCommand } : {}),
                  ...(resolved.domain ? { extraFiles: { [HTTPS_REDIRECT_PATH]: httpsRedirectConfig() } } : {}),
              })
            : undefined;
        super("webstack:index:WebTier", name, {}, opts);

        const tags = standardTags(context, "web-tier", resolved.tags);
        const published = publishRelease(name, resolved, { release, scripts }, `/${context.app}/${context.stage}/${name}/release`, tags, this);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        // Every mode's hosts read the same things: their own archives and
        // parameters, the app's secrets, and the keys that encrypt them.
        const access = createInstanceRole(
            name,
            {
                bucketName: published.bucketName,
                keyPrefix: published.keyPrefix,
                parameterNames: [published.settingsParameterName, ...colorParameterNames(resolved, published.settingsParameterName), ...Object.values(resolved.app.secrets)],
                secretsManagerArns: resolved.app.secretsManagerArns,
                decryptKeyArns: resolved.app.secretsKeyArns,
                kmsKeyArn: resolved.kmsKeyArn,
                region,
                tags,
            },
            this,
        );
        const inputs = { published, access, region, tags };
        const mode =
            resolved.beanstalk && bundle
                ? createBeanstalkMode(name, { ...resolved, beanstalk: resolved.beanstalk }, inputs, this, bundle)
                : (resolved.mode === "autoscaling" ? createAutoscalingMode : createInstanceMode)(name, resolved, inputs, this);

        this.instanceId = mode.instanceId;
        this.publicIp = mode.publicIp;
        this.autoScalingGroupName = mode.autoScalingGroupName;
        this.loadBalancerDnsName = mode.loadBalancerDnsName;
        this.blueGreen = mode.blueGreen;
        this.url = mode.url;
        this.apiOrigin = mode.apiOrigin;
        this.securityGroupId = mode.securityGroupId;
        this.roleName = access.role.name;
        this.releaseBucketName = published.bucketName;
        this.releaseKey = published.releaseKey;
        this.releaseSha256 = pulumi.output(release.sha256);
        this.settingsParameterName = published.current.parameter.name;
        this.registerOutputs({
            instanceId: this.instanceId,
            publicIp: this.publicIp,
            autoScalingGroupName: this.autoScalingGroupName,
            loadBalancerDnsName: this.loadBalancerDnsName,
            blueGreen: this.blueGreen,
            url: this.url,
            apiOrigin: this.apiOrigin,
            securityGroupId: this.securityGroupId,
            roleName: this.roleName,
            releaseBucketName: this.releaseBucketName,
            releaseKey: this.releaseKey,
            releaseSha256: this.releaseSha256,
            settingsParameterName: this.settingsParameterName,
        });
    }
}

/** The blue/green colors' settings parameters, which the hosts' role may read too. */
function colorParameterNames(resolved: ReturnType<typeof resolveWebTierArgs>, settingsParameterName: string): string[] {
    return resolved.deploy.blueGreen ? COLORS.map((color) => colorSettingsParameterName(settingsParameterName, color)) : [];
}
