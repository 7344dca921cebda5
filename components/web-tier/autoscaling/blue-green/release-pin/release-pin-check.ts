import * as pulumi from "@pulumi/pulumi";
import type { AwsClientSettings } from "../../../../internal/aws-settings";
import { invalid } from "../../../../internal/errors";
import { stackKeysFrom } from "../../../../static-site/site-sync-resource";
import { syncAwsSettings } from "../../../../static-site/sync-aws-settings";
import type { StaticKeys } from "../../../../static-site/sync/aws-clients";
import type { Color } from "../traffic";

/**
 * The release-pin check: a deploy-time step (dynamic resource) that makes a
 * color pinned to `release: <sha256>` fail `pulumi up` with a clear error
 * when that archive is not in the release bucket, listing the releases that
 * are, instead of instances that boot and fail to download it.
 *
 * Its output `key` is the verified archive key: the color's settings
 * parameter takes it (or depends on the check), so nothing points a fleet at
 * the pin before the check passed.
 *
 * Second `pulumi up` with the same bucket and key: `diff` reports no change,
 * no AWS call (an archive deleted from the bucket since is not noticed until
 * the pin changes). A failed check fails the update and keeps the old inputs,
 * so the next `pulumi up` checks again. Delete is a no-op: it only reads.
 */
export interface ReleasePinCheckInputs {
    /** The release bucket's name (pass the bucket's Output, so the check runs after it). */
    bucket: pulumi.Input<string>;
    /** The pinned archive's key, `<keyPrefix>releases/<sha256>.tgz`: a trigger. */
    key: pulumi.Input<string>;
    /** The pinned sha256, as the config writes it (for the message). */
    sha256: pulumi.Input<string>;
    /** The setting named in the error, e.g. `webstack:web.deploy.green.release`. */
    setting: pulumi.Input<string>;
    /** The bucket's region. Not a trigger. */
    region: pulumi.Input<string>;
    /** Who the S3 client is (names only, never a key: this is stored in the state). Not a trigger. */
    aws: pulumi.Input<AwsClientSettings>;
}

/** What the state keeps next to the inputs. */
export interface ReleasePinCheckOutputs {
    /** The archive's size in bytes when it was checked. */
    size: number;
}

type PlainInputs = { [K in keyof ReleasePinCheckInputs]: pulumi.Unwrap<ReleasePinCheckInputs[K]> };

/** Module paths the serialized provider `require`s when it runs (see rollout-waiter.ts). */
const FIND_MODULE = require.resolve("./find-release-archive");
const AWS_CLIENTS_MODULE = require.resolve("../../../../static-site/sync/aws-clients");
const S3_MODULE = require.resolve("@aws-sdk/client-s3");

/** HeadObject, and on a miss the listing, with the static-site sync's S3 client settings (endpoint, path style, timeouts, retries). */
async function runCheck(inputs: PlainInputs, keys: StaticKeys | undefined): Promise<ReleasePinCheckOutputs> {
    if (FIND_MODULE.endsWith(".ts")) require("ts-node").register({ transpileOnly: true });
    const find = require(FIND_MODULE) as typeof import("./find-release-archive");
    const clients = require(AWS_CLIENTS_MODULE) as typeof import("../../../../static-site/sync/aws-clients");
    const sdk = require(S3_MODULE) as typeof import("@aws-sdk/client-s3");
    const aws = inputs.aws ?? { stackKeys: true };
    const client = new sdk.S3Client(clients.s3ClientConfig(aws, inputs.region, clients.credentialsFor(aws, inputs.region, keys)));
    try {
        const found = await find.findReleaseArchive(client, { bucket: inputs.bucket, key: inputs.key, sha256: inputs.sha256, setting: inputs.setting });
        console.error(`[webstack release pin] ${inputs.setting}: ${inputs.key} found in ${inputs.bucket} (${found.size ?? "?"} bytes)`);
        return { size: found.size ?? 0 };
    } finally {
        client.destroy();
    }
}

