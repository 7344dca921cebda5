import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imdsV2Only, latestAl2023Ami } from "../../internal/amazon-linux";
import { ResolvedWebTierArgs } from "../args";
import { renamedFrom } from "./renamed";

export interface LaunchTemplateArgs {
    instance: ResolvedWebTierArgs["instance"];
    keyName?: string;
    /** The app servers' group and any further ones (a database's client group). */
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    instanceProfileArn: pulumi.Input<string>;
    /** The customer managed key of the root volume; undefined for aws/ebs. */
    kmsKeyId?: pulumi.Input<string>;
    /** The first-boot script (host/user-data.ts) with the release revision in it, not yet base64-encoded. */
    userData: pulumi.Input<string>;
    /** A public IPv4 address on each instance: only when the fleet runs in public subnets (no NAT). */
    publicIp: boolean;
    tags: Record<string, string>;
}

/** AL2023's root device (its AMI's block device mapping names /dev/xvda). */
const ROOT_DEVICE = "/dev/xvda";

/**
 * The fleet's launch template: the same host as instance mode (AL2023,
 * IMDSv2 only with hop limit 1, encrypted gp3 root, the hosts' instance
 * profile, the same user data), one network interface with the app
 * servers' groups.
 *
 * Every release or setting changes the user data (it carries the settings
 * revision), so the template gets a new version, the group follows
 * `latestVersion` and EC2 Auto Scaling starts an instance refresh. Only
 * a change of the launch template (or launch configuration, or mixed
 * instances policy) starts one (@pulumi/aws autoscaling Group,
 * `instanceRefresh.triggers`).
 *
 * The AMI is read when the template is created and then ignored, as in
 * instance mode: following the SSM parameter would roll the whole fleet
 * whenever AWS publishes an image. Take a new image deliberately with
 * `pulumi up --replace` on the template (which rolls the fleet).
 */
export function createLaunchTemplate(name: string, args: LaunchTemplateArgs, parent: pulumi.Resource, formerName?: string): aws.ec2.LaunchTemplate {
    const volumeTags = { ...args.tags, Name: name };
    return new aws.ec2.LaunchTemplate(
        `${name}-launch-template`,
        {
            description: `webstack WebTier ${name}: AL2023 hosts running the app under PM2 behind nginx`,
            imageId: latestAl2023Ami(args.instance.architecture, parent),
            instanceType: args.instance.type,
            keyName: args.keyName,
            iamInstanceProfile: { arn: args.instanceProfileArn },
            metadataOptions: imdsV2Only,
            // Security groups go on the interface when an interface is
            // described (EC2 refuses both forms together).
            networkInterfaces: [
                {
                    deviceIndex: 0,
                    associatePublicIpAddress: String(args.publicIp),
                    deleteOnTermination: "true",
                    securityGroups: args.securityGroupIds,
                },
            ],
            blockDeviceMappings: [
                {
                    deviceName: ROOT_DEVICE,
                    ebs: { volumeType: "gp3", volumeSize: args.instance.rootVolumeGiB, encrypted: "true", kmsKeyId: args.kmsKeyId, deleteOnTermination: "true" },
                },
            ],
            // EC2 wants user data base64-encoded in a launch template (the instance resource encodes it itself).
            userData: pulumi.output(args.userData).apply((script) => Buffer.from(script, "utf8").toString("base64")),
            // The group pins latestVersion; the default version follows so the console shows what runs.
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags: volumeTags },
                { resourceType: "volume", tags: volumeTags },
                { resourceType: "network-interface", tags: volumeTags },
            ],
            tags: args.tags,
        },
        { parent, ignoreChanges: ["imageId"], aliases: renamedFrom(formerName, "-launch-template") },
    );
}
