import * as crypto from "node:crypto";
import * as aws from "@pulumi/aws";
import { protectLoadBalancer } from "../autoscaling/alb-waf";
import { createAlbSecurityGroups } from "../autoscaling/alb-security-groups";
import { cloudFrontOriginFacingPrefixListId } from "../host/security-group";
import * as pulumi from "@pulumi/pulumi";
import { createAliasRecords } from "../../internal/custom-domain";
import { ResolvedWebTierArgs } from "../args";
import { parameterArn } from "../host/instance-role";
import { ModeInputs, ModeOutputs } from "../mode";
import { ResolvedBeanstalk, secretArnPattern } from "./args";
import { latestNodeSolutionStack } from "./platform";
import { createBeanstalkRoles } from "./roles";
import { beanstalkSettings } from "./settings";

export { deploymentPolicyOf, resolveBeanstalk } from "./args";
export type { ResolvedBeanstalk, WebTierBeanstalkArgs, BeanstalkTrafficSplittingArgs, BeanstalkStrategy } from "./args";
export { HTTPS_REDIRECT_PATH, httpsRedirectConfig } from "./https-redirect";

/** What buildSourceBundle (source-bundle.ts) returns: the zip on disk, its content hash, the version label. */
export interface BeanstalkSourceBundle {
    file: string;
    sha256: string;
    label: string;
    bytes: number;
}

/** The resolved args of mode `beanstalk` (args.ts adds `beanstalk` to ResolvedWebTierArgs; until then this intersection). */
export type ResolvedBeanstalkWebTierArgs = ResolvedWebTierArgs & { beanstalk: ResolvedBeanstalk };

/**
 * Mode `beanstalk`: Elastic Beanstalk runs the app. An Application (with a
 * version lifecycle), the source bundle in the release bucket, an
 * ApplicationVersion labelled with the bundle's content hash, and a
 * load-balanced Environment (ALB) on the newest AL2023 Node.js platform,
 * configured by settings.ts. The app's security group is the one a
 * database admits; with a domain, alias records point at the environment.
 *
 * Second `pulumi up` with the same app: same label, same key, no change.
 * A new bundle: a new object and version (the old ones are retained, so
 * Beanstalk can roll back to them and the lifecycle deletes them when they
 * are old), and the environment deploys the new label with its policy.
 */
