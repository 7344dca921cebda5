import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imdsV2Only, latestAl2023Ami } from "../../internal/amazon-linux";
import { ResolvedManagedDatabaseArgs } from "../args";
import { DatabaseEndpoint } from "../endpoint";
import { renderBootScript } from "./boot-script";
import { createInstanceRole } from "./instance-role";
import { createSnapshotPolicy, SNAPSHOT_TAG_KEY } from "./snapshots";

/** t4g is Graviton (arm64) only; t3 is its x86 counterpart. */
function instanceType(args: ResolvedManagedDatabaseArgs): string {
    return `${args.architecture === "arm64" ? "t4g" : "t3"}.${args.size}`;
}

export interface Ec2Database extends DatabaseEndpoint {
    instance: aws.ec2.Instance;
    dataVolume: aws.ebs.Volume;
    secret: aws.secretsmanager.Secret;
    snapshotPolicy: aws.dlm.LifecyclePolicy;
}

/**
 * ec2 mode: a private instance that installs the engine at boot, its data
 * on a separate encrypted volume that outlives it, the password in a secret
 * only the instance fills, and daily snapshots of the data volume.
 */
export function createEc2Database(
    name: string,
    args: ResolvedManagedDatabaseArgs,
    securityGroupId: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): Ec2Database {
    const opts = { parent };
    // Data-holding resources survive `pulumi destroy` and are protected in production.
    const dataOpts = { parent, protect: args.production, retainOnDelete: args.production };
    const partition = aws.getPartitionOutput({}, opts).partition;
    const region = aws.getRegionOutput({}, opts).region;

    // No SecretVersion: the secret starts empty and the instance writes the
    // password it generates at first boot, so the password is never in
    // Pulumi's state, config or the user data.
    const secret = new aws.secretsmanager.Secret(
        `${name}-password`,
        {
            description: `Password of database ${name} (JSON: username, password); written by the database instance at first boot`,
            recoveryWindowInDays: args.production ? 30 : 7,
            // Undefined: aws/secretsmanager. The instance role may use this key via Secrets Manager.
            kmsKeyId: args.kmsKeyArn,
            tags,
        },
        dataOpts,
    );
    const role = createInstanceRole(name, secret.arn, partition, tags, parent, args.kmsKeyArn);

    const subnetId = pulumi.output(args.subnetIds).apply((ids) => ids[0]);
    const availabilityZone = aws.ec2.getSubnetOutput({ id: subnetId }, opts).availabilityZone;
    const snapshotTarget = { key: SNAPSHOT_TAG_KEY, value: `${tags.app}/${tags.stage}/${name}` };
    const dataVolume = new aws.ebs.Volume(
        `${name}-data`,
        {
            availabilityZone,
            size: args.storageGb,
            type: "gp3",
            encrypted: true,
            // ForceNew: a new key means a new, empty volume (the data stays
            // on the old one, retained in production). DLM's snapshots of it
            // are encrypted with this same key.
            kmsKeyId: args.kmsKeyArn,
            // A last snapshot if the volume is ever deleted (production only;
            // dev volumes go away with the stage).
            finalSnapshot: args.production,
            tags: { ...tags, Name: `${name}-data`, [snapshotTarget.key]: snapshotTarget.value },
        },
        dataOpts,
    );

    const userData = pulumi.all([secret.arn, dataVolume.id, region]).apply(([secretArn, volumeId, regionName]) =>
        renderBootScript({
            engine: args.engine,
            majorVersion: args.majorVersion,
            databaseName: args.databaseName,
            username: args.username,
            port: args.port,
            secretArn,
            volumeId,
            region: regionName,
        }),
    );
    const instance = new aws.ec2.Instance(
        `${name}-instance`,
        {
            ami: latestAl2023Ami(args.architecture, parent),
            instanceType: instanceType(args),
            subnetId,
            vpcSecurityGroupIds: [securityGroupId],
            associatePublicIpAddress: false,
            iamInstanceProfile: role.profile.name,
            // No keyName: there is no SSH; operators use SSM Session Manager.
            metadataOptions: imdsV2Only,
            rootBlockDevice: { encrypted: true, kmsKeyId: args.kmsKeyArn, volumeType: "gp3", tags: { ...tags, Name: `${name}-root` } },
            userData,
            // A new boot script only runs on a new instance; the data volume
            // carries the data over. So a change of engine, version, port,
            // names or boot.sh replaces the instance (see docs: downtime).
            userDataReplaceOnChange: true,
            tags: { ...tags, Name: `${name}-instance` },
        },
        {
            parent,
            // A newer AL2023 AMI must not replace the database on every run; replace it deliberately.
            ignoreChanges: ["ami"],
            // Delete-first: the data volume attaches to one instance at a
            // time (AttachVolume fails with VolumeInUse), so the replacement
            // can only get it once the old instance is gone. The engine first
            // deletes the dependents it must replace too (the attachment,
            // whose instanceId changes), then the instance. Downtime is the
            // price: a single instance has no standby.
            deleteBeforeReplace: true,
            // Its boot script calls Secrets Manager at once: the role must
            // allow it and (in subnets without NAT) the endpoint must exist.
            dependsOn: [...role.policies, ...args.instanceDependsOn],
        },
    );
    new aws.ec2.VolumeAttachment(
        `${name}-data-attachment`,
        {
            instanceId: instance.id,
            volumeId: dataVolume.id,
            // The boot script waits for the volume under this name (NVMe on Nitro).
            deviceName: "/dev/sdf",
            // Detaching: stop the instance first, so systemd shuts the engine
            // down and the file system is unmounted cleanly, then detach
            // (@pulumi/aws VolumeAttachment: "stops the instance, if it is not
            // already stopped"). Not `forceDetach` ("can result in data loss",
            // EC2 User Guide, "Detach an Amazon EBS volume"), and not
            // `skipDestroy`, which would leave the volume on the old instance
            // so the new attachment would fail with VolumeInUse.
            stopInstanceBeforeDetaching: true,
        },
        // Delete-first as well: a create-first replacement would attach the
        // volume a second time while it is still attached.
        { parent, deleteBeforeReplace: true },
    );
    const snapshotPolicy = createSnapshotPolicy(name, snapshotTarget, args.backupRetentionDays, partition, tags, parent);

    return {
        instance,
        dataVolume,
        secret,
        snapshotPolicy,
        host: instance.privateIp,
        port: pulumi.output(args.port),
        passwordSecretArn: secret.arn,
    };
}
