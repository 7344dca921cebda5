import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, imdsV2Only, latestAl2023Ami } from "../../internal/amazon-linux";

export interface WebInstanceArgs {
    type: string;
    architecture: Architecture;
    rootVolumeGiB: number;
    elasticIp: boolean;
    keyName?: string;
    subnetId: pulumi.Input<string>;
    securityGroupId: pulumi.Input<string>;
    /** Groups joined besides its own (e.g. a database's client group). */
    extraSecurityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    instanceProfileName: pulumi.Input<string>;
    /** The customer managed key of the root volume; undefined for aws/ebs. */
    kmsKeyId?: pulumi.Input<string>;
    userData: pulumi.Input<string>;
    tags: Record<string, string>;
    /** What the first boot reads: the release settings and the role's policy. */
    dependsOn: pulumi.Resource[];
}

export interface WebInstance {
    instance: aws.ec2.Instance;
    eip?: aws.ec2.Eip;
    publicIp: pulumi.Output<string>;
    /**
     * The public DNS name that goes with `publicIp`. EC2 gives one when the
     * VPC has DNS hostnames enabled (the stack's VPC does; EC2 user guide,
     * "Amazon EC2 instance hostname types"); otherwise it is empty.
     */
    publicDns: pulumi.Output<string>;
}

/**
 * The EC2 instance: Amazon Linux 2023 in a public subnet, IMDSv2 required
 * (`httpTokens: "required"`, hop limit 1 so nothing forwarded from the app
 * can reach the metadata service), an encrypted gp3 root volume, and the
 * instance profile.
 *
 * The AMI id is read at creation and then ignored: the parameter moves to a
 * new AMI every few weeks, and following it would replace the instance on
 * an unrelated `pulumi up`. Replace the instance deliberately to take a new
 * image (`pulumi up --replace <urn>`).
 */
export function createWebInstance(name: string, args: WebInstanceArgs, parent: pulumi.Resource): WebInstance {
    const instance = new aws.ec2.Instance(
        `${name}-instance`,
        {
            ami: latestAl2023Ami(args.architecture, parent),
            instanceType: args.type,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: pulumi.output(args.extraSecurityGroupIds).apply((extra) => [args.securityGroupId, ...extra]),
            iamInstanceProfile: args.instanceProfileName,
            keyName: args.keyName,
            // The instance needs a public address to reach packages, S3 and
            // SSM: dev stages have no NAT gateway.
            associatePublicIpAddress: true,
            userData: args.userData,
            // User data runs only on first boot; it holds no release id (see
            // user-data.ts), so it changes only when webstack's boot script
            // does, and then only a new instance runs the new script.
            userDataReplaceOnChange: true,
            metadataOptions: imdsV2Only,
            // kmsKeyId: a new key replaces the instance (EBS cannot re-encrypt
            // a volume in place; the provider marks root_block_device.kms_key_id ForceNew).
            rootBlockDevice: { volumeType: "gp3", volumeSize: args.rootVolumeGiB, encrypted: true, kmsKeyId: args.kmsKeyId, deleteOnTermination: true },
            // volumeTags tag the root volume at creation (rootBlockDevice.tags
            // are applied afterwards by a separate call).
            volumeTags: args.tags,
            tags: { ...args.tags, Name: name },
        },
        { parent, ignoreChanges: ["ami"], dependsOn: args.dependsOn },
    );
    if (!args.elasticIp) return { instance, publicIp: instance.publicIp, publicDns: instance.publicDns };
    const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", instance: instance.id, tags: args.tags }, { parent });
    // The EIP's own name: attaching the EIP changes the instance's public
    // address and name, but the instance's state keeps the first ones.
    return { instance, eip, publicIp: eip.publicIp, publicDns: eip.publicDns };
}
