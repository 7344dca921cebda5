import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig, NatStrategy } from "./config/network";

/** What the components need from the network: ids only (DESIGN.md: no awsx inside components). */
export interface Network {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    /** How many NAT gateways awsx creates (0 in a stage without NAT). */
    natGatewayCount: pulumi.Output<number>;
}

const awsxNatStrategy: Record<NatStrategy, awsx.types.enums.ec2.NatGatewayStrategy> = {
    none: "None",
    single: "Single",
    "one-per-az": "OnePerAz",
};

/**
 * The stage's VPC: a public and a private subnet in each AZ. With no NAT
 * gateway (dev), private subnets have no route to the internet, so awsx
 * makes them isolated; instances that must reach out live in public subnets.
 */
export function createNetwork(name: string, config: NetworkConfig, tags: Record<string, string>): Network {
    const nat = awsxNatStrategy[config.nat];
    const vpc = new awsx.ec2.Vpc(name, {
        cidrBlock: config.cidr,
        numberOfAvailabilityZones: config.azCount,
        natGateways: { strategy: nat },
        subnetStrategy: "Auto",
        subnetSpecs: [
            // No masks: awsx's "Auto" strategy splits the block evenly per AZ.
            { type: "Public" },
            { type: nat === "None" ? "Isolated" : "Private" },
        ],
        enableDnsHostnames: true,
        tags,
    });
    return {
        vpcId: vpc.vpcId,
        publicSubnetIds: vpc.publicSubnetIds,
        privateSubnetIds: nat === "None" ? vpc.isolatedSubnetIds : vpc.privateSubnetIds,
        natGatewayCount: vpc.natGateways.apply((gateways) => gateways.length),
    };
}
