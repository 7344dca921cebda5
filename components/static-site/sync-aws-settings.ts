import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsClientSettings, stackAwsClientSettings } from "../internal/aws-settings";

/**
 * Whose AWS settings the folder sync uses: the explicit `aws` provider the
 * StaticSite was given (its `provider`/`providers` option, or a parent's),
 * else the stack's `aws:` configuration — the same account the bucket and
 * the distribution are created in.
 *
 * Limits of an explicit provider: `aws.Provider` exposes only its string
 * settings as outputs (@pulumi/aws v7 provider.d.ts: `profile`, `region`,
 * `stsRegion`, … but no `assumeRoles`, `endpoints` or shared files), so the
 * sync takes its `profile` and `stsRegion`, and the region of the bucket;
 * roles, endpoints and keys given to that provider in code are not seen
 * (the sync then uses the profile or, without one, the default chain).
 */
export function syncAwsSettings(component: pulumi.Resource): pulumi.Input<AwsClientSettings> {
    const provider = component.getProvider("aws::Provider");
    if (!provider) return stackAwsClientSettings();
    if (!(provider instanceof aws.Provider)) return { stackKeys: false };
    return pulumi.all([provider.profile, provider.stsRegion]).apply(([profile, stsRegion]) => {
        const settings: AwsClientSettings = { stackKeys: false };
        if (profile) settings.profile = profile;
        if (stsRegion) settings.stsRegion = stsRegion;
        return settings;
    });
}
