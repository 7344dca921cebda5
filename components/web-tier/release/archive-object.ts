import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ReleaseArchive } from "./release-archive";

export interface ArchiveObjectArgs {
    bucket: pulumi.Input<string>;
    key: string;
    archive: ReleaseArchive;
    /** Bucket settings the upload waits for (ownership, encryption, public access block). */
    dependsOn?: pulumi.Resource[];
    /** Leave the object in the bucket when Pulumi deletes or replaces it (release archives: a later deploy may pin them). */
    retainOnDelete?: boolean;
}

/**
 * Uploads a packed archive (a release or the instance scripts) as a private
 * S3 object.
 *
 * No tags, on purpose (an exception to "tags on every taggable resource"):
 * S3 allows at most 10 tags per object (S3 user guide, "Categorizing your
 * storage using tags"), and the AWS provider adds its `defaultTags` to an
 * object's own tags, so webstack's four tags plus the user's plus a
 * company's default tags fail the upload with "Object tags cannot be greater
 * than 10" (hashicorp/terraform-provider-aws#19895, #21273). The archives
 * are found by key (`releases/<sha256>.tgz`), and their bucket carries the
 * tags that cost reports use (S3 cost allocation works per bucket, not per
 * object). `overrideProvider.defaultTags.tags = {}` suppresses the provider's
 * default tags for this resource only, the way the @pulumi/aws
 * BucketObjectv2 docs describe ("Ignoring Provider defaultTags"). In the
 * provider's schema `override_provider` is optional and not ForceNew, and its
 * `tags` must be an empty map, so adding it to a deployed stack updates the
 * objects' tags in place and never re-uploads them. Should the override be
 * ignored (hashicorp/terraform-provider-aws#45381 reports it for provider
 * v6, open), the objects still carry only the provider's default tags: at
 * most 10 of those always fit.
 */
export function uploadArchive(name: string, args: ArchiveObjectArgs, parent: pulumi.Resource): aws.s3.BucketObjectv2 {
    return new aws.s3.BucketObjectv2(
        name,
        {
            bucket: args.bucket,
            key: args.key,
            source: new pulumi.asset.FileAsset(args.archive.file),
            contentType: "application/gzip",
            overrideProvider: { defaultTags: { tags: {} } },
        },
        { parent, dependsOn: args.dependsOn, retainOnDelete: args.retainOnDelete },
    );
}
