/**
 * The monthly price of one planned resource, from the price table
 * (./prices.ts). Each function returns the lines of one resource: one per
 * thing AWS bills (instance hours, root volume, public address...), so a
 * report shows where a figure comes from.
 */
import type { PlanDocument, PlannedResource } from "../plan-document";
import { ALB_BASELINE_LCU, AMI_DEFAULT_ROOT_GB, GLOBAL_PRICES, HOURS_PER_MONTH, REGION_PRICES, RegionPrices } from "./prices";

/** One billed thing of one resource. */
export interface CostLine {
    /** The resource's logical name. */
    resource: string;
    type: string;
    /** What is billed, e.g. "t4g.small on demand" or "public IPv4 address". */
    what: string;
    /** What kind of charge: "instance", "volume", "ipv4", "hours", "lcu", "storage", "secret", "key", "acl", "rules", "zone". */
    part: string;
    monthlyUsd: number;
}

/** A resource, or part of one, that costs money but has no price in the table. */
export interface Unpriced {
    resource: string;
    type: string;
    why: string;
}

export interface ResourcePrice {
    lines: CostLine[];
    unpriced: Unpriced[];
}

/** Looks up other resources of the plan (a launch template, a subnet) by the id the plan gave them. */
export interface PlanIndex {
    plan: PlanDocument;
    byId(id: unknown): PlannedResource | undefined;
}

export function indexPlan(plan: PlanDocument): PlanIndex {
    const ids = new Map<unknown, PlannedResource>();
    for (const resource of plan.resources) if (resource.outputs?.id !== undefined) ids.set(resource.outputs.id, resource);
    return { plan, byId: (id) => ids.get(id) };
}

type Pricer = (resource: PlannedResource, prices: RegionPrices, index: PlanIndex) => ResourcePrice;

const monthly = (hourly: number, count = 1): number => hourly * HOURS_PER_MONTH * count;
const ipv4Monthly = (): number => monthly(GLOBAL_PRICES.publicIpv4Hour);

/** The types that cost money, each with its pricer. */
export const PRICED_TYPES: Record<string, Pricer> = {
    "aws:ec2/instance:Instance": priceEc2Instance,
    "aws:ebs/volume:Volume": priceEbsVolume,
    "aws:ec2/eip:Eip": (resource) => priced(line(resource, "public IPv4 address (Elastic IP)", "ipv4", ipv4Monthly())),
    "aws:ec2/natGateway:NatGateway": (resource, prices) => priced(line(resource, "NAT gateway hours (its address: the Elastic IP's line)", "hours", monthly(prices.natGatewayHour))),
    "aws:lb/loadBalancer:LoadBalancer": priceLoadBalancer,
    "aws:rds/instance:Instance": priceRdsInstance,
    "aws:kms/key:Key": (resource) => priced(line(resource, "customer managed KMS key", "key", GLOBAL_PRICES.kmsKeyMonth)),
    "aws:secretsmanager/secret:Secret": (resource) => priced(line(resource, "Secrets Manager secret", "secret", GLOBAL_PRICES.secretMonth)),
    "aws:route53/zone:Zone": (resource) => priced(line(resource, "Route 53 hosted zone", "zone", GLOBAL_PRICES.hostedZoneMonth)),
    "aws:wafv2/webAcl:WebAcl": priceWebAcl,
    "aws:autoscaling/group:Group": priceAutoScalingGroup,
    "aws:ec2/vpcEndpoint:VpcEndpoint": priceVpcEndpoint,
    "aws:elasticbeanstalk/environment:Environment": priceBeanstalkEnvironment,
};

/**
 * Types that cost nothing to have (their usage may: see NOT_COUNTED), or
 * whose cost another resource's line carries (a launch template's instances
 * are the Auto Scaling group's).
 */
export const FREE_TYPES = new Set<string>([
    "aws:acm/certificate:Certificate", // public ACM certificates are free
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:autoscaling/policy:Policy",
    "aws:autoscaling/schedule:Schedule",
    "aws:cloudfront/distribution:Distribution", // no fixed fee: requests and transfer only
    "aws:cloudfront/function:Function", // per invocation
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "aws:cloudwatch/logDelivery:LogDelivery", // vended logs: per GB delivered
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "aws:cloudwatch/logGroup:LogGroup", // ingestion and storage only
    "aws:dlm/lifecyclePolicy:LifecyclePolicy", // its snapshots are storage growth
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/launchTemplate:LaunchTemplate", // priced through its Auto Scaling group
    "aws:ec2/route:Route",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/volumeAttachment:VolumeAttachment",
    "aws:ec2/vpc:Vpc",
    "aws:elasticbeanstalk/application:Application",
    "aws:elasticbeanstalk/applicationVersion:ApplicationVersion",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:kms/keyPolicy:KeyPolicy",
    "aws:lambda/function:Function", // per request and GB-second
    "aws:lambda/invocation:Invocation",
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroup:TargetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", // its KMS key is priced
    "aws:route53/keySigningKey:KeySigningKey",
    "aws:route53/queryLog:QueryLog",
    "aws:route53/record:Record", // queries only (alias queries to AWS resources are free)
    "aws:s3/bucket:Bucket", // storage and requests only
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:ssm/association:Association",
    "aws:ssm/document:Document",
    "aws:ssm/parameter:Parameter", // standard parameters are free
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:wafv2/webAclAssociation:WebAclAssociation",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "pulumi-nodejs:dynamic:Resource", // deploy-time steps: API calls only
]);

