import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../args";
import { uploadArchive } from "./archive-object";
import { ReleaseArchive } from "./release-archive";
import { createReleaseBucket } from "./release-bucket";
import { createReleaseSettingsParameter, ReleaseSettings, ReleaseSettingsParameter, settingsParameterType } from "./release-settings";

/** What every mode deploys from: the archives in their bucket and the settings parameter that names them. */
export interface PublishedRelease {
    bucketName: pulumi.Output<string>;
    /** "" in the bucket the component owns; `<name>/` in a shared one. */
    keyPrefix: string;
    /** S3 key of the release archive. */
    releaseKey: pulumi.Output<string>;
    releaseSha256: string;
    /** The SSM parameter's name, known before it exists (the role and user data name it). */
    settingsParameterName: string;
    /** The parameter and the revision that changes with every release or setting. */
    current: ReleaseSettingsParameter;
    /** What hosts read at first boot: the settings and both archives. */
    bootDependencies: pulumi.Resource[];
}

/**
 * Uploads the release and scripts archives (to the component's own bucket,
 * or under `<name>/` of `releaseBucketName`) and writes the release settings
 * parameter `/<app>/<stage>/<name>/release` that every mode's hosts read.
 */
export function publishRelease(
    name: string,
    resolved: ResolvedWebTierArgs,
    archives: { release: ReleaseArchive; scripts: ReleaseArchive },
    settingsParameterName: string,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): PublishedRelease {
    const { release, scripts } = archives;
    const ownBucket = resolved.releaseBucketName === undefined ? createReleaseBucket(name, tags, parent, { versioning: resolved.versioning, accessLogs: resolved.accessLogs, kmsKeyArn: resolved.kmsKeyArn }) : undefined;
    const bucketName = ownBucket ? ownBucket.bucketName : pulumi.output(resolved.releaseBucketName as pulumi.Input<string>);
    // In a bucket shared with others, this web tier keeps to its own prefix.
    const keyPrefix = ownBucket ? "" : `${name}/`;
    const upload = (suffix: string, key: string, archive: ReleaseArchive) =>
        uploadArchive(`${name}-${suffix}`, { bucket: bucketName, key, archive, dependsOn: ownBucket?.settings }, parent);
    const releaseObject = upload("release-archive", `${keyPrefix}releases/${release.sha256}.tgz`, release);
    const scriptsObject = upload("scripts-archive", `${keyPrefix}payload/${scripts.sha256}.tgz`, scripts);

    const settings: pulumi.Output<ReleaseSettings> = pulumi
        .all([bucketName, releaseObject.key, scriptsObject.key, pulumi.output(resolved.app.environment)])
        .apply(([bucket, releaseKey, payloadKey, environment]) => ({
            bucket,
            releaseKey,
            releaseSha256: release.sha256,
            payloadKey,
            payloadSha256: scripts.sha256,
            instances: resolved.app.instances,
            ports: resolved.app.ports,
            healthCheckPath: resolved.app.healthCheckPath,
            // What the release switch does on each host. A fleet's hosts start
            // each release fresh (the rolling replacement is the instance
            // refresh's), so they switch in place with no watch window.
            strategy: resolved.deploy.strategy === "rolling" ? "in-place" : resolved.deploy.strategy,
            watchSeconds: resolved.deploy.watchSeconds,
            environment: environment as Record<string, string>,
            secrets: resolved.app.secrets,
        }));
    const current = createReleaseSettingsParameter(name, settingsParameterName, settings, settingsParameterType(resolved.app.environment), tags, parent, [releaseObject, scriptsObject], resolved.kmsKeyArn);
    return {
        bucketName,
        keyPrefix,
        releaseKey: releaseObject.key,
        releaseSha256: release.sha256,
        settingsParameterName,
        current,
        bootDependencies: [current.parameter],
    };
}
