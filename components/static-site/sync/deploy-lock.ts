import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomUUID } from "crypto";
import * as os from "os";
import { isConditionFailure, isNotFound } from "./conditional-write";
import { RESERVED_DIRECTORY } from "./keys";

/** Where the deploy lock lives, relative to the prefix. */
export const LOCK_PATH = `${RESERVED_DIRECTORY}lock.json`;

/** A lease this long, renewed every third of it while the sync runs: a crashed deploy blocks others 5 minutes at most. */
export const DEFAULT_LOCK_LEASE_SECONDS = 300;

/** The lock object's body: who holds it, and until when. */
export interface LockHolder {
    /** Unique per acquisition. */
    id: string;
    /** `user@host pid N`, or the `deployer` label the caller passed. */
    deployer: string;
    host: string;
    pid: number;
    /** ISO time the lock was taken. */
    startedAt: string;
    /** ISO time after which any other deploy may take the lock over (the holder's clock). */
    expiresAt: string;
}

/** Raised when another deploy holds the lock; the message names it and says how to break the lock. */
export class DeployLockedError extends Error {
    constructor(
        message: string,
        readonly holder: LockHolder | undefined,
    ) {
        super(message);
    }
}

export interface DeployLockOptions {
    /** Lease length. @default 300 */
    leaseSeconds?: number;
    /** A label naming this deploy in the lock (and in the errors other deploys get). @default `user@host pid N` */
    deployer?: string;
    /** The clock (tests). @default Date.now */
    now?: () => number;
}

/** A lock this sync holds. */
export interface DeployLock {
    readonly holder: LockHolder;
    /** Throws if a renewal found that another deploy took the lock over (our lease had run out). */
    assertHeld(): void;
    /** Stop renewing and delete the lock, only if it is still ours (DeleteObject If-Match). */
    release(): Promise<void>;
}

export function lockKey(prefix: string): string {
    return prefix + LOCK_PATH;
}

/** `user@host pid N`: enough for a person to find the other deploy. */
export function defaultDeployer(): string {
    let user = "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // No passwd entry (some containers): the host and pid still identify the deploy.
    }
    return `${user}@${os.hostname()} pid ${process.pid}`;
}

/**
 * Take the deploy lock of `s3://bucket/prefix`: a small JSON object created
 * with PutObject If-None-Match "*", which S3 applies atomically (exactly one
 * of two racing creators succeeds; the other gets 412, or 409 if the writes
 * overlapped: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 *
 * The lock is a lease: the holder rewrites it every third of the lease with
 * If-Match on its own ETag. A lock whose lease has run out (its holder
 * crashed) is taken over with If-Match on the expired lock's ETag, so two
 * deploys cannot both take over the same dead lock. A live lock makes this
 * fail with a DeployLockedError naming the holder.
 */
