/**
 * The release-pin check of the blue/green deploy: a color pinned to
 * `release: <sha256>` fails `pulumi up` with the releases the bucket keeps
 * when that archive is not there.
 */
export { createReleasePinCheck, ReleasePinCheck, ReleasePinCheckArgs, ReleasePinCheckInputs, ReleasePinCheckOutputs } from "./release-pin-check";
export { findReleaseArchive, ReleasePinError, ReleaseBucketClient, KeptRelease, LISTED_RELEASES } from "./find-release-archive";