interface ReleasePinCheckProvider extends pulumi.dynamic.ResourceProvider<PlainInputs, PlainInputs & ReleasePinCheckOutputs> {
    stackKeys?: StaticKeys;
}

/** One module-level provider object, serialized once per process. */
export const releasePinCheckProvider: ReleasePinCheckProvider = {
    async configure(request) {
        this.stackKeys = stackKeysFrom(request.config);
    },
    async diff(_id, olds, news) {
        // Only another archive needs another look; a new region or client setting alone does not.
        const changes = olds.bucket !== news.bucket || olds.key !== news.key;
        return { changes, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs) {
        const outs = await runCheck(inputs, this.stackKeys);
        return { id: `${inputs.bucket}/${inputs.key}`, outs: { ...inputs, ...outs } };
    },
    async update(_id, _olds, news) {
        const outs = await runCheck(news, this.stackKeys);
        return { outs: { ...news, ...outs } };
    },
    async delete() {
        // Nothing to undo: the check only reads.
    },
};

/** The check resource: `pulumi-nodejs:dynamic:Resource` named `${name}-${color}-release-pin`. */
export class ReleasePinCheck extends pulumi.dynamic.Resource {
    /** The verified archive key (known once the check passed). */
    declare readonly key: pulumi.Output<string>;
    declare readonly size: pulumi.Output<number>;

    constructor(name: string, inputs: ReleasePinCheckInputs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<keyof ReleasePinCheckOutputs, undefined> = { size: undefined };
        super(releasePinCheckProvider, name, { ...outputs, ...inputs }, opts);
    }
}

/** What {@link createReleasePinCheck} takes. */
export interface ReleasePinCheckArgs {
    /** The release bucket's name Output. */
    bucket: pulumi.Input<string>;
    /**
     * The archive's key, `<keyPrefix>releases/<sha256>.tgz`.
     * @example "releases/3f9a…c1.tgz"
     */
    key: string;
    /** The pinned sha256: 64 lowercase hex characters. */
    sha256: string;
    /** The bucket's region. */
    region: pulumi.Input<string>;
    /**
     * The AWS client settings. @default those of the `parent`'s aws provider
     * (its profile), else the stack's `aws:` configuration (syncAwsSettings).
     */
    aws?: pulumi.Input<AwsClientSettings>;
    /**
     * The setting named in the deploy-time error.
     * @default `webstack:web.deploy.<color>.release`
     */
    setting?: string;
}

/**
 * The release-pin check of one color, child of `parent` (the WebTier).
 * Throws a ConfigError naming `deploy.<color>.release` for a sha256 that is
 * not 64 hex characters or a key that is not that sha's archive, before
 * registering anything.
 *
 * @example
 * const pin = createReleasePinCheck(name, "blue", { bucket: releases.bucketName, key: `${prefix}releases/${sha}.tgz`, sha256: sha, region }, this);
 * // the color's settings parameter: releaseKey = pin.key
 */
export function createReleasePinCheck(name: string, color: Color, args: ReleasePinCheckArgs, parent: pulumi.Resource): ReleasePinCheck {
    const setting = `deploy.${color}.release`;
    if (typeof args.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(args.sha256)) {
        invalid(setting, args.sha256, "a pinned release is the sha256 of an archive in the release bucket: 64 lowercase hex characters", `write ${setting}: <sha256 of a kept archive>, or ${setting}: current`);
    }
    if (typeof args.key !== "string" || !args.key.endsWith(`releases/${args.sha256}.tgz`)) {
        invalid(`${setting} (archive key)`, args.key, `the archive of a pinned release is <keyPrefix>releases/${args.sha256}.tgz`, "report this as a webstack defect: the archive key is built from the sha256");
    }
    return new ReleasePinCheck(
        `${name}-${color}-release-pin`,
        {
            bucket: args.bucket,
            key: args.key,
            sha256: args.sha256,
            setting: args.setting ?? `webstack:web.deploy.${color}.release`,
            region: args.region,
            aws: args.aws ?? syncAwsSettings(parent),
        },
        { parent },
    );
}
