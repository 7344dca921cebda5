import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { cloudFrontClientConfig } from "./aws-clients";
import { Invalidator } from "./invalidator";

/**
 * An Invalidator for a CloudFront distribution. CloudFront is a global
 * service whose API lives in us-east-1, hence the default client's region;
 * the default client also has the sync's bounded timeouts and retries
 * (DEFAULT_SYNC_TIMEOUTS). Pass your own client for other credentials or endpoints.
 */
export function createCloudFrontInvalidator(
    distributionId: string,
    client: CloudFrontClient = new CloudFrontClient(cloudFrontClientConfig({ stackKeys: false })),
): Invalidator {
    return {
        async invalidate(paths, callerReference) {
            const response = await client.send(
                new CreateInvalidationCommand({
                    DistributionId: distributionId,
                    InvalidationBatch: {
                        CallerReference: callerReference,
                        Paths: { Quantity: paths.length, Items: [...paths] },
                    },
                }),
            );
            const id = response.Invalidation?.Id;
            if (!id) throw new Error(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
            return { id };
        },
    };
}
