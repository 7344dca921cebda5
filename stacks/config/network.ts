import { z } from "zod";
import { isCidrProblem, parseCidr } from "../../components/internal/cidr";

/** How many NAT gateways the VPC gets (they cost about $33/month each plus data). */
export const natStrategies = ["none", "single", "one-per-az"] as const;
export type NatStrategy = (typeof natStrategies)[number];

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * RFC 1918 private ranges. AWS accepts other blocks for a VPC, but a public
 * range there shadows real internet addresses, which is never what a web
 * app wants.
 */
function isPrivateCidr(cidr: string): boolean {
    const [a, b] = cidr.split(/[./]/).map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export const networkSchema = z.strictObject({
    /**
     * The VPC's address block. AWS allows /16 to /28 for a VPC; webstack asks
     * for /16 to /22 because the network carves a public and a private subnet per AZ
     * (up to six AZs) out of it, and each must stay usefully large.
     */
    cidr: z
        .string()
        .regex(cidrPattern, { error: "expected an IPv4 CIDR block such as 10.0.0.0/16" })
        .refine((c) => c.split(/[./]/).slice(0, 4).every((octet) => Number(octet) <= 255), { error: "each octet must be 0-255", params: { fix: "write each of the four numbers as 0-255" } })
        .refine((c) => Number(c.split("/")[1]) >= 16 && Number(c.split("/")[1]) <= 22, { error: "the prefix length must be between /16 and /22", params: { fix: "use a /16 (65,536 addresses) unless you need a smaller block" } })
        .superRefine((c, ctx) => {
            // The subnets are carved from the network address; a block with
            // host bits set would not be the block the subnets lie in.
            const parsed = cidrPattern.test(c) ? parseCidr(c) : undefined;
            if (parsed && isCidrProblem(parsed) && parsed.networkAddress) {
                ctx.addIssue({ code: "custom", message: "the address has bits set past the prefix length", params: { fix: `write the network address, ${parsed.networkAddress}` } });
            }
        })
        .refine(isPrivateCidr, {
            error: "the block is not in a private (RFC 1918) range",
            params: { fix: "use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. 10.0.0.0/16" },
        })
        .default("10.0.0.0/16"),
    /** Availability zones the subnets span. */
    azCount: z.number().int().min(1).max(6).default(2),
    /** NAT gateways for private subnets' outbound traffic. */
    nat: z.enum(natStrategies).default("single"),
    /**
     * Without NAT, also give the isolated subnets interface endpoints for SSM
     * Session Manager (ssm, ssmmessages, ec2messages: about $7.30/month each),
     * so `aws ssm start-session` reaches instances there. With NAT they are
     * reached through it and this setting is ignored.
     */
    sessionManagerEndpoints: z.boolean().default(false),
});

export type NetworkConfig = z.infer<typeof networkSchema>;
