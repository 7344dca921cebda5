import * as pulumi from "@pulumi/pulumi";
import type { AwsClientSettings } from "../internal/aws-settings";
import type { StaticKeys } from "./sync/aws-clients";
import type { CacheRule } from "./sync/cache-rules";

/**
 * The folder sync as ONE Pulumi resource, whatever the number of files: a
 * dynamic resource whose inputs are a handful of scalars (the bucket, the
 * folder, the release digest, the rules) and whose outputs are a digest and
 * counts. The per-file record lives in the bucket (the engine's manifest),
 * so the Pulumi state stays a few hundred bytes for 10 or 100,000 files.
 *
 * How Pulumi decides to sync: the component hashes the folder while the
 * program runs (`digest`, the engine's own release digest); the provider's
 * `diff` compares it with the digest in the state. Same digest → no change,
 * no AWS call. Moving the checkout (a different absolute `folder`) is not a
 * change.
 */
export interface SiteSyncInputs {
    /** The bucket to publish to. */
    bucket: pulumi.Input<string>;
    /** The bucket's region (the S3 client's region). */
    region: pulumi.Input<string>;
    /** Absolute path of the folder to publish. */
    folder: pulumi.Input<string>;
    /** The engine's digest of the folder's release (scanFolder().digest). */
    digest: pulumi.Input<string>;
    cacheRules: pulumi.Input<CacheRule[]>;
    keepPreviousAssets: pulumi.Input<boolean>;
    /** CloudFront distribution to invalidate after a sync; absent for s3-website hosting. */
    distributionId?: pulumi.Input<string>;
    /** More stale paths than this become one `/*` invalidation. */
    invalidationThreshold: pulumi.Input<number>;
    /**
     * Who the S3 and CloudFront clients are and where they connect: the
     * stack's `aws:` settings or the explicit provider's (profile, role ARNs,
     * shared files, endpoints). Names only — never a key or token: these
     * inputs are stored in the state. Static keys are read when the provider
     * runs (see `configure`).
     */
    aws: pulumi.Input<AwsClientSettings>;
}

/**
 * What the state keeps after a sync, next to the inputs (the Node dynamic
 * provider host hands `diff` the old *outputs* only, so the outputs repeat
 * the inputs `diff` compares).
 */
export interface SiteSyncOutputs {
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
    uploadedCount: number;
    deletedCount: number;
    unchangedCount: number;
    /** The invalidation id of the last sync that invalidated anything ("" if none yet). */
    lastInvalidationId: string;
    /** How many paths that invalidation named (`/*` counts as 1). */
    lastInvalidationPathCount: number;
}

/** Plain (resolved) inputs, as the provider receives them. */
type PlainInputs = { [K in keyof SiteSyncInputs]: pulumi.Unwrap<SiteSyncInputs[K]> };

/**
 * Absolute paths of the modules the provider loads when it runs. The
 * provider's code is serialized into the state and run by Pulumi in another
 * process, so it captures these strings and `require`s the modules there,
 * instead of capturing (and serializing) the engine's functions themselves:
 * the serialized text stays small and the engine is the very code that is
 * tested. For create/update Pulumi always runs the provider serialized by
 * the current program, so the paths are those of the current checkout.
 */
const ENGINE_MODULE = require.resolve("./sync");
const S3_CLIENT_MODULE = require.resolve("@aws-sdk/client-s3");
const CLOUDFRONT_CLIENT_MODULE = require.resolve("@aws-sdk/client-cloudfront");

/** Progress lines are written at most this often. */
const PROGRESS_INTERVAL_MS = 2000;

/**
 * Runs one sync: publish the folder, then invalidate what went stale.
 * Progress goes to the provider's stderr, which the Pulumi engine streams
 * into the update's output: `pulumi.log` does not reach the engine from a
 * dynamic provider (pulumi/pulumi#6065, #18249), while a plugin's output
 * lines do.
 */
