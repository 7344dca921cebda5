/**
 * The price table of `npm run plan -- <stage> --cost`: AWS on-demand list
 * prices in USD, kept in the repository so a cost report needs no network
 * and changes only in review.
 *
 * Regions: eu-west-1 (every stage file's `aws:region`) and us-east-1 (where
 * CloudFront's certificate, web ACL and DNSSEC key live, and the cheapest
 * region to compare with). A resource in another region is "not priced".
 *
 * Each group of prices names the AWS page it comes from and the date it was
 * read (`PRICE_SOURCES`). AWS pricing pages render their figures with
 * JavaScript, so most figures were read from a snapshot of a page that
 * quotes them (named in `seenIn`); where a figure was carried over from this
 * repository's docs (2025 list prices) and not re-read, the source says so.
 * Check a figure against the AWS page before relying on it.
 *
 * Not counted (usage, not provisioning; said once under every report):
 * data transfer, requests (CloudFront, S3, WAF, API calls, Lambda), NAT and
 * endpoint data processing, load balancer capacity units above the baseline,
 * T4g/T3 CPU credits above the baseline, storage growth (S3 objects,
 * snapshots, backups beyond the database size, logs, RDS storage autoscaling),
 * KMS key rotations (+$1/month for each of the first two) and free tiers.
 */

/** Hours in a month, as AWS's pricing calculator counts them (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * The load balancer capacity units a report counts for each ALB: one, a
 * small site's traffic (25 new connections a second, 3,000 active, 1 GB an
 * hour). An idle ALB uses fewer and is billed for what it uses; more traffic
 * costs more. Counting one keeps the figure honest about a live site.
 */
export const ALB_BASELINE_LCU = 1;

/**
 * The root volume size assumed when a resource leaves it to the AMI: the
 * Amazon Linux 2023 AMIs webstack boots have an 8 GiB root volume.
 */
export const AMI_DEFAULT_ROOT_GB = 8;

/** The prices of one region. Hourly figures are per hour, storage per GB-month. */
export interface RegionPrices {
    /** EC2 Linux on-demand, per instance-hour, by instance type. */
    ec2InstanceHour: Record<string, number>;
    /** EBS, per GB-month, by volume type (gp3 includes 3,000 IOPS and 125 MB/s). */
    ebsGbMonth: Record<string, number>;
    /** A NAT gateway, per hour (its Elastic IP is priced as a public IPv4 address). */
    natGatewayHour: number;
    /** An Application Load Balancer, per hour. */
    albHour: number;
    /** An Application Load Balancer capacity unit, per LCU-hour. */
    albLcuHour: number;
    /** An interface VPC endpoint, per hour in each Availability Zone (gateway endpoints are free). */
    interfaceEndpointAzHour: number;
    /** RDS Single-AZ on-demand, per instance-hour, by engine then instance class (Multi-AZ: twice). */
    rdsInstanceHour: Record<string, Record<string, number>>;
    /** RDS Single-AZ storage, per GB-month, by storage type (Multi-AZ: twice). */
    rdsStorageGbMonth: Record<string, number>;
}

/** Prices that are the same in every region. */
export interface GlobalPrices {
    /** A public IPv4 address (Elastic IP, an instance's, a load balancer's), per hour, in use or idle. */
    publicIpv4Hour: number;
    /** A customer managed KMS key, per month. */
    kmsKeyMonth: number;
    /** A Secrets Manager secret, per month. */
    secretMonth: number;
    /** A Route 53 hosted zone, per month (the first 25 of an account). */
    hostedZoneMonth: number;
    /** An AWS WAF web ACL, per month. */
    wafWebAclMonth: number;
    /** An AWS WAF rule (a managed rule group counts as one), per month. */
    wafRuleMonth: number;
}

