import { FAKE_ACCOUNT_ID, fakeArn, stableHex } from "./fake-ids";
import { fakeNameServers } from "./lookups";
import { autoName } from "./auto-naming";

/** What the harness knows about a resource when it computes its outputs. */
export interface OutputContext {
    type: string;
    name: string;
    inputs: Record<string, any>;
    /** The region of the provider the resource uses. */
    region: string;
    /** Another recorded resource by its physical id (e.g. the subnet an instance names). */
    findById?: (id: string) => RecordedById | undefined;
}

/** What the harness tells about a resource found by id. */
export interface RecordedById {
    type: string;
    inputs: Record<string, any>;
    computed: Record<string, unknown>;
}

/** The `index`-th host address of an IPv4 CIDR block (skipping the 4 AWS reserves at the start). */
export function hostInCidr(cidr: string, seed: string): string {
    const [address, bits] = cidr.split("/");
    const base = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0) >>> 0;
    const size = 2 ** (32 - Number(bits));
    // AWS reserves the first four and the last address of every subnet.
    const offset = 4 + (parseInt(stableHex(seed, 6), 16) % Math.max(1, size - 5));
    const host = (base + offset) >>> 0;
    return [24, 16, 8, 0].map((shift) => (host >>> shift) & 255).join(".");
}

/** The subnet an instance (or endpoint) was placed in, when the program created it. */
function subnetOf(context: OutputContext): RecordedById | undefined {
    const subnet = typeof context.inputs.subnetId === "string" ? context.findById?.(context.inputs.subnetId) : undefined;
    return subnet?.type === "aws:ec2/subnet:Subnet" ? subnet : undefined;
}

/** Computes the outputs AWS would fill in for one resource type. */
export type OutputComputer = (context: OutputContext) => Record<string, unknown>;

export { autoName } from "./auto-naming";

/** The records ACM asks for to validate `domain` (apex and `*.` share one). */
function validationOption(domain: string) {
    const base = domain.replace(/^\*\./, "");
    return {
        domainName: domain,
        resourceRecordName: `_${stableHex(base, 32)}.${base}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${stableHex(`value:${base}`, 32)}.acm-validations.aws.`,
    };
}

