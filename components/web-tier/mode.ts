import * as pulumi from "@pulumi/pulumi";
import { ApiOrigin } from "../internal/api-origin";
import type { BlueGreenSummary } from "./autoscaling/blue-green";
import { InstanceRole } from "./host/instance-role";
import { PublishedRelease } from "./release/publish-release";

/** What index.ts hands every mode besides the resolved args: the release, the hosts' role, the region and the tags. */
export interface ModeInputs {
    published: PublishedRelease;
    access: InstanceRole;
    region: pulumi.Output<string>;
    tags: Record<string, string>;
}

/** What every mode gives back, so stacks/ and the database wiring never ask which mode runs. */
export interface ModeOutputs {
    url: pulumi.Output<string>;
    apiOrigin: ApiOrigin;
    /** The app servers' security group (a database lets it in). */
    securityGroupId: pulumi.Output<string>;
    /** instance mode only. */
    instanceId?: pulumi.Output<string>;
    /** instance mode only. */
    publicIp?: pulumi.Output<string>;
    /** autoscaling mode only. */
    autoScalingGroupName?: pulumi.Output<string>;
    /** autoscaling mode only. */
    loadBalancerDnsName?: pulumi.Output<string>;
    /** autoscaling mode with strategy blue-green only: each color's release, traffic share and sizes. */
    blueGreen?: pulumi.Output<BlueGreenSummary>;
}
