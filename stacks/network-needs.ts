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
 * - RDS (mode `rds`) manages its password itself; the web app that reads it
 *   (`DB_PASSWORD_SECRET_ARN`) runs in a public subnet with a public IP and
 *   reaches the public Secrets Manager endpoint over the internet gateway.
 * With NAT every private subnet reaches AWS through it: no endpoint.
 */
export function networkNeeds(config: StageConfig): NetworkNeeds {
    const isolated = config.network.nat === "none";
    const databaseMode = config.database.mode ?? databaseModeForLayout[config.layout];
    return { secretsManagerEndpoint: isolated && databaseMode === "ec2" };
}
