import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NatStrategy, NetworkConfig } from "./config/network";

/** What the components need from the network: ids only (DESIGN.md: no awsx inside components). */
export interface Network {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    /** How many NAT gateways awsx creates (0 in a stage without NAT). */
    natGatewayCount: pulumi.Output<number>;
    /**
     * The interface endpoints private workloads reach AWS services through
     * (empty with NAT): a private instance that calls those services at boot
     * must be created after them (`dependsOn`).
     */
    endpoints: pulumi.Resource[];
}

const awsxNatStrategy: Record<NatStrategy, awsx.types.enums.ec2.NatGatewayStrategy> = {
    none: "None",
    single: "Single",
    "one-per-az": "OnePerAz",
};

/**
 * The stage's VPC: a public and a private subnet in each AZ. With no NAT
 * gateway (dev), private subnets have no route to the internet, so awsx
 * makes them isolated, and VPC endpoints give them the AWS services private
 * workloads need (see `isolatedSubnetEndpoints`).
 */
export function createNetwork(name: string, config: NetworkConfig, region: string, tags: Record<string, string>): Network {
    const nat = awsxNatStrategy[config.nat];
    const isolated = nat === "None";
    const vpc = new awsx.ec2.Vpc(name, {
        cidrBlock: config.cidr,
        numberOfAvailabilityZones: config.azCount,
        natGateways: { strategy: nat },
        subnetStrategy: "Auto",
        subnetSpecs: [
            // No masks: awsx's "Auto" strategy splits the block evenly per AZ.
            { type: "Public" },
            { type: isolated ? "Isolated" : "Private" },
        ],
        // Interface endpoints with private DNS need DNS hostnames and support on.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        // The S3 gateway endpoint is free. With the "Auto" strategy awsx fills
        // in the route tables it generated (awsx VpcEndpointStrategy docs).
        vpcEndpointStrategy: isolated ? "Auto" : undefined,
        vpcEndpointSpecs: isolated ? [{ serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", tags }] : undefined,
        tags,
    });
    const privateSubnetIds = isolated ? vpc.isolatedSubnetIds : vpc.privateSubnetIds;
    const endpoints = isolated ? isolatedSubnetEndpoints(name, config, region, vpc.vpcId, privateSubnetIds, tags) : [];
    return {
        endpoints,
        vpcId: vpc.vpcId,
        publicSubnetIds: vpc.publicSubnetIds,
        privateSubnetIds,
        natGatewayCount: vpc.natGateways.apply((gateways) => gateways.length),
    };
}

/** Stand-in ids with the real shape (one subnet per AZ), for validating settings before the VPC exists. */
export function placeholderNetwork(network: NetworkConfig): Network {
    const subnets = (kind: string) => Array.from({ length: network.azCount }, (_, i) => `subnet-${kind}-${i}-placeholder`);
    return {
        vpcId: pulumi.output("vpc-placeholder"),
        publicSubnetIds: pulumi.output(subnets("public")),
        privateSubnetIds: pulumi.output(subnets("private")),
        natGatewayCount: pulumi.output(0),
        endpoints: [],
    };
}

/**
 * Interface endpoints for isolated subnets. A database on EC2 there reads
 * and writes its password in Secrets Manager and installs packages from the
 * Amazon Linux repositories (served from S3, reached through the gateway
 * endpoint). Each interface endpoint costs about $7.30/month per subnet, so
 * they sit in the first isolated subnet only: other AZs reach them across
 * AZs, which is fine for a stage without NAT (dev).
 */
function isolatedSubnetEndpoints(
    name: string,
    config: NetworkConfig,
    region: string,
    vpcId: pulumi.Output<string>,
    subnetIds: pulumi.Output<string[]>,
    tags: Record<string, string>,
): aws.ec2.VpcEndpoint[] {
    const group = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
        vpcId,
        description: "HTTPS from inside the VPC to its interface endpoints",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [config.cidr], description: "HTTPS from the VPC" }],
        tags: { ...tags, Name: `${name}-endpoints` },
    });
    const services = ["secretsmanager", ...(config.sessionManagerEndpoints ? ["ssm", "ssmmessages", "ec2messages"] : [])];
    return services.map(
        (service) =>
            new aws.ec2.VpcEndpoint(`${name}-${service}`, {
                vpcId,
                serviceName: `com.amazonaws.${region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: subnetIds.apply((ids) => ids.slice(0, 1)),
                securityGroupIds: [group.id],
                tags: { ...tags, Name: `${name}-${service}` },
            }),
    );
}
