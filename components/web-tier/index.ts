import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkComponentName, checkContextNames, WEB_TIER_NAME_RULE } from "../internal/component-name";
import { defaultTagContext } from "../internal/context";
import { standardTags } from "../internal/tags";
import { ApiOrigin } from "../internal/api-origin";
import { resolveWebTierArgs, WebTierArgs } from "./args";
import { createInstanceRole } from "./host/instance-role";
import { packInstanceScripts } from "./host/instance-scripts";
import { createInstanceMode } from "./instance";
import { packAppFolder } from "./release/release-archive";
import { publishRelease } from "./release/publish-release";

// Tests and tools check the uploaded scripts archive against this.
export { packInstanceScripts };

/**
 * A Node.js web tier on AWS. In `instance` mode (the only mode so far): one
 * Amazon Linux 2023 EC2 instance in a public subnet running the app under
 * PM2 behind nginx, with zero-downtime in-place deploys.
 *
 * ```ts
 * const web = new WebTier("api", {
 *     app: { path: "examples/api", environment: { NODE_ENV: "production" }, secrets: { API_KEY: "/shop/prod/api-key" } },
 *     network: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds },
 * });
 * export const url = web.url;
 * ```
 *
 * What `pulumi up` does with the app: packs `app.path` into a deterministic
 * archive, uploads it to a private bucket as `releases/<sha256>.tgz`, and
 * writes the release settings (archive, command, ports, environment, secret
 * *names*) to the SSM parameter `/<app>/<stage>/<name>/release`. The
 * instance deploys that release at first boot; afterwards, an SSM State
 * Manager association re-runs the deploy on the running instance whenever
 * the settings change. The release switch starts the new release on the
 * idle port, waits for `app.healthCheckPath`, points nginx at it and stops
 * the old one. The instance is never replaced for a release.
 *
 * Access: no SSH by default; connect with `aws ssm start-session --target
 * <instanceId>`. The instance role reads only this web tier's archives and
 * parameters.
 *
 * Cost per month at the defaults (eu-west-1, on-demand, 2025 prices): a
 * t4g.small instance about $12.3, a 20 GiB gp3 root volume about $1.8, its
 * public IPv4 address $3.65 (AWS bills every public IPv4, Elastic or not),
 * S3 and SSM parameter storage a few cents: about **$18/month**. T4g
 * instances run in "unlimited" credit mode by default: sustained CPU above
 * the baseline adds a surplus charge. Data transfer out is extra.
 */
export class WebTier extends pulumi.ComponentResource {
    /** The EC2 instance's id (use it with `aws ssm start-session --target`). */
    readonly instanceId: pulumi.Output<string>;
    /** The public IPv4 address (the Elastic IP when `instance.elasticIp`). */
    readonly publicIp: pulumi.Output<string>;
    /** `http://<publicIp>`. */
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
                parameterNames: [published.settingsParameterName, ...Object.values(resolved.app.secrets)],
                secretsManagerArns: resolved.app.secretsManagerArns,
                decryptKeyArns: resolved.app.secretsKeyArns,
                kmsKeyArn: resolved.kmsKeyArn,
                region,
                tags,
            },
            this,
        );
        const mode = createInstanceMode(name, resolved, { published, access, region, tags }, this);

        this.instanceId = mode.instanceId!;
        this.publicIp = mode.publicIp!;
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
