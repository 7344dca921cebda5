import { FAKE_ACCOUNT_ID, stableHex } from "./fake-ids";

/** Answers to one provider function (invoke), keyed by its token. */
export type CallAnswer = (inputs: Record<string, any>) => Record<string, unknown>;

export interface LookupOptions {
    /** The region look-ups answer with. */
    region: string;
    /** The public hosted zones that exist in the fake account, e.g. `["example.com"]`. */
    hostedZones: string[];
    /** A resource the program created, by id: look-ups of it answer what it was given. */
    findById?: (id: string) => { type: string; inputs: Record<string, any> } | undefined;
}

/** The fake id of the hosted zone for `zoneName`. */
export function fakeZoneId(zoneName: string): string {
    return `Z${stableHex(zoneName, 12).toUpperCase()}`;
}

/**
 * Plausible answers to the AWS look-ups webstack's components make. Each
 * answer follows the shape of the function's `Result` type in @pulumi/aws.
 */
export function defaultLookups(options: LookupOptions): Record<string, CallAnswer> {
    const { region } = options;
    const zones = options.hostedZones.map((name) => name.replace(/\.$/, "").toLowerCase());
    return {
        "aws:index/getRegion:getRegion": () => ({ id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` }),
        "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" }),
        "aws:index/getCallerIdentity:getCallerIdentity": () => ({
            id: FAKE_ACCOUNT_ID,
            accountId: FAKE_ACCOUNT_ID,
            arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/harness`,
            userId: "AIDAHARNESS",
        }),
        "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
            id: region,
            names: ["a", "b", "c"].map((suffix) => `${region}${suffix}`),
            zoneIds: [1, 2, 3].map((n) => `${region.slice(0, 3)}-az${n}`),
        }),
        "aws:ssm/getParameter:getParameter": (inputs) => ({
            id: inputs.name,
            name: inputs.name,
            arn: `arn:aws:ssm:${region}::parameter${inputs.name}`,
            type: "String",
            // Public AMI parameters (/aws/service/ami-amazon-linux-latest/...) hold an AMI id.
            value: `ami-${stableHex(String(inputs.name), 17)}`,
            insecureValue: `ami-${stableHex(String(inputs.name), 17)}`,
            version: 1,
        }),
        // A subnet the program created answers with the AZ, CIDR and VPC it
        // was given; any other id gets an AZ that follows from the id.
        "aws:ec2/getSubnet:getSubnet": (inputs) => {
            const created = options.findById?.(String(inputs.id));
            if (created?.type === "aws:ec2/subnet:Subnet") {
                return { id: inputs.id, availabilityZone: created.inputs.availabilityZone, vpcId: created.inputs.vpcId, cidrBlock: created.inputs.cidrBlock };
            }
            return {
                id: inputs.id,
                availabilityZone: `${region}${"abc"[parseInt(stableHex(String(inputs.id), 2), 16) % 3]}`,
                vpcId: `vpc-${stableHex(`vpc-of:${String(inputs.id)}`, 17)}`,
                cidrBlock: "10.0.0.0/24",
            };
        },
        "aws:ec2/getAmi:getAmi": (inputs) => ({
            id: `ami-${stableHex(JSON.stringify(inputs), 17)}`,
            architecture: "arm64",
            name: "al2023-ami-harness",
        }),
        "aws:route53/getZone:getZone": (inputs) => {
            const wanted = String(inputs.name ?? "").replace(/\.$/, "").toLowerCase();
            const byId = zones.find((zone) => fakeZoneId(zone) === inputs.zoneId);
            const zone = byId ?? zones.find((candidate) => candidate === wanted);
            if (!zone) throw new Error(`no matching Route 53 Hosted Zone found (harness zones: ${zones.join(", ") || "none"})`);
            return {
                id: fakeZoneId(zone),
                zoneId: fakeZoneId(zone),
                name: zone,
                arn: `arn:aws:route53:::hostedzone/${fakeZoneId(zone)}`,
                nameServers: fakeNameServers(zone),
                privateZone: false,
                resourceRecordSetCount: 2,
            };
        },
        // An alias's key: the same alias always answers the same key id (AWS managed keys such as alias/aws/ssm).
        "aws:kms/getAlias:getAlias": (inputs) => {
            const keyId = `${stableHex(`key:${String(inputs.name)}`, 8)}-0000-4000-8000-${stableHex(`id:${String(inputs.name)}`, 12)}`;
            return {
                id: `arn:aws:kms:${region}:${FAKE_ACCOUNT_ID}:${inputs.name}`,
                arn: `arn:aws:kms:${region}:${FAKE_ACCOUNT_ID}:${inputs.name}`,
                name: inputs.name,
                targetKeyId: keyId,
                targetKeyArn: `arn:aws:kms:${region}:${FAKE_ACCOUNT_ID}:key/${keyId}`,
            };
        },
        "aws:route53/getZones:getZones": () => ({ id: "zones", ids: zones.map(fakeZoneId) }),
        // The newest AL2023 Node.js platforms (Beanstalk "Node.js platform history", 2026-03-31); any other regex finds none.
        "aws:elasticbeanstalk/getSolutionStack:getSolutionStack": (inputs) => {
            const name = BEANSTALK_NODE_STACKS.find((stack) => new RegExp(String(inputs.nameRegex)).test(stack));
            if (!name) throw new Error(`no matching Elastic Beanstalk solution stack for ${String(inputs.nameRegex)}`);
            return { id: name, name, nameRegex: inputs.nameRegex, mostRecent: inputs.mostRecent };
        },
        "aws:elasticbeanstalk/getHostedZone:getHostedZone": () => ({ id: BEANSTALK_HOSTED_ZONES[region] ?? `Z${stableHex(`eb:${region}`, 12).toUpperCase()}`, region }),
        "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs) => {
            const name = String(inputs.name ?? "");
            const known = AWS_MANAGED_PREFIX_LISTS[name];
            if (!known) throw new Error(`no matching EC2 Managed Prefix List found (harness lists: ${Object.keys(AWS_MANAGED_PREFIX_LISTS).join(", ")})`);
            const id = fakePrefixListId(region, name);
            return { id, name, arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`, addressFamily: known.addressFamily, maxEntries: known.maxEntries, ownerId: "AWS", entries: [], tags: {}, version: 1 };
        },
        "aws:cloudfront/getCachePolicy:getCachePolicy": (inputs) => ({ id: `cp-${stableHex(String(inputs.name))}`, name: inputs.name }),
        "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": (inputs) => ({ id: `orp-${stableHex(String(inputs.name))}`, name: inputs.name }),
        "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy": (inputs) => ({ id: `rhp-${stableHex(String(inputs.name))}`, name: inputs.name }),
        "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => ({ id: "policy", json: renderPolicyDocument(inputs) }),
    };
}

/** Solution stacks the harness knows: Node.js 20, 22, 24 on AL2023, none for other versions. */
const BEANSTALK_NODE_STACKS = [24, 22, 20].map((major) => `64bit Amazon Linux 2023 v6.10.0 running Node.js ${major}`);

/** Elastic Beanstalk's Route 53 hosted zone ids (AWS General Reference, "Elastic Beanstalk endpoints and quotas"). */
const BEANSTALK_HOSTED_ZONES: Record<string, string> = { "eu-west-1": "Z2NYPWQ7DFZAZH", "us-east-1": "Z117KPS5GTRQ2G" };

/**
 * The AWS-managed prefix lists the harness knows, with their weight (max
 * entries), from the VPC user guide, "AWS-managed prefix lists".
 */
const AWS_MANAGED_PREFIX_LISTS: Record<string, { addressFamily: "IPv4" | "IPv6"; maxEntries: number }> = {
    "com.amazonaws.global.cloudfront.origin-facing": { addressFamily: "IPv4", maxEntries: 55 },
    "com.amazonaws.global.ipv6.cloudfront.origin-facing": { addressFamily: "IPv6", maxEntries: 55 },
};

/** The fake id of an AWS-managed prefix list in `region` (real ones differ per region, e.g. `pl-4fa04526`). */
export function fakePrefixListId(region: string, name: string): string {
    return `pl-${stableHex(`${region}:${name}`, 8)}`;
}

/** Four plausible name servers for a zone. */
export function fakeNameServers(zone: string): string[] {
    const n = parseInt(stableHex(zone, 4), 16);
    return [0, 1, 2, 3].map((i) => `ns-${(n + i * 512) % 2048}.awsdns-${i}${n % 10}.${["com", "net", "org", "co.uk"][i]}`);
}

/** Enough of `iam.getPolicyDocument` to read back the statements a component wrote. */
function renderPolicyDocument(inputs: Record<string, any>): string {
    const statements = (inputs.statements ?? []).map((s: Record<string, any>) => {
        const statement: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
        if (s.sid) statement.Sid = s.sid;
        if (s.actions) statement.Action = s.actions;
        if (s.resources) statement.Resource = s.resources;
        if (s.principals) {
            statement.Principal = Object.fromEntries(s.principals.map((p: any) => [p.type, p.identifiers]));
        }
        if (s.conditions) {
            const condition: Record<string, Record<string, unknown>> = {};
            for (const c of s.conditions) condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: c.values };
            statement.Condition = condition;
        }
        return statement;
    });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