async function runSiteSync(inputs: PlainInputs, previousInvalidation: { id: string; count: number }, keys: StaticKeys | undefined): Promise<SiteSyncOutputs> {
    if (ENGINE_MODULE.endsWith(".ts")) {
        // Running from TypeScript sources (this repository's own stacks):
        // the provider's process has no ts-node unless we register it.
        require("ts-node").register({ transpileOnly: true });
    }
    const engine = require(ENGINE_MODULE) as typeof import("./sync");
    const s3 = require(S3_CLIENT_MODULE) as typeof import("@aws-sdk/client-s3");
    // One credentials provider for both clients, so a role is assumed once.
    // A resource created before the `aws` input existed has none: the stack's settings by default.
    const aws = inputs.aws ?? { stackKeys: true };
    const credentials = engine.credentialsFor(aws, inputs.region, keys);
    const client = new s3.S3Client(engine.s3ClientConfig(aws, inputs.region, credentials));
    const label = `[webstack sync s3://${inputs.bucket}]`;
    try {
        // The engine sends the invalidation itself, so that paths CloudFront
        // did not accept are recorded in the bucket's manifest and sent again
        // by the next update (a failed update keeps the old outputs, and the
        // retried one uploads nothing: the paths must live in the bucket).
        let invalidator: import("./sync").Invalidator | undefined;
        if (inputs.distributionId) {
            const cloudFront = require(CLOUDFRONT_CLIENT_MODULE) as typeof import("@aws-sdk/client-cloudfront");
            invalidator = engine.createCloudFrontInvalidator(inputs.distributionId, new cloudFront.CloudFrontClient(engine.cloudFrontClientConfig(aws, credentials)));
        }
        const result = await engine.syncFolder({
            client,
            bucket: inputs.bucket,
            folder: inputs.folder,
            cacheRules: inputs.cacheRules,
            keepPreviousAssets: inputs.keepPreviousAssets,
            invalidationThreshold: inputs.invalidationThreshold,
            invalidator,
            progressIntervalMs: PROGRESS_INTERVAL_MS,
            onProgress: (p) =>
                console.error(
                    `${label} ${p.phase}: hashed ${p.scanned}, uploaded ${p.uploaded}/${p.toUpload} ` +
                        `(${(p.bytesUploaded / 1e6).toFixed(1)}/${(p.bytesToUpload / 1e6).toFixed(1)} MB), deleted ${p.deleted}/${p.toDelete}`,
                ),
        });
        if (result.adopted > 0) console.error(`${label} no manifest: re-adopted ${result.adopted} object(s) found in the bucket`);
        let invalidation = previousInvalidation;
        if (result.invalidationId !== undefined) {
            invalidation = { id: result.invalidationId, count: result.invalidationPaths.length };
            console.error(`${label} invalidated ${result.invalidationPaths.length} path(s): ${result.invalidationPaths.slice(0, 5).join(" ")}`);
        }
        return {
            manifestDigest: result.manifestDigest,
            fileCount: result.fileCount,
            totalBytes: result.totalBytes,
            uploadedCount: result.uploaded.length,
            deletedCount: result.deleted.length,
            unchangedCount: result.unchanged,
            lastInvalidationId: invalidation.id,
            lastInvalidationPathCount: invalidation.count,
        };
    } finally {
        client.destroy();
    }
}

/** The inputs whose change means the bucket must be synced again. */
const SYNC_INPUTS = ["bucket", "digest", "cacheRules", "keepPreviousAssets", "distributionId"] as const;

/** The provider, with the static keys `configure` read from the stack's config (in memory only). */
interface SiteSyncProvider extends pulumi.dynamic.ResourceProvider<PlainInputs, PlainInputs & SiteSyncOutputs> {
    stackKeys?: StaticKeys;
}

/**
 * The stack's `aws:accessKey`/`aws:secretKey`/`aws:token`, read from the
 * configuration the engine hands a Node dynamic provider's `configure`
 * (the whole stack config, secrets decrypted: pulumi/pulumi#17697, in
 * @pulumi/pulumi since late 2024). Keys are therefore never resource inputs,
 * so never in the state. On older SDKs `configure` is not called and the
 * keys are not seen: the profile, roles and environment still apply.
 */
export function stackKeysFrom(config: pulumi.dynamic.Config): StaticKeys | undefined {
    const accessKeyId = config.get("aws:accessKey");
    const secretAccessKey = config.get("aws:secretKey");
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = config.get("aws:token");
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/**
 * The provider. One module-level object, so Pulumi serializes it once per
 * process whatever the number of sites (the SDK caches by object).
 */
export const siteSyncProvider: SiteSyncProvider = {
    async configure(request) {
        this.stackKeys = stackKeysFrom(request.config);
    },
    async diff(_id, olds, news) {
        const changed = SYNC_INPUTS.filter((key) => JSON.stringify(olds[key] ?? null) !== JSON.stringify(news[key] ?? null));
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        const outs = await runSiteSync(inputs, { id: "", count: 0 }, this.stackKeys);
        return { id: `${inputs.bucket}/site-sync`, outs: { ...inputs, ...outs } };
    },
    async update(_id, olds, news) {
        const previous = olds as unknown as Partial<SiteSyncOutputs>;
        const outs = await runSiteSync(news, { id: previous.lastInvalidationId ?? "", count: previous.lastInvalidationPathCount ?? 0 }, this.stackKeys);
        return { outs: { ...news, ...outs } };
    },
    async delete() {
        // Nothing to undo: the files belong to the bucket, which is deleted
        // (emptied by forceDestroy) with the site. Deleting them here would
        // take a live site down when the sync resource alone is replaced.
    },
};

/** The sync resource: `pulumi-nodejs:dynamic:Resource` named `${site}-sync`. */
export class SiteSync extends pulumi.dynamic.Resource {
    declare readonly manifestDigest: pulumi.Output<string>;
    declare readonly fileCount: pulumi.Output<number>;
    declare readonly totalBytes: pulumi.Output<number>;
    declare readonly uploadedCount: pulumi.Output<number>;
    declare readonly deletedCount: pulumi.Output<number>;
    declare readonly lastInvalidationId: pulumi.Output<string>;

    constructor(name: string, inputs: SiteSyncInputs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<keyof SiteSyncOutputs, undefined> = {
            manifestDigest: undefined,
            fileCount: undefined,
            totalBytes: undefined,
            uploadedCount: undefined,
            deletedCount: undefined,
            unchangedCount: undefined,
            lastInvalidationId: undefined,
            lastInvalidationPathCount: undefined,
        };
        super(siteSyncProvider, name, { ...outputs, ...inputs }, opts);
    }
}
