/**
 * The stage's VPC, built from @pulumi/aws resources directly (not
 * awsx.ec2.Vpc): every subnet, route table, route, NAT gateway, Elastic IP
 * and endpoint is a resource of its own, so the offline plan lists and
 * counts what `pulumi preview` would (awsx's Vpc is one component whose
 * children only its provider plugin knows). The layout follows awsx's
 * defaults for the same settings:
 *
 * - per AZ a public subnet and a private one, CIDRs carved like awsx's
 *   "Auto" strategy (see network-cidrs.ts); with no NAT gateway the private
 *   subnets are isolated (no route out), as awsx makes them;
 * - one public route table, 0.0.0.0/0 to the internet gateway;
 * - NAT gateways per `webstack:network.nat`: none, one (in the first public
 *   subnet), or one per AZ, each with its Elastic IP; one route table per
 *   private subnet, 0.0.0.0/0 to its AZ's NAT gateway (or the single one);
 * - isolated subnets get the free S3 gateway endpoint on their route tables
 *   (package repositories are served from S3) and the interface endpoints
 *   something in them consumes (network-needs.ts).
 *
 * - the VPC's default security group is taken under management with no rule
 *   at all (see {@link lockDefaultSecurityGroup}).
 *
 * Every resource is named from the network's name and tagged, with a Name
 * tag naming its AZ. Subnets never map public IPs on launch: an instance
 * that needs one asks for it (the web tier does).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "./config/network";
import { carveSubnets } from "./network-cidrs";
import { NetworkNeeds } from "./network-needs";

/** What the components need from the network: ids only (DESIGN.md: components take network inputs). */
export interface Network {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    /** How many NAT gateways the VPC has (0 in a stage without NAT). */
    natGatewayCount: pulumi.Output<number>;
    /**
     * The interface endpoints private workloads reach AWS services through
     * (empty with NAT): a private instance that calls those services at boot
     * must be created after them (`dependsOn`).
     */
    endpoints: pulumi.Resource[];
}