function awsxVpcOutputs({ name, inputs }: OutputContext): Record<string, unknown> {
    const azCount = Number(inputs.numberOfAvailabilityZones ?? inputs.availabilityZoneNames?.length ?? 3);
    const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
    const natCount = strategy === "None" ? 0 : strategy === "Single" ? 1 : azCount;
    const ids = (kind: string) => Array.from({ length: azCount }, (_, i) => `subnet-${stableHex(`${name}:${kind}:${i}`, 17)}`);
    const vpcId = `vpc-${stableHex(name, 17)}`;
    const subnetTypes: string[] = (inputs.subnetSpecs ?? [{ type: "Public" }, { type: "Private" }]).map((s: { type: string }) => s.type);
    const idsIf = (type: string) => (subnetTypes.includes(type) ? ids(type.toLowerCase()) : []);
    const natGateways = Array.from({ length: natCount }, (_, i) => ({ id: `nat-${stableHex(`${name}:nat:${i}`, 17)}` }));
    return {
        vpcId,
        vpc: { id: vpcId, cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16" },
        publicSubnetIds: idsIf("Public"),
        privateSubnetIds: idsIf("Private"),
        isolatedSubnetIds: idsIf("Isolated"),
        natGateways,
        eips: natGateways.map((_, i) => ({ id: `eipalloc-${stableHex(`${name}:eip:${i}`, 17)}` })),
    };
}

/** Computed outputs for the types webstack creates, by type token. */
export const defaultComputedOutputs: Record<string, OutputComputer> = {
    "awsx:ec2:Vpc": awsxVpcOutputs,
    "aws:s3/bucket:Bucket": ({ name, inputs }) => {
        const bucket = inputs.bucket ?? autoName(name, true);
        return {
            arn: `arn:aws:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${inputs.region ?? "us-east-1"}.amazonaws.com`,
        };
    },
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": ({ inputs, region }) => ({
        websiteEndpoint: `${inputs.bucket}.s3-website-${region}.amazonaws.com`,
        websiteDomain: `s3-website-${region}.amazonaws.com`,
    }),
    // WAFv2 ARNs: .../global/webacl/<name>/<id> for scope CLOUDFRONT, .../regional/... otherwise (AWS WAF API reference, WebACL ARN).
    "aws:wafv2/webAcl:WebAcl": ({ name, inputs, region }) => {
        const id = `${stableHex(name, 8)}-${stableHex(`${name}:1`, 4)}-${stableHex(`${name}:2`, 4)}-${stableHex(`${name}:3`, 4)}-${stableHex(`${name}:4`, 12)}`;
        const aclName = inputs.name ?? autoName(name);
        return { id, arn: fakeArn("wafv2", region, `${inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${aclName}/${id}`) };
    },
    "aws:cloudfront/distribution:Distribution": ({ name }) => {
        // A distribution's id is the last part of its ARN (CloudFront API: Distribution.Id / ARN).
        const id = `E${stableHex(name, 13).toUpperCase()}`;
        return {
            id,
            domainName: `d${stableHex(name, 13)}.cloudfront.net`,
            hostedZoneId: "Z2FDTNDATAQYW2",
            arn: `arn:aws:cloudfront::${FAKE_ACCOUNT_ID}:distribution/${id}`,
            status: "Deployed",
        };
    },
    "aws:ec2/vpc:Vpc": ({ name, region }) => {
        const id = `vpc-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `vpc/${id}`), defaultRouteTableId: `rtb-${stableHex(`${name}:main`, 17)}`, mainRouteTableId: `rtb-${stableHex(`${name}:main`, 17)}` };
    },
    // The subnet keeps the AZ and CIDR it was given (they are inputs); only the ids are new.
    "aws:ec2/subnet:Subnet": ({ name, region }) => {
        const id = `subnet-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `subnet/${id}`) };
    },
    "aws:ec2/internetGateway:InternetGateway": ({ name, region }) => {
        const id = `igw-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `internet-gateway/${id}`) };
    },
    "aws:ec2/natGateway:NatGateway": ({ name, inputs, findById }) => {
        const subnet = typeof inputs.subnetId === "string" ? findById?.(inputs.subnetId) : undefined;
        return {
            id: `nat-${stableHex(name, 17)}`,
            privateIp: subnet?.inputs.cidrBlock ? hostInCidr(subnet.inputs.cidrBlock, name) : undefined,
        };
    },
    "aws:ec2/routeTable:RouteTable": ({ name, region }) => {
        const id = `rtb-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `route-table/${id}`) };
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ({ name }) => ({ id: `rtbassoc-${stableHex(name, 17)}` }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ({ name, region }) => {
        const id = `vpce-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `vpc-endpoint/${id}`) };
    },
    "aws:ec2/securityGroup:SecurityGroup": ({ name, region }) => {
        const id = `sg-${stableHex(name, 17)}`;
        return { id, arn: fakeArn("ec2", region, `security-group/${id}`) };
    },
    "aws:acm/certificate:Certificate": ({ name, inputs, region }) => {
        const names = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].filter(Boolean);
        return {
            arn: fakeArn("acm", region, `certificate/${stableHex(name, 32)}`),
            domainValidationOptions: [...new Set<string>(names)].map(validationOption),
            status: "ISSUED",
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": ({ inputs }) => ({ certificateArn: inputs.certificateArn }),
    "aws:route53/zone:Zone": ({ name, inputs }) => ({
        zoneId: `Z${stableHex(name, 12).toUpperCase()}`,
        nameServers: fakeNameServers(inputs.name ?? name),
        arn: `arn:aws:route53:::hostedzone/Z${stableHex(name, 12).toUpperCase()}`,
    }),
    "aws:route53/record:Record": ({ inputs }) => ({ fqdn: inputs.name }),
    // A KSK from an ECC_NIST_P256 key: DNSSEC algorithm 13 (ECDSAP256SHA256),
    // DS digest type 2 (SHA-256), as Route 53 reports them.
    "aws:route53/keySigningKey:KeySigningKey": ({ name }) => {
        const keyTag = parseInt(stableHex(name, 4), 16);
        const digestValue = stableHex(`ds:${name}`, 64).toUpperCase();
        return { keyTag, signingAlgorithmType: 13, digestAlgorithmType: 2, digestValue, dsRecord: `${keyTag} 13 2 ${digestValue}`, flag: 257 };
    },
    "aws:lb/loadBalancer:LoadBalancer": ({ name, region }) => ({
        arn: fakeArn("elasticloadbalancing", region, `loadbalancer/app/${name}/${stableHex(name, 16)}`),
        dnsName: `${name}-${stableHex(name, 9)}.${region}.elb.amazonaws.com`,
        zoneId: "Z32O12XQLNTSW2",
    }),
    "aws:rds/instance:Instance": ({ name, inputs, region }) => {
        const identifier = inputs.identifier ?? autoName(name, true);
        const address = `${identifier}.${stableHex(name, 12)}.${region}.rds.amazonaws.com`;
        const port = inputs.port ?? (String(inputs.engine).includes("mysql") ? 3306 : 5432);
        return {
            address,
            port,
            endpoint: `${address}:${port}`,
            masterUserSecrets: inputs.manageMasterUserPassword
                ? [{ secretArn: fakeArn("secretsmanager", region, `secret:rds!db-${stableHex(name, 8)}`), secretStatus: "active" }]
                : [],
        };
    },
    // The private IP lies in the instance's subnet (10.0.0.0/16 when the subnet is not the program's).
    "aws:ec2/instance:Instance": (context) => {
        const { name, region } = context;
        const subnet = subnetOf(context);
        const publicIp = `203.0.113.${parseInt(stableHex(name, 2), 16) % 250}`;
        const privateIp = hostInCidr(subnet?.inputs.cidrBlock ?? "10.0.0.0/16", name);
        // The id keeps the harness's `<name>-<hex>` form: awscheck ties a
        // volume attachment's instanceId to its instance by that form.
        return {
            privateIp,
            publicIp,
            publicDns: publicDnsName(publicIp, region),
            privateDns: `ip-${privateIp.replace(/\./g, "-")}.${region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`}`,
            availabilityZone: subnet?.inputs.availabilityZone ?? context.inputs.availabilityZone ?? `${region}a`,
        };
    },
    "aws:ec2/eip:Eip": ({ name, region }) => {
        // An EIP's id is its allocation id.
        const id = `eipalloc-${stableHex(name, 17)}`;
        const publicIp = `198.51.100.${parseInt(stableHex(name, 2), 16) % 250}`;
        return { id, publicIp, publicDns: publicDnsName(publicIp, region), allocationId: id };
    },
    "aws:elasticbeanstalk/environment:Environment": ({ name, region }) => ({
        cname: `${name}.${stableHex(name, 6)}.${region}.elasticbeanstalk.com`,
        endpointUrl: `awseb-${stableHex(name, 8)}.${region}.elb.amazonaws.com`,
        // A load-balanced environment's ALB, by ARN (the name Beanstalk gives it: awseb-AWSEB-<id>).
        loadBalancers: [`arn:aws:elasticloadbalancing:${region}:${FAKE_ACCOUNT_ID}:loadbalancer/app/awseb-AWSEB-${stableHex(name, 12)}/${stableHex(`${name}-lb`, 16)}`],
    }),
    "aws:secretsmanager/secret:Secret": ({ name, region }) => ({ arn: fakeArn("secretsmanager", region, `secret:${name}-${stableHex(name, 6)}`) }),
    // SSM numbers a parameter's versions from 1 (PutParameter "Version").
    "aws:ssm/parameter:Parameter": ({ name, inputs, region }) => ({ arn: fakeArn("ssm", region, `parameter${inputs.name ?? `/${name}`}`), version: 1 }),
    "aws:iam/role:Role": ({ name, inputs }) => ({
        arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${inputs.name ?? autoName(name)}`,
    }),
    "aws:iam/instanceProfile:InstanceProfile": ({ name, inputs }) => ({
        arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:instance-profile/${inputs.name ?? autoName(name)}`,
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
};

/**
 * Outputs every AWS resource gets unless its type says otherwise: an `arn`.
 * (The auto-name of an unset name property comes from auto-naming.ts.)
 */
export function genericOutputs({ type, name, region }: OutputContext): Record<string, unknown> {
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    return { arn: fakeArn(service, region, `${name}`) };
}

/**
 * EC2's public DNS name for an address: `ec2-<a-b-c-d>.compute-1.amazonaws.com`
 * in us-east-1, `ec2-<a-b-c-d>.<region>.compute.amazonaws.com` elsewhere (EC2
 * user guide, "Amazon EC2 instance hostname types").
 */
export function publicDnsName(ip: string, region: string): string {
    const host = `ec2-${ip.replace(/\./g, "-")}`;
    return region === "us-east-1" ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}
