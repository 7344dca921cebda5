/**
 * IPv4 and IPv6 CIDR blocks as numbers, so a setting (a stage key or a
 * component arg: one parser for both, so a package user gets the checks the
 * stage makes) is checked the way AWS reads it: EC2 refuses a block with host bits set
 * ("InvalidParameterValue: CIDR block ... is malformed") and a malformed
 * IPv6 address, and an address set is judged by what it covers, not by how
 * it is spelt (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0).
 */
export interface CidrBlock {
    family: 4 | 6;
    /** The first address. */
    start: bigint;
    /** The last address. */
    end: bigint;
    prefix: number;
}

/** Why a text is not a usable CIDR block, and the fix. */
export interface CidrProblem {
    problem: string;
    fix: string;
    /** For a block with host bits set: the network address to write instead, e.g. `10.1.0.0/16`. */
    networkAddress?: string;
}

function parseIpv4(address: string): bigint | undefined {
    const octets = address.split(".");
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
    return octets.reduce((sum, o) => sum * 256n + BigInt(o), 0n);
}

/** RFC 4291 §2.2 text forms: eight groups, one `::`, an optional dotted IPv4 tail. */
function parseIpv6(address: string): bigint | undefined {
    if (!/^[0-9a-fA-F:.]+$/.test(address) || address.split("::").length > 2) return undefined;
    const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
    const groupsOf = (part: string): string[] => (part === "" ? [] : part.split(":"));
    const headGroups = groupsOf(head);
    const tailGroups = tail === undefined ? [] : groupsOf(tail);
    const all = [...headGroups, ...tailGroups];
    let words: number[] = [];
    for (const [index, group] of all.entries()) {
        if (group.includes(".") && index === all.length - 1) {
            const v4 = parseIpv4(group);
            if (v4 === undefined) return undefined;
            words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
            words.push(parseInt(group, 16));
        } else {
            return undefined;
        }
    }
    if (tail === undefined) {
        if (words.length !== 8) return undefined;
    } else {
        if (words.length > 7) return undefined;
        // `::` stands for the zero groups between head and tail.
        words = [...words.slice(0, headGroups.length), ...new Array<number>(8 - words.length).fill(0), ...words.slice(headGroups.length)];
    }
    return words.reduce((sum, w) => sum * 65536n + BigInt(w), 0n);
}

/** An address as text: dotted quad, or IPv6 with its first run of zero groups as `::`. */
export function formatAddress(family: 4 | 6, value: bigint): string {
    if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
    const words = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
    return words.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

/** Parses `text` as a CIDR block, or says why it is not one. */
export function parseCidr(text: string): CidrBlock | CidrProblem {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!match) return { problem: "not a CIDR block", fix: 'write an address with its prefix length, e.g. "203.0.113.7/32" or "2001:db8::/64"' };
    const family = match[1].includes(":") ? 6 : 4;
    const bits = family === 4 ? 32 : 128;
    const address = family === 4 ? parseIpv4(match[1]) : parseIpv6(match[1]);
    if (address === undefined) {
        return family === 4
            ? { problem: "not an IPv4 address", fix: 'write four numbers 0-255, e.g. "203.0.113.7/32"' }
            : { problem: "not a valid IPv6 address (RFC 4291: up to eight groups of 1-4 hex digits, at most one ::)", fix: 'write e.g. "2001:db8::/64"' };
    }
    const prefix = Number(match[2]);
    if (prefix > bits) return { problem: `an IPv${family} prefix length is at most /${bits}`, fix: `use /0 to /${bits}` };
    const size = 1n << BigInt(bits - prefix);
    if (address % size !== 0n) {
        const networkAddress = `${formatAddress(family, address - (address % size))}/${prefix}`;
        return { problem: "the address has bits set past the prefix length (AWS refuses such a block)", fix: `write the network address, ${networkAddress}`, networkAddress };
    }
    return { family, start: address, end: address + size - 1n, prefix };
}

export function isCidrProblem(value: CidrBlock | CidrProblem): value is CidrProblem {
    return "problem" in value;
}

/**
 * The public (internet-routable) address space of each family: IPv4 minus
 * the RFC 6890 special-purpose blocks that never come from the internet
 * (this network, private, shared, loopback, link-local, multicast and
 * reserved), and the IPv6 global unicast block 2000::/3 (RFC 4291 §2.4).
 */
const publicSpace: Record<4 | 6, [bigint, bigint][]> = {
    4: complement(
        ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map((c) => {
            const block = parseCidr(c) as CidrBlock;
            return [block.start, block.end] as [bigint, bigint];
        }),
        (1n << 32n) - 1n,
    ),
    6: [[0x2000n << 112n, (0x4000n << 112n) - 1n]],
};

function merge(ranges: [bigint, bigint][]): [bigint, bigint][] {
    const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [bigint, bigint][] = [];
    for (const [start, end] of sorted) {
        const last = merged[merged.length - 1];
        if (last && start <= last[1] + 1n) last[1] = end > last[1] ? end : last[1];
        else merged.push([start, end]);
    }
    return merged;
}

function complement(ranges: [bigint, bigint][], max: bigint): [bigint, bigint][] {
    const result: [bigint, bigint][] = [];
    let next = 0n;
    for (const [start, end] of merge(ranges)) {
        if (start > next) result.push([next, start - 1n]);
        next = end + 1n;
    }
    if (next <= max) result.push([next, max]);
    return result;
}

/**
 * Whether `cidrs` together admit every public address of IPv4 or of IPv6,
 * i.e. "from anywhere" however the set is split. Texts that are not CIDR
 * blocks are ignored (they are refused elsewhere).
 */
export function coversPublicInternet(cidrs: readonly string[]): boolean {
    for (const family of [4, 6] as const) {
        const blocks = cidrs.map(parseCidr).filter((b): b is CidrBlock => !isCidrProblem(b) && b.family === family);
        const covered = merge(blocks.map((b) => [b.start, b.end] as [bigint, bigint]));
        const allCovered = publicSpace[family].every(([start, end]) => covered.some(([from, to]) => from <= start && to >= end));
        if (allCovered) return true;
    }
    return false;
}
