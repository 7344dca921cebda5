import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { HeadObjectCommandOutput, ListObjectsV2CommandOutput } from "@aws-sdk/client-s3";

/**
 * The release-pin check's logic: does the archive a color pins
 * (`release: <sha256>`) exist in the release bucket, and if not, which
 * releases are kept there. Plain code, no Pulumi: the client is injected,
 * so tests run it against an S3 API on loopback.
 */

/** The part of `S3Client` the check uses (an `S3Client` is one). */
export interface ReleaseBucketClient {
    send(command: HeadObjectCommand): Promise<HeadObjectCommandOutput>;
    send(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput>;
}

export interface ReleasePinRequest {
    bucket: string;
    /** The archive's key, `<keyPrefix>releases/<sha256>.tgz`. */
    key: string;
    sha256: string;
    /** The setting that pinned it, named in the error. @example "webstack:web.deploy.green.release" */
    setting: string;
}

/** One archive kept in the bucket. */
export interface KeptRelease {
    key: string;
    lastModified?: Date;
}

/** What the check found. */
export interface ReleaseArchiveFound {
    key: string;
    /** Bytes. */
    size?: number;
    lastModified?: Date;
}

/** The pinned archive is not there (or cannot be read); `message` names the setting, the key, the bucket and the fix. */
export class ReleasePinError extends Error {
    constructor(
        message: string,
        /** The newest archives kept under the same `releases/` prefix (empty when none or not listable). */
        readonly kept: KeptRelease[],
    ) {
        super(message);
        this.name = "ReleasePinError";
    }
}

/** How many kept releases the error lists. */
export const LISTED_RELEASES = 5;

/**
 * Resolves with the archive's size and date when `key` exists in `bucket`;
 * rejects with a {@link ReleasePinError} when it does not, listing the
 * newest archives kept under the same `releases/` prefix.
 *
 * A missing object answers HeadObject with 404 when the caller may
 * s3:ListBucket, and with 403 when it may not (S3 API reference,
 * HeadObject, "Permissions"): a 403 is reported as "cannot tell", naming
 * both permissions, never as a missing release.
 */
export async function findReleaseArchive(client: ReleaseBucketClient, request: ReleasePinRequest): Promise<ReleaseArchiveFound> {
    try {
        const head = await client.send(new HeadObjectCommand({ Bucket: request.bucket, Key: request.key }));
        return { key: request.key, size: head.ContentLength, lastModified: head.LastModified };
    } catch (error) {
        const status = httpStatus(error);
        if (status === 403) {
            throw new ReleasePinError(
                `${request.setting} = ${request.sha256}: cannot read release archive ${request.key} in bucket ${request.bucket} (403 Forbidden: ` +
                    "S3 answers 403 both for a denied read and for a missing object when the caller may not list the bucket). " +
                    `Fix: let the deploy role call s3:GetObject on arn:aws:s3:::${request.bucket}/${request.key} and s3:ListBucket on arn:aws:s3:::${request.bucket}, then run \`pulumi up\` again.`,
                [],
            );
        }
        if (status !== 404) throw error;
    }
    const prefix = releasesPrefix(request.key);
    let kept: KeptRelease[];
    try {
        kept = await newestReleases(client, request.bucket, prefix, LISTED_RELEASES);
    } catch (error) {
        if (errorName(error) === "NoSuchBucket") {
            throw new ReleasePinError(`${request.setting} = ${request.sha256}: no release archive ${request.key}: bucket ${request.bucket} does not exist. Fix: use release: current until a release has been published.`, []);
        }
        throw error;
    }
    throw new ReleasePinError(missingMessage(request, prefix, kept), kept);
}

/** "webstack:web.deploy.green.release = <sha>: no release archive <key> in bucket <bucket>; releases kept there are …; fix: …" */
export function missingMessage(request: ReleasePinRequest, prefix: string, kept: KeptRelease[]): string {
    const listing =
        kept.length === 0
            ? `no release is kept there (nothing under ${prefix})`
            : `releases kept there are (newest first): ${kept.map((r) => `${r.key}${r.lastModified ? ` (${r.lastModified.toISOString()})` : ""}`).join(", ")}`;
    const fix = kept.length === 0 ? "fix: use release: current" : "fix: pin one of those (its sha256 is the file name), or use release: current";
    return `${request.setting} = ${request.sha256}: no release archive ${request.key} in bucket ${request.bucket}; ${listing}; ${fix}`;
}

/** `web/releases/<sha>.tgz` → `web/releases/`: the folder the archive would be in. */
export function releasesPrefix(key: string): string {
    return key.slice(0, key.lastIndexOf("/") + 1);
}

/**
 * The `limit` newest `.tgz` archives under `prefix`. ListObjectsV2 returns
 * keys in UTF-8 binary order, not by date (S3 API reference, ListObjectsV2),
 * so every page is read (up to 20 pages of 1,000 keys) and sorted here.
 */
export async function newestReleases(client: ReleaseBucketClient, bucket: string, prefix: string, limit: number): Promise<KeptRelease[]> {
    const all: KeptRelease[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
        const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of answer.Contents ?? []) {
            // Only archives directly in the folder: `releases/<sha>.tgz`.
            if (object.Key && object.Key.endsWith(".tgz") && !object.Key.slice(prefix.length).includes("/")) all.push({ key: object.Key, lastModified: object.LastModified });
        }
        token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
        if (!token) break;
    }
    all.sort((a, b) => (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) || a.key.localeCompare(b.key));
    return all.slice(0, limit);
}

function httpStatus(error: unknown): number | undefined {
    return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function errorName(error: unknown): string {
    return (error as { name?: string })?.name ?? "";
}