export const REGION_PRICES: Record<string, RegionPrices> = {
    "eu-west-1": {
        ec2InstanceHour: {
            "t4g.micro": 0.0092,
            "t4g.small": 0.0184,
            "t4g.medium": 0.0368,
            "t4g.large": 0.0736,
            "t3.micro": 0.0114,
            "t3.small": 0.0228,
            "t3.medium": 0.0456,
        },
        ebsGbMonth: { gp3: 0.088, gp2: 0.11 },
        natGatewayHour: 0.048,
        albHour: 0.0252,
        albLcuHour: 0.008,
        interfaceEndpointAzHour: 0.011,
        rdsInstanceHour: {
            postgres: { "db.t4g.micro": 0.018, "db.t4g.small": 0.036, "db.t4g.medium": 0.072, "db.t4g.large": 0.144 },
        },
        rdsStorageGbMonth: { gp3: 0.127, gp2: 0.127 },
    },
    "us-east-1": {
        ec2InstanceHour: {
            "t4g.micro": 0.0084,
            "t4g.small": 0.0168,
            "t4g.medium": 0.0336,
            "t4g.large": 0.0672,
            "t3.micro": 0.0104,
            "t3.small": 0.0208,
            "t3.medium": 0.0416,
        },
        ebsGbMonth: { gp3: 0.08, gp2: 0.1 },
        natGatewayHour: 0.045,
        albHour: 0.0225,
        albLcuHour: 0.008,
        interfaceEndpointAzHour: 0.01,
        rdsInstanceHour: {
            postgres: { "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129 },
        },
        rdsStorageGbMonth: { gp3: 0.115, gp2: 0.115 },
    },
};

export const GLOBAL_PRICES: GlobalPrices = {
    publicIpv4Hour: 0.005,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
    hostedZoneMonth: 0.5,
    wafWebAclMonth: 5,
    wafRuleMonth: 1,
};

/** Where a group of prices comes from. */
export interface PriceSource {
    /** The AWS page that publishes the price. */
    url: string;
    /** When the figure was read (YYYY-MM-DD). */
    read: string;
    /** Where the figure was actually read, when not on the AWS page itself (a page snapshot). */
    seenIn?: string;
}

const READ = "2026-12-01";

/** The source of each price group, by the field name in RegionPrices / GlobalPrices. */
export const PRICE_SOURCES: Record<keyof RegionPrices | keyof GlobalPrices, PriceSource> = {
    ec2InstanceHour: {
        url: "https://aws.amazon.com/ec2/pricing/on-demand/",
        read: READ,
        seenIn: "snapshots of public price tables quoting the on-demand Linux rates (eu-west-1 t4g.small $0.0184, t3.micro $0.0114; us-east-1 t4g.small $0.0168)",
    },
    ebsGbMonth: {
        url: "https://aws.amazon.com/ebs/pricing/",
        read: READ,
        seenIn: "carried over from docs/web-tier.md (2025 list prices: 20 GiB gp3 $1.76 in eu-west-1); not re-read",
    },
    natGatewayHour: {
        url: "https://aws.amazon.com/vpc/pricing/",
        read: READ,
        seenIn: "snapshot of cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026 (Europe (Ireland) $0.048/hour, US East $0.045/hour)",
    },
    albHour: {
        url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        read: READ,
        seenIn: "carried over from docs/web-tier.md (2025 list prices: ALB $18.40/month in eu-west-1); not re-read",
    },
    albLcuHour: {
        url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        read: READ,
        seenIn: "snapshot of a public ELB pricing summary ($0.008 per LCU-hour)",
    },
    interfaceEndpointAzHour: {
        url: "https://aws.amazon.com/privatelink/pricing/",
        read: READ,
        seenIn: "snapshot of aws.amazon.com/privatelink/pricing (billed per hour in each AZ) and a public VPC pricing summary ($0.01/hour per AZ in us-east-1); the eu-west-1 figure $0.011 not re-read",
    },
    rdsInstanceHour: {
        url: "https://aws.amazon.com/rds/postgresql/pricing/",
        read: READ,
        seenIn: "snapshot of a public RDS rate table (db.t4g.small $0.036, db.t4g.medium $0.072, eu-west-1) and infratally.com's 2026 RDS article (us-east-1 db.t4g.small $0.032); Multi-AZ bills both instances (RDS User Guide, On-Demand DB instances)",
    },
    rdsStorageGbMonth: {
        url: "https://aws.amazon.com/rds/postgresql/pricing/",
        read: READ,
        seenIn: "carried over from docs/managed-database.md (20 GiB gp3 Multi-AZ ≈ $5 in eu-west-1) and usage.ai's 2026 RDS calculator page (us-east-1 gp3 $0.115); Multi-AZ bills the standby's storage too",
    },
    publicIpv4Hour: {
        url: "https://aws.amazon.com/vpc/pricing/ (Public IPv4 Address tab)",
        read: READ,
        seenIn: "boto3 docs (Subnet.map_public_ip_on_launch: all public IPv4 addresses charged from 2024-02-01) and snapshots quoting $0.005 per address-hour",
    },
    kmsKeyMonth: { url: "https://aws.amazon.com/kms/pricing/", read: READ, seenIn: "carried over from README.md and docs/production-checklist.md; not re-read" },
    secretMonth: {
        url: "https://aws.amazon.com/secrets-manager/pricing/",
        read: READ,
        seenIn: "carried over from docs/managed-database.md; RDS-managed master secrets are billed too (RDS User Guide, rds-secrets-manager: storing the secret in Secrets Manager incurs charges)",
    },
    hostedZoneMonth: { url: "https://aws.amazon.com/route53/pricing/", read: READ, seenIn: "carried over from docs/dns-and-tls.md; not re-read" },
    wafWebAclMonth: {
        url: "https://aws.amazon.com/waf/pricing/",
        read: READ,
        seenIn: "snapshot of aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf (same in every region) and c3x.dev (a managed group counts as one rule)",
    },
    wafRuleMonth: { url: "https://aws.amazon.com/waf/pricing/", read: READ, seenIn: "as wafWebAclMonth" },
};

/** What a report does not count, printed once under every report. */
export const NOT_COUNTED =
    "Not counted: data transfer, requests (CloudFront, S3, WAF, Lambda, API calls), NAT and endpoint data processing, " +
    `ALB capacity units above ${ALB_BASELINE_LCU} LCU, CPU credits above the T-instance baseline, storage growth (objects, snapshots, ` +
    "backups, logs, storage autoscaling), KMS key rotations, free tiers.";