function line(resource: PlannedResource, what: string, part: string, monthlyUsd: number): CostLine {
    return { resource: resource.name, type: resource.type, what, part, monthlyUsd };
}

function priced(...lines: CostLine[]): ResourcePrice {
    return { lines, unpriced: [] };
}

function merge(...prices: ResourcePrice[]): ResourcePrice {
    return { lines: prices.flatMap((price) => price.lines), unpriced: prices.flatMap((price) => price.unpriced) };
}

function unpriced(resource: PlannedResource, why: string): ResourcePrice {
    return { lines: [], unpriced: [{ resource: resource.name, type: resource.type, why }] };
}

/** `count × instanceType` hours, or an unpriced entry when the table has no such type. */
function instanceHours(resource: PlannedResource, prices: RegionPrices, instanceType: unknown, count: number): ResourcePrice {
    const hourly = typeof instanceType === "string" ? prices.ec2InstanceHour[instanceType] : undefined;
    if (hourly === undefined) return unpriced(resource, `instance type ${String(instanceType)} is not in the price table`);
    const times = count === 1 ? "" : `${count} × `;
    return priced(line(resource, `${times}${instanceType} on demand`, "instance", monthly(hourly, count)));
}

/**
 * `count` EBS volumes of `sizeGb` (the AMI's default when unset) and
 * `volumeType`; unset, a root volume takes the AMI's type, gp3 for the
 * Amazon Linux 2023 AMIs webstack boots.
 */
function volumes(resource: PlannedResource, prices: RegionPrices, what: string, sizeGb: unknown, volumeType: unknown, count = 1): ResourcePrice {
    const type = typeof volumeType === "string" ? volumeType : "gp3";
    const perGb = prices.ebsGbMonth[type];
    if (perGb === undefined) return unpriced(resource, `EBS volume type ${type} is not in the price table`);
    const size = Number(sizeGb ?? AMI_DEFAULT_ROOT_GB);
    const assumed = sizeGb === undefined ? " (the AMI's default size)" : "";
    const times = count === 1 ? "" : `${count} × `;
    return priced(line(resource, `${what}: ${times}${size} GiB ${type}${assumed}`, "volume", perGb * size * count));
}

function publicAddresses(resource: PlannedResource, count: number, whose: string): ResourcePrice {
    if (count <= 0) return priced();
    const times = count === 1 ? "" : `${count} × `;
    return priced(line(resource, `${times}public IPv4 address (${whose})`, "ipv4", ipv4Monthly() * count));
}

const truthy = (value: unknown): boolean => value === true || value === "true";

function priceEc2Instance(resource: PlannedResource, prices: RegionPrices, index: PlanIndex): ResourcePrice {
    const inputs = resource.inputs;
    const root = (inputs.rootBlockDevice ?? {}) as Record<string, unknown>;
    const extra = (inputs.ebsBlockDevices ?? []) as Record<string, unknown>[];
    // Without associatePublicIpAddress the subnet's mapPublicIpOnLaunch decides (EC2 RunInstances).
    const subnet = index.byId(inputs.subnetId);
    const publicIp = inputs.associatePublicIpAddress !== undefined ? truthy(inputs.associatePublicIpAddress) : truthy(subnet?.inputs.mapPublicIpOnLaunch);
    return merge(
        instanceHours(resource, prices, inputs.instanceType, 1),
        volumes(resource, prices, "root volume", root.volumeSize, root.volumeType),
        ...extra.map((device) => volumes(resource, prices, `volume ${String(device.deviceName)}`, device.volumeSize, device.volumeType)),
        publicAddresses(resource, publicIp ? 1 : 0, "the instance's"),
    );
}