/** The stage's VPC and everything in it; see the file's header. */
export function createNetwork(name: string, config: NetworkConfig, region: string, tags: Record<string, string>, needs: NetworkNeeds): Network {
    const isolated = config.nat === "none";
    const nameTag = (suffix: string | pulumi.Input<string>) => ({ ...tags, Name: pulumi.interpolate`${name}-${suffix}` });
    // Interface endpoints with private DNS need DNS support and hostnames on
    // (AWS PrivateLink docs, "Private DNS").
    const vpc = new aws.ec2.Vpc(name, { cidrBlock: config.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { ...tags, Name: name } });
    // Zones that need no opt-in (not Local or Wavelength Zones), in AWS's order.
    const zoneNames = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }).names;
    const zone = (index: number) =>
        zoneNames.apply((names) => {
            if (index >= names.length) throw new Error(`webstack:network.azCount is ${config.azCount} but ${region} has ${names.length} availability zones`);
            return names[index];
        });

    lockDefaultSecurityGroup(name, vpc, tags);

    const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTag("igw") });
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: nameTag("public") });
    new aws.ec2.Route(`${name}-public-internet`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id });

    const privateKind = isolated ? "isolated" : "private";
    const natCount = config.nat === "none" ? 0 : config.nat === "single" ? 1 : config.azCount;
    const natGateways: aws.ec2.NatGateway[] = [];
    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    const privateRouteTables: aws.ec2.RouteTable[] = [];

    carveSubnets(config.cidr, config.azCount).forEach((blocks, index) => {
        const n = index + 1;
        const availabilityZone = zone(index);
        const publicSubnet = new aws.ec2.Subnet(`${name}-public-${n}`, {
            vpcId: vpc.id,
            cidrBlock: blocks.public,
            availabilityZone,
            mapPublicIpOnLaunch: false,
            tags: { ...nameTag(pulumi.interpolate`public-${availabilityZone}`), "subnet-type": "public" },
        });
        new aws.ec2.RouteTableAssociation(`${name}-public-${n}`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
        publicSubnets.push(publicSubnet);

        if (index < natCount) {
            const eip = new aws.ec2.Eip(`${name}-nat-${n}`, { domain: "vpc", tags: nameTag(pulumi.interpolate`nat-${availabilityZone}`) });
            natGateways.push(
                new aws.ec2.NatGateway(
                    `${name}-nat-${n}`,
                    { allocationId: eip.id, subnetId: publicSubnet.id, connectivityType: "public", tags: nameTag(pulumi.interpolate`nat-${availabilityZone}`) },
                    // A public NAT gateway needs the internet gateway attached
                    // (aws_nat_gateway docs: "depends_on the Internet Gateway").
                    { dependsOn: [internetGateway] },
                ),
            );
        }

        const privateSubnet = new aws.ec2.Subnet(`${name}-${privateKind}-${n}`, {
            vpcId: vpc.id,
            cidrBlock: blocks.private,
            availabilityZone,
            mapPublicIpOnLaunch: false,
            tags: { ...nameTag(pulumi.interpolate`${privateKind}-${availabilityZone}`), "subnet-type": privateKind },
        });
        const routeTable = new aws.ec2.RouteTable(`${name}-${privateKind}-${n}`, { vpcId: vpc.id, tags: nameTag(pulumi.interpolate`${privateKind}-${availabilityZone}`) });
        new aws.ec2.RouteTableAssociation(`${name}-${privateKind}-${n}`, { subnetId: privateSubnet.id, routeTableId: routeTable.id });
        privateSubnets.push(privateSubnet);
        privateRouteTables.push(routeTable);
    });

    // Each private subnet leaves through its own AZ's NAT gateway (or the
    // single one), so one AZ's outage leaves the others their way out.
    privateRouteTables.forEach((routeTable, index) => {
        if (natGateways.length === 0) return;
        const gateway = natGateways[Math.min(index, natGateways.length - 1)];
        new aws.ec2.Route(`${name}-${privateKind}-${index + 1}-nat`, { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: gateway.id });
    });

    const privateSubnetIds = pulumi.all(privateSubnets.map((subnet) => subnet.id));
    const endpoints: pulumi.Resource[] = [];
    if (isolated) {
        // Free; the route tables get a route to S3's prefix list.
        endpoints.push(
            new aws.ec2.VpcEndpoint(`${name}-s3`, {
                vpcId: vpc.id,
                serviceName: `com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.map((table) => table.id),
                tags: nameTag("s3"),
            }),
        );
        endpoints.push(...interfaceEndpoints(name, config, region, vpc.id, privateSubnetIds, tags, needs));
    }
    return {
        endpoints,
        vpcId: vpc.id,
        publicSubnetIds: pulumi.all(publicSubnets.map((subnet) => subnet.id)),
        privateSubnetIds,
        natGatewayCount: pulumi.output(natGateways.length),
    };
}

/**
 * The VPC's default security group, emptied: no inbound and no outbound
 * rule (CIS AWS Foundations 5.4 / Security Hub EC2.2, checkov CKV2_AWS_12).
 * Nothing in webstack uses it; a resource created without a group lands in
 * it, and with no rules it can neither be reached nor reach out.
 *
 * How the provider treats this resource (aws.ec2.DefaultSecurityGroup docs,
 * @pulumi/aws ec2/defaultSecurityGroup.d.ts):
 * - create does not create: it adopts the group AWS made with the VPC and
 *   "immediately removes all ingress and egress rules", then adds the rules
 *   given (none here);
 * - delete (removing it from the program, or `pulumi destroy`) only drops it
 *   from the state: the group and its rules at that time stay, and AWS
 *   deletes the group with the VPC;
 * - a second `pulumi up` changes nothing. The stripping happens once, on
 *   adoption: with no rule configured, the provider reads an empty list as
 *   "not set", so a rule added by hand later is neither reported nor removed
 *   (terraform-provider-aws issue #17569, open). The checklist test and
 *   Security Hub EC2.2 are what catch that; never add rules to this group
 *   with aws.ec2.SecurityGroupRule (the docs call the two incompatible).
 * The empty lists are written out rather than left out, so the intent is in
 * the program and the plan, not implied by an omission.
 */
function lockDefaultSecurityGroup(name: string, vpc: aws.ec2.Vpc, tags: Record<string, string>): aws.ec2.DefaultSecurityGroup {
    return new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, {
        vpcId: vpc.id,
        ingress: [],
        egress: [],
        tags: { ...tags, Name: `${name}-default-unused` },
    });
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
 * Interface endpoints for isolated subnets, only those something consumes:
 * Secrets Manager for a database on EC2 there (see network-needs.ts), the
 * three Session Manager ones on request. Each costs about $7.30/month per
 * subnet, so they sit in the first isolated subnet only: other AZs reach
 * them across AZs, which is fine for a stage without NAT (dev).
 */
function interfaceEndpoints(
    name: string,
    config: NetworkConfig,
    region: string,
    vpcId: pulumi.Output<string>,
    subnetIds: pulumi.Output<string[]>,
    tags: Record<string, string>,
    needs: NetworkNeeds,
): aws.ec2.VpcEndpoint[] {
    const services = [...(needs.secretsManagerEndpoint ? ["secretsmanager"] : []), ...(config.sessionManagerEndpoints ? ["ssm", "ssmmessages", "ec2messages"] : [])];
    if (services.length === 0) return [];
    const group = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
        vpcId,
        description: "HTTPS from inside the VPC to its interface endpoints",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [config.cidr], description: "HTTPS from the VPC" }],
        tags: { ...tags, Name: `${name}-endpoints` },
    });
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