export async function acquireDeployLock(client: S3Client, bucket: string, prefix: string, options: DeployLockOptions = {}): Promise<DeployLock> {
    const leaseMs = (options.leaseSeconds ?? DEFAULT_LOCK_LEASE_SECONDS) * 1000;
    const now = options.now ?? Date.now;
    const key = lockKey(prefix);
    const startedAt = new Date(now()).toISOString();
    const holderAt = (time: number): LockHolder => ({
        id,
        deployer: options.deployer ?? defaultDeployer(),
        host: os.hostname(),
        pid: process.pid,
        startedAt,
        expiresAt: new Date(time + leaseMs).toISOString(),
    });
    const id = randomUUID();
    const put = async (holder: LockHolder, condition: { IfNoneMatch: "*" } | { IfMatch: string }) =>
        (
            await client.send(
                new PutObjectCommand({
                    Bucket: bucket,
                    Key: key,
                    Body: JSON.stringify(holder),
                    ContentType: "application/json",
                    CacheControl: "no-store",
                    ...condition,
                }),
            )
        ).ETag;

    let holder = holderAt(now());
    let etag: string | undefined;
    for (let attempt = 1; etag === undefined; attempt++) {
        try {
            etag = (await put(holder, { IfNoneMatch: "*" })) ?? "";
            break;
        } catch (error) {
            if (!isConditionFailure(error)) throw lockError(bucket, key, error);
        }
        const current = await readLock(client, bucket, key);
        // Released between our PUT and our GET: try once more.
        if (!current) {
            if (attempt < 2) continue;
            throw heldError(bucket, key, undefined, true);
        }
        // An unreadable body has no lease we could wait for: treated as expired, so it cannot wedge the site.
        const expired = !(Date.parse(current.holder?.expiresAt ?? "") > now());
        if (!expired) throw heldError(bucket, key, current.holder, false);
        try {
            // Take over a dead deploy's lock, only if nobody else did first.
            etag = (await put(holder, { IfMatch: current.etag })) ?? "";
        } catch (takeover) {
            if (!isConditionFailure(takeover)) throw lockError(bucket, key, takeover);
            throw heldError(bucket, key, (await readLock(client, bucket, key))?.holder, false);
        }
    }

    let lost: Error | undefined;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
        renewing = renewing.then(async () => {
            if (lost) return;
            const renewed = holderAt(now());
            try {
                etag = await put(renewed, { IfMatch: etag! });
                holder = renewed;
            } catch (error) {
                if (isConditionFailure(error)) {
                    const other = (await readLock(client, bucket, key).catch(() => undefined))?.holder;
                    lost = heldError(bucket, key, other, false, "this sync's lease ran out and ");
                }
                // Other errors (network): try again at the next renewal; the lease still has two thirds left.
            }
        });
    }, Math.max(1, Math.floor(leaseMs / 3)));
    timer.unref();

    return {
        get holder() {
            return holder;
        },
        assertHeld() {
            if (lost) throw lost;
        },
        async release() {
            clearInterval(timer);
            await renewing;
            if (lost) return;
            try {
                // If-Match: never delete a lock another deploy has since taken over.
                // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
                await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
            } catch (error) {
                if (!isConditionFailure(error) && !isNotFound(error)) {
                    throw new Error(
                        `Releasing the deploy lock s3://${bucket}/${key} failed: ${(error as Error).message}. ` +
                            `It blocks other deploys until its lease ends (${holder.expiresAt}), or delete it: aws s3 rm s3://${bucket}/${key}`,
                        { cause: error },
                    );
                }
            }
        },
    };
}

/**
 * Break the lock by hand, whoever holds it (`aws s3 rm s3://bucket/prefix.webstack/lock.json`
 * does the same). Only for a deploy known to be dead whose lease has not run
 * out yet. Returns the holder it removed, if any.
 */
export async function breakDeployLock(client: S3Client, bucket: string, prefix: string): Promise<LockHolder | undefined> {
    const key = lockKey(prefix);
    const current = await readLock(client, bucket, key);
    if (!current) return undefined;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: current.etag }));
    return current.holder;
}

async function readLock(client: S3Client, bucket: string, key: string): Promise<{ holder?: LockHolder; etag: string } | undefined> {
    try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = response.Body ? await response.Body.transformToString() : "";
        let holder: LockHolder | undefined;
        try {
            holder = JSON.parse(text) as LockHolder;
        } catch {
            holder = undefined;
        }
        return { holder, etag: response.ETag ?? "" };
    } catch (error) {
        if (isNotFound(error)) return undefined;
        throw lockError(bucket, key, error);
    }
}

function heldError(bucket: string, key: string, holder: LockHolder | undefined, vanished: boolean, preface = ""): DeployLockedError {
    const who = holder
        ? `${holder.deployer} (host ${holder.host}, pid ${holder.pid}), started ${holder.startedAt}, lease until ${holder.expiresAt}`
        : vanished
          ? "a deploy that released it while this one was checking; run again"
          : "another deploy";
    return new DeployLockedError(
        `Another deploy is publishing to s3://${bucket}/${key.slice(0, -LOCK_PATH.length)}: ${preface}the lock s3://${bucket}/${key} is held by ${who}. ` +
            "Wait for it to finish. If it died, its lease runs out by itself and the next sync takes the lock over; " +
            `to break it at once, delete the lock: aws s3 rm s3://${bucket}/${key}`,
        holder,
    );
}

function lockError(bucket: string, key: string, error: unknown): Error {
    return new Error(`Taking the deploy lock s3://${bucket}/${key} failed: ${(error as Error).message}`, { cause: error });
}