export function createBeanstalkMode(name: string, resolved: ResolvedBeanstalkWebTierArgs, inputs: ModeInputs, parent: pulumi.Resource, bundle: BeanstalkSourceBundle): ModeOutputs {
    const { beanstalk } = resolved;
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const bundlePrefix = `${inputs.published.keyPrefix}beanstalk/`;
    const secretArns = secretArnsOf(resolved, partition, inputs.region, accountId);
    const roles = createBeanstalkRoles(
        name,
        {
            partition,
            access: inputs.access,
            bucketName: inputs.published.bucketName,
            bundlePrefix,
            secretArns: Object.values(beanstalk.arnSecrets),
            kmsKeyArn: resolved.kmsKeyArn,
            region: inputs.region,
            tags: inputs.tags,
        },
        parent,
    );
    // The load balancer's group admits CloudFront's origin-facing servers only behind a distribution, else
    // the internet, on the listener ports; the app servers' group admits nginx's port from it only (as the fleet's).
    const groups = createAlbSecurityGroups(
        name,
        {
            vpcId: resolved.network.vpcId,
            ports: resolved.domain ? [80, 443] : [80],
            fromPrefixListId: resolved.network.behindCloudFront ? cloudFrontOriginFacingPrefixListId(parent) : undefined,
            sshAllowedCidrs: resolved.ssh.allowedCidrs,
            tags: inputs.tags,
        },
        parent,
    );
    const appSecurityGroup = groups.app;

    const application = new aws.elasticbeanstalk.Application(
        `${name}-app`,
        {
            description: `web tier ${name}`,
            // maxCount and maxAgeInDays are exclusive (provider docs); deleteSourceFromS3 applies to the versions the lifecycle deletes, the old ones.
            appversionLifecycle: { serviceRole: roles.serviceRole.arn, maxCount: beanstalk.keepVersions, deleteSourceFromS3: true },
            tags: inputs.tags,
        },
        { parent, dependsOn: roles.attachments },
    );
    // Retained on replacement: the previous version and its bundle stay for a rollback until the lifecycle deletes them.
    const bundleObject = new aws.s3.BucketObjectv2(
        `${name}-bundle`,
        {
            bucket: inputs.published.bucketName,
            key: `${bundlePrefix}${bundle.label}.zip`,
            source: new pulumi.asset.FileAsset(bundle.file),
            contentType: "application/zip",
            // No tags on objects (release/archive-object.ts says why).
            overrideProvider: { defaultTags: { tags: {} } },
        },
        { parent, retainOnDelete: true, dependsOn: inputs.published.bootDependencies },
    );
    const version = new aws.elasticbeanstalk.ApplicationVersion(
        `${name}-version`,
        { application: application.name, name: bundle.label, bucket: inputs.published.bucketName, key: bundleObject.key, description: `webstack release ${bundle.label} (content hash; the zip bytes may differ by zip library version)`, tags: inputs.tags },
        { parent, retainOnDelete: true },
    );

    const extraGroups = pulumi.output(resolved.network.securityGroupIds ?? []);
    const known = pulumi.output({
        vpcId: resolved.network.vpcId,
        publicSubnetIds: resolved.network.publicSubnetIds,
        privateSubnetIds: resolved.network.privateSubnetIds,
        profileName: inputs.access.profile.name,
        serviceRoleName: roles.serviceRole.name,
        groupId: appSecurityGroup.id,
        loadBalancerGroupId: groups.alb.id,
        extra: extraGroups,
        environment: pulumi.output(resolved.app.environment),
        secrets: secretArns,
        certificateArn: resolved.domain?.certificateArn,
    });
    const settings = known.apply((values) =>
        beanstalkSettings(beanstalk, {
            vpcId: values.vpcId,
            publicSubnetIds: values.publicSubnetIds,
            privateSubnetIds: values.privateSubnetIds,
            instanceType: resolved.instance.type,
            rootVolumeGiB: resolved.instance.rootVolumeGiB,
            healthCheckPath: resolved.app.healthCheckPath,
            instanceProfileName: values.profileName,
            serviceRoleName: values.serviceRoleName,
            securityGroupIds: [values.groupId, ...values.extra],
            environment: values.environment as Record<string, string>,
            secretArns: values.secrets,
            certificateArn: values.certificateArn,
            loadBalancerSecurityGroupId: values.loadBalancerGroupId,
        }),
    );
    const environment = new aws.elasticbeanstalk.Environment(
        `${name}-env`,
        {
            name: environmentName(name),
            application: application.name,
            tier: "WebServer",
            solutionStackName: latestNodeSolutionStack(resolved.app.nodeVersion, parent),
            version: version.name,
            settings,
            tags: inputs.tags,
        },
        // A fixed name cannot exist twice: a replacement (a new application or tier) deletes first.
        { parent, dependsOn: [...roles.attachments, inputs.access.policy], deleteBeforeReplace: true },
    );

    if (resolved.loadBalancer.waf) {
        // The environment's ALB is Beanstalk's: its ARN is the environment's
        // `loadBalancers` output (DescribeEnvironmentResources; cloudposse's
        // Beanstalk module outputs it for this very use, its PR #73). Same web
        // ACL as the autoscaling mode's ALB (checklist row 10/20), in production.
        protectLoadBalancer(name, environment.loadBalancers.apply((arns) => (arns ?? [])[0]), inputs.tags, parent);
    }
    const domain = resolved.domain;
    if (domain) {
        // An alias to the environment's CNAME takes Beanstalk's hosted zone of the region (Route 53 developer guide,
        // "Routing traffic to an AWS Elastic Beanstalk environment"; the provider's elasticbeanstalk.getHostedZone).
        const beanstalkZone = aws.elasticbeanstalk.getHostedZoneOutput({}, { parent }).id;
        for (const [index, recordName] of [domain.domainName, ...(domain.aliases ?? [])].entries()) {
            createAliasRecords(index === 0 ? `${name}-dns` : `${name}-dns-${index}`, domain.hostedZoneId, recordName, { dnsName: environment.cname, hostedZoneId: beanstalkZone }, { ipv6: false, evaluateTargetHealth: true, parent });
        }
    }
    return {
        url: domain ? pulumi.output(`https://${domain.domainName}`) : pulumi.interpolate`http://${environment.cname}`,
        apiOrigin: domain ? { domainName: domain.domainName, protocol: "https", httpsPort: 443 } : { domainName: environment.cname, protocol: "http", httpPort: 80 },
        securityGroupId: appSecurityGroup.id,
    };
}

/**
 * Beanstalk environment names are 4 to 40 letters, digits and hyphens, unique
 * in the account and region (Elastic Beanstalk API reference,
 * CreateEnvironment "EnvironmentName"). A component name may have 41
 * characters, so Pulumi's `<name>-env-<7 random>` could be too long: the
 * name is the component's first 32 characters and 7 hex characters of the
 * project, stack and component name, stable from one `pulumi up` to the next.
 */
export function environmentName(name: string): string {
    const hash = crypto.createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, 7);
    return `${name.slice(0, 32).replace(/-+$/, "")}-${hash}`;
}

/**
 * Every secret as an ARN: `app.secrets` names become parameter ARNs in this
 * account and region; ARNs given as Outputs are checked once known.
 */
function secretArnsOf(resolved: ResolvedBeanstalkWebTierArgs, partition: pulumi.Input<string>, region: pulumi.Input<string>, accountId: pulumi.Input<string>): pulumi.Output<Record<string, string>> {
    const { parameterSecrets, arnSecrets } = resolved.beanstalk;
    return pulumi.all([partition, region, accountId, pulumi.output(arnSecrets)]).apply(([p, r, a, arns]) => {
        const result: Record<string, string> = {};
        for (const [env, parameter] of Object.entries(parameterSecrets)) result[env] = parameterArn(p, r, a, parameter);
        for (const [env, arn] of Object.entries(arns as Record<string, string>)) {
            if (!secretArnPattern.test(arn)) throw new Error(`beanstalk.secrets.${env}: not the ARN of an SSM parameter or a Secrets Manager secret; give an ARN, never a value`);
            result[env] = arn;
        }
        return result;
    });
}

