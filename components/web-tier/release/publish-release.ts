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
    /** The current release's archive object. */
    releaseObject: pulumi.Resource;
    /** The S3 key of the release archive with this sha256 (`<prefix>releases/<sha256>.tgz`). */
    keyOf(sha256: string): string;
    /** Writes another settings parameter, for another release (a blue/green color's). */
    publishSettings: PublishSettings;
}

/**
 * Writes a settings parameter that differs from the current one by its
 * archive only; `dependsOn` is what proves the archive is in the bucket.
 */
export type PublishSettings = (
    resourceName: string,
    parameterName: string,
    archive: { key: pulumi.Input<string>; sha256: string },
    dependsOn: pulumi.Resource[],
) => ReleaseSettingsParameter;

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
    const upload = (suffix: string, key: string, archive: ReleaseArchive, keep = false) =>
        uploadArchive(`${name}-${suffix}`, { bucket: bucketName, key, archive, dependsOn: ownBucket?.settings, retainOnDelete: keep }, parent);
    // Release archives stay in the bucket when the next release replaces them, so a blue/green color can pin one (`release: <sha256>`).
    const releaseObject = upload("release-archive", `${keyPrefix}releases/${release.sha256}.tgz`, release, true);
    const scriptsObject = upload("scripts-archive", `${keyPrefix}payload/${scripts.sha256}.tgz`, scripts);

    const type = settingsParameterType(resolved.app.environment);
    /** The settings of one release: everything but the archive is the web tier's current configuration. */
    const settingsOf = (archive: { key: pulumi.Input<string>; sha256: string }): pulumi.Output<ReleaseSettings> =>
        pulumi.all([bucketName, archive.key, scriptsObject.key, pulumi.output(resolved.app.environment)]).apply(([bucket, releaseKey, payloadKey, environment]) => ({
            bucket,
            releaseKey,
            releaseSha256: archive.sha256,
            payloadKey,
            payloadSha256: scripts.sha256,
            instances: resolved.app.instances,
            ports: resolved.app.ports,
            healthCheckPath: resolved.app.healthCheckPath,
            // What the release switch does on each host. A fleet's hosts start
            // each release fresh (the rolling replacement is the instance
            // refresh's, the blue/green one the listener's), so they switch
            // in place with no watch window.
            strategy: resolved.deploy.strategy === "in-place" || resolved.deploy.strategy === "all-at-once" ? resolved.deploy.strategy : "in-place",
            watchSeconds: resolved.deploy.watchSeconds,
            environment: environment as Record<string, string>,
            secrets: resolved.app.secrets,
        }));
    const current = createReleaseSettingsParameter(name, settingsParameterName, settingsOf({ key: releaseObject.key, sha256: release.sha256 }), type, tags, parent, [releaseObject, scriptsObject], resolved.kmsKeyArn);
    const publishSettings: PublishSettings = (resourceName, parameterName, archive, dependsOn) =>
        createReleaseSettingsParameter(resourceName, parameterName, settingsOf(archive), type, tags, parent, [scriptsObject, ...dependsOn], resolved.kmsKeyArn);
    return {
        bucketName,
        keyPrefix,
        releaseKey: releaseObject.key,
        releaseSha256: release.sha256,
        settingsParameterName,
        current,
        bootDependencies: [current.parameter],
        releaseObject,
        keyOf: (sha256) => `${keyPrefix}releases/${sha256}.tgz`,
        publishSettings,
    };
}
