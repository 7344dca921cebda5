import { StageConfig } from "./config";
import { databaseModeForLayout } from "./parts/database";

/** What the stage's workloads need from the network beyond subnets and routes. */
export interface NetworkNeeds {
    /**
     * A Secrets Manager interface endpoint (about $7.30/month per subnet)
     * in the private subnets. Only a private workload without a route out
     * needs one.
     */
    secretsManagerEndpoint: boolean;
}

/**
 * Decided from the stage config, before the network exists, so an endpoint
 * is created only when something consumes it:
 * - the EC2 database (mode `ec2`, from `webstack:database.mode` or the
 *   layout) reads and writes its password in Secrets Manager at boot, from
 *   a private subnet; without NAT (`webstack:network.nat: none`) that
 *   subnet is isolated and reaches Secrets Manager only through the endpoint;
 * - RDS (mode `rds`): the database-users function runs in the private
 *   subnets at deploy time and reads the master secret and writes the app
 *   user's secret; without NAT it reaches Secrets Manager only through the
 *   endpoint (a Lambda function in a VPC has no internet access of its own:
 *   AWS Lambda Developer Guide, "Enable internet access for VPC-connected
 *   Lambda functions"). The web app that reads the app secret runs in a
 *   public subnet and needs no endpoint.
 * With NAT every private subnet reaches AWS through it: no endpoint.
 */
export function networkNeeds(config: StageConfig): NetworkNeeds {
    const isolated = config.network.nat === "none";
    const databaseMode = config.database.mode ?? databaseModeForLayout[config.layout];
    // Both modes run something in the private subnets that talks to Secrets Manager.
    const databaseUsesSecretsManager = databaseMode === "ec2" || databaseMode === "rds";
    return { secretsManagerEndpoint: isolated && databaseUsesSecretsManager };
}