function priceEbsVolume(resource: PlannedResource, prices: RegionPrices): ResourcePrice {
    // Unset, the type is gp2 (@pulumi/aws ebs/volume.d.ts, type); webstack always names one.
    const type = resource.inputs.type ?? "gp2";
    return volumes(resource, prices, "EBS volume", resource.inputs.size, type);
}

function priceLoadBalancer(resource: PlannedResource, prices: RegionPrices): ResourcePrice {
    const inputs = resource.inputs;
    const kind = (inputs.loadBalancerType as string | undefined) ?? "application";
    if (kind !== "application") return unpriced(resource, `${kind} load balancers are not in the price table`);
    const azs = ((inputs.subnets as unknown[] | undefined) ?? (inputs.subnetMappings as unknown[] | undefined) ?? []).length;
    // An internet-facing ALB holds a public IPv4 address in each of its AZs (VPC pricing, Public IPv4 Address tab).
    const addresses = truthy(inputs.internal) ? 0 : Math.max(azs, 1);
    return merge(
        priced(line(resource, "Application Load Balancer hours", "hours", monthly(prices.albHour))),
        priced(line(resource, `${ALB_BASELINE_LCU} LCU baseline`, "lcu", monthly(prices.albLcuHour, ALB_BASELINE_LCU))),
        publicAddresses(resource, addresses, "one per AZ of the load balancer"),
    );
}

function priceRdsInstance(resource: PlannedResource, prices: RegionPrices): ResourcePrice {
    const inputs = resource.inputs;
    const engine = String(inputs.engine);
    const instanceClass = String(inputs.instanceClass);
    const multiAz = truthy(inputs.multiAz);
    const copies = multiAz ? 2 : 1;
    const deployment = multiAz ? "Multi-AZ" : "Single-AZ";
    const hourly = prices.rdsInstanceHour[engine]?.[instanceClass];
    // Unset, RDS uses io1 with iops, gp2 without (@pulumi/aws rds/instance.d.ts, storageType).
    const storageType = (inputs.storageType as string | undefined) ?? (inputs.iops === undefined ? "gp2" : "io1");
    const perGb = prices.rdsStorageGbMonth[storageType];
    const size = Number(inputs.allocatedStorage ?? 0);
    return merge(
        hourly === undefined
            ? unpriced(resource, `RDS ${engine} ${instanceClass} is not in the price table`)
            : priced(line(resource, `${instanceClass} ${engine} ${deployment}`, "instance", monthly(hourly, copies))),
        perGb === undefined
            ? unpriced(resource, `RDS storage type ${storageType} is not in the price table`)
            : priced(line(resource, `${size} GiB ${storageType} storage ${deployment}`, "storage", perGb * size * copies)),
        // The master password RDS keeps in Secrets Manager is billed as a secret (RDS User Guide, rds-secrets-manager).
        truthy(inputs.manageMasterUserPassword) ? priced(line(resource, "master password secret (RDS-managed)", "secret", GLOBAL_PRICES.secretMonth)) : priced(),
    );
}

function priceWebAcl(resource: PlannedResource): ResourcePrice {
    const rules = ((resource.inputs.rules as unknown[] | undefined) ?? []).length;
    return priced(
        line(resource, "WAF web ACL", "acl", GLOBAL_PRICES.wafWebAclMonth),
        line(resource, `${rules} WAF rule${rules === 1 ? "" : "s"}`, "rules", GLOBAL_PRICES.wafRuleMonth * rules),
    );
}

function priceAutoScalingGroup(resource: PlannedResource, prices: RegionPrices, index: PlanIndex): ResourcePrice {
    const inputs = resource.inputs;
    // The group runs desiredCapacity instances; without it, AWS starts minSize (CreateAutoScalingGroup).
    const count = Number(inputs.desiredCapacity ?? inputs.minSize ?? 0);
    const reference = (inputs.launchTemplate ?? {}) as Record<string, unknown>;
    const template =
        index.byId(reference.id) ??
        index.plan.resources.find((candidate) => candidate.type === "aws:ec2/launchTemplate:LaunchTemplate" && candidate.inputs.name !== undefined && candidate.inputs.name === reference.name);
    if (!template) return unpriced(resource, "its launch template is not in the plan (mixed instances policies are not priced)");
    const t = template.inputs;
    const mappings = (t.blockDeviceMappings ?? []) as { ebs?: Record<string, unknown> }[];
    const interfaces = (t.networkInterfaces ?? []) as Record<string, unknown>[];
    const publicIp = interfaces.some((networkInterface) => truthy(networkInterface.associatePublicIpAddress));
    return merge(
        instanceHours(resource, prices, t.instanceType, count),
        ...mappings.map((mapping) => volumes(resource, prices, "root volume", mapping.ebs?.volumeSize, mapping.ebs?.volumeType, count)),
        ...(mappings.length === 0 ? [volumes(resource, prices, "root volume", undefined, undefined, count)] : []),
        publicAddresses(resource, publicIp ? count : 0, "one per instance"),
    );
}

