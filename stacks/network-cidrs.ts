/**
 * How the stage's VPC block is carved into subnets, the way awsx's "Auto"
 * subnet strategy does when no subnet sizes are given: every AZ gets an
 * equal share of the block (the AZ count rounded up to a power of two, so
 * each share is a CIDR block), and each share is halved into the AZ's public
 * and private subnet. Shares beyond the AZ count stay free for later subnets.
 *
 * Example: 10.30.0.0/16 over 3 AZs gives four /18 shares; AZ 1 gets
 * public 10.30.0.0/19 and private 10.30.32.0/19, AZ 2 10.30.64.0/19 and
 * 10.30.96.0/19, AZ 3 10.30.128.0/19 and 10.30.160.0/19; 10.30.192.0/18 is free.
 */
import { formatAddress, isCidrProblem, parseCidr } from "../components/internal/cidr";

/** The public and private subnet blocks of one AZ. */
export interface AzSubnetBlocks {
    public: string;
    private: string;
}

/** `cidr`'s `index`-th sub-block with prefix length `prefix`. */
function subBlock(cidr: string, prefix: number, index: number): string {
    const block = parseCidr(cidr);
    if (isCidrProblem(block)) throw new Error(`${cidr}: ${block.problem}`);
    return `${formatAddress(4, block.start + BigInt(index) * (1n << BigInt(32 - prefix)))}/${prefix}`;
}

/**
 * The subnet blocks of each of `azCount` AZs inside `vpcCidr` (validated by
 * the network config: /16 to /22, 1 to 6 AZs, so the smallest subnet is a /26
 * with 59 usable addresses; AWS allows /16 to /28 for a subnet).
 */
export function carveSubnets(vpcCidr: string, azCount: number): AzSubnetBlocks[] {
    const vpcPrefix = Number(vpcCidr.split("/")[1]);
    const azPrefix = vpcPrefix + Math.ceil(Math.log2(azCount));
    const subnetPrefix = azPrefix + 1;
    if (subnetPrefix > 28) throw new Error(`${vpcCidr} is too small for ${azCount} AZs (AWS subnets are /28 at the smallest)`);
    return Array.from({ length: azCount }, (_, az) => {
        const share = subBlock(vpcCidr, azPrefix, az);
        return { public: subBlock(share, subnetPrefix, 0), private: subBlock(share, subnetPrefix, 1) };
    });
}
