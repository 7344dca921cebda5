import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, invalid } from "../internal/errors";
import { ZoneSource } from "./args";
import { isWithinZone } from "./domain-names";

/** The hosted zone DnsAndTls writes its records into. */
export interface HostedZone {
    id: pulumi.Output<string>;
    name: pulumi.Output<string>;
    /** The name servers to delegate to; only for a zone DnsAndTls created. */
    nameServers: pulumi.Output<string[] | undefined>;
    /** The zone resource, when DnsAndTls created it (query logging and DNSSEC need it). */
    created?: aws.route53.Zone;
}

/**
 * `aws.route53.getZone` fails with this message when no zone matches: the
 * Terraform provider's NotFound wording, and before pulumi-aws v6.38 the
 * older "no matching Route53Zone found". Any other failure (permissions,
 * throttling) is not "absent" and must surface as it is.
 */
const ZONE_NOT_FOUND = /no matching Route ?53 ?(Hosted )?Zone found/i;

function isZoneNotFound(error: unknown): boolean {
    return ZONE_NOT_FOUND.test(error instanceof Error ? error.message : String(error));
}

/**
 * The first public zone of `candidates` (longest first) that exists. Runs at
 * deploy (and preview) time through the provider, so the answer reflects the
 * account as it is, not a guess made when the program was written.
 */
export async function findLongestMatchingZone(
    candidates: string[],
    invokeOptions: pulumi.InvokeOptions,
): Promise<aws.route53.GetZoneResult> {
    for (const candidate of candidates) {
        try {
            // privateZone: false — ACM validates through public DNS only.
            return await aws.route53.getZone({ name: candidate, privateZone: false }, invokeOptions);
        } catch (error) {
            if (!isZoneNotFound(error)) throw error;
        }
    }
    throw new ConfigError({
        setting: "zoneName",
        value: undefined,
        problem: `no public Route 53 hosted zone exists for any of ${candidates.join(", ")}`,
        fix: "create the zone (or set createZone: true and delegate to its name servers), or set zoneName / zoneId",
    });
}

async function findZoneByName(name: string, invokeOptions: pulumi.InvokeOptions): Promise<aws.route53.GetZoneResult> {
    try {
        return await aws.route53.getZone({ name, privateZone: false }, invokeOptions);
    } catch (error) {
        if (!isZoneNotFound(error)) throw error;
        return invalid("zoneName", name, "no public Route 53 hosted zone has this name in the account", "check the name and the AWS account, or set createZone: true");
    }
}

/** Looks a zone up by id and checks that it contains `domain` (which is only knowable at deploy time). */
export async function findZoneById(id: string, domain: string, invokeOptions: pulumi.InvokeOptions): Promise<aws.route53.GetZoneResult> {
    const zone = await aws.route53.getZone({ zoneId: id }, invokeOptions);
    const zoneName = zone.name.replace(/\.$/, "").toLowerCase();
    if (!isWithinZone(domain, zoneName)) {
        invalid("zoneId", id, `the zone is ${zoneName}, which does not contain ${domain}`, `give the id of a zone that contains ${domain}`);
    }
    if (zone.privateZone) invalid("zoneId", id, "the zone is private, and ACM validates through public DNS only", "give the id of the public zone");
    return zone;
}

/**
 * Resolves the zone from its source: an existing one (by id, by name, or
 * the longest matching name) is looked up; `create` makes `${name}-zone`.
 */
export function resolveHostedZone(
    name: string,
    source: ZoneSource,
    domain: string,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): HostedZone {
    const invokeOptions: pulumi.InvokeOptions = { parent };
    if (source.kind === "create") {
        const zone = new aws.route53.Zone(
            `${name}-zone`,
            { name: source.name, comment: `Public zone for ${domain}, managed by webstack`, tags },
            { parent },
        );
        return { id: zone.zoneId, name: zone.name, nameServers: zone.nameServers.apply((servers) => servers as string[] | undefined), created: zone };
    }
    const found: pulumi.Output<aws.route53.GetZoneResult> =
        source.kind === "id"
            ? pulumi.output(source.id).apply((id) => findZoneById(id, domain, invokeOptions))
            : source.kind === "name"
              ? pulumi.output(findZoneByName(source.name, invokeOptions))
              : pulumi.output(findLongestMatchingZone(source.candidates, invokeOptions));
    return {
        id: found.apply((zone) => zone.zoneId),
        name: found.apply((zone) => zone.name.replace(/\.$/, "")),
        nameServers: pulumi.output(undefined),
    };
}