function priceVpcEndpoint(resource: PlannedResource, prices: RegionPrices): ResourcePrice {
    const kind = (resource.inputs.vpcEndpointType as string | undefined) ?? "Gateway";
    if (kind === "Gateway") return priced();
    if (kind !== "Interface") return unpriced(resource, `${kind} endpoints are not in the price table`);
    // Billed per hour in each AZ it has a network interface in (AWS PrivateLink pricing).
    const azs = Math.max(((resource.inputs.subnetIds as unknown[] | undefined) ?? []).length, 1);
    const service = String(resource.inputs.serviceName).split(".").pop();
    return priced(line(resource, `interface endpoint (${service}) in ${azs} AZ${azs === 1 ? "" : "s"}`, "hours", monthly(prices.interfaceEndpointAzHour, azs)));
}

/**
 * A Beanstalk environment costs its instances and, load balanced, its load
 * balancer; both read from its option settings. Beanstalk's defaults
 * (Elastic Beanstalk developer guide, "General options for all
 * environments"): EnvironmentType LoadBalanced, MinSize 1, and the root
 * volume the AMI's.
 */
function priceBeanstalkEnvironment(resource: PlannedResource, prices: RegionPrices): ResourcePrice {
    const settings = (resource.inputs.settings ?? []) as { namespace: string; name: string; value: unknown }[];
    const setting = (namespace: string, name: string): string | undefined => {
        const found = settings.find((item) => item.namespace === namespace && item.name === name);
        return found === undefined ? undefined : String(found.value);
    };
    const singleInstance = setting("aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance";
    const instanceType = setting("aws:autoscaling:launchconfiguration", "InstanceType") ?? setting("aws:ec2:instances", "InstanceTypes")?.split(",")[0].trim();
    if (instanceType === undefined) return unpriced(resource, "no InstanceType setting (aws:autoscaling:launchconfiguration): the platform's default is not known offline");
    const count = singleInstance ? 1 : Number(setting("aws:autoscaling:asg", "MinSize") ?? 1);
    const rootSize = setting("aws:autoscaling:launchconfiguration", "RootVolumeSize");
    const rootType = setting("aws:autoscaling:launchconfiguration", "RootVolumeType");
    // A single-instance environment gets an Elastic IP; a load-balanced one's instances get a public address when AssociatePublicIpAddress says so.
    const instanceAddresses = singleInstance ? 1 : setting("aws:ec2:vpc", "AssociatePublicIpAddress") === "true" ? count : 0;
    const parts = [
        instanceHours(resource, prices, instanceType, count),
        volumes(resource, prices, "root volume", rootSize, rootType, count),
        publicAddresses(resource, instanceAddresses, singleInstance ? "the environment's Elastic IP" : "one per instance"),
    ];
    if (!singleInstance) {
        // The API's default LoadBalancerType is classic; webstack names application.
        const kind = setting("aws:elasticbeanstalk:environment", "LoadBalancerType") ?? "classic";
        const internal = setting("aws:ec2:vpc", "ELBScheme") === "internal";
        const subnets = setting("aws:ec2:vpc", "ELBSubnets")?.split(",").filter((subnet) => subnet.trim() !== "").length ?? 0;
        const alb: PlannedResource = {
            ...resource,
            inputs: { loadBalancerType: kind, internal, subnets: Array.from({ length: Math.max(subnets, 1) }) },
        };
        const price = priceLoadBalancer(alb, prices);
        parts.push({ lines: price.lines.map((item) => ({ ...item, what: `its ${item.what}` })), unpriced: price.unpriced });
    }
    return merge(...parts);
}

/** The region a resource deploys to: its own `region` input (aws v7), else its provider's, else the stage's. */
export function regionOf(resource: PlannedResource, plan: PlanDocument): string {
    const own = resource.inputs.region;
    return typeof own === "string" ? own : (resource.provider?.region ?? plan.region);
}

/** The lines of one resource; `undefined` when its type is neither priced nor known to be free. */
export function priceResource(resource: PlannedResource, index: PlanIndex): ResourcePrice | undefined {
    const pricer = PRICED_TYPES[resource.type];
    if (!pricer) return FREE_TYPES.has(resource.type) || resource.provider === null ? { lines: [], unpriced: [] } : undefined;
    const region = regionOf(resource, index.plan);
    const prices = REGION_PRICES[region];
    if (!prices) return unpriced(resource, `region ${region} is not in the price table`);
    return pricer(resource, prices, index);
}
