import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackAwsSettings } from "../internal/aws-settings";

/** Re-exported from its shared home (the StaticSite sync reads the same settings). */
export { stackAwsSettings };

/** The one region CloudFront reads viewer certificates from (CloudFront developer guide, "Requirements for using SSL/TLS certificates with CloudFront"). */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

/** A provider for us-east-1 carrying the stack's AWS settings, named `${name}-us-east-1`. */
export function createUsEast1Provider(name: string, parent: pulumi.Resource): aws.Provider {
    return new aws.Provider(`${name}-${CLOUDFRONT_CERTIFICATE_REGION}`, { ...stackAwsSettings(), region: CLOUDFRONT_CERTIFICATE_REGION }, { parent });
}
