import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { parseStageConfig } from "../../stacks/config";
import { carveSubnets } from "../../stacks/network-cidrs";

/** The [first, last] addresses of a block, as integers (host bits ignored, as AWS does not). */
function range(cidr: string): [number, number] {
    const [address, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const start = value - (value % size);
    return [start, start + size - 1];
}

describe("network CIDR carving", () => {
    it("splits the block per AZ like awsx's Auto strategy: equal shares, each halved into public and private", () => {
        assert.deepEqual(carveSubnets("10.30.0.0/16", 3), [
            { public: "10.30.0.0/19", private: "10.30.32.0/19" },
            { public: "10.30.64.0/19", private: "10.30.96.0/19" },
            { public: "10.30.128.0/19", private: "10.30.160.0/19" },
        ]);
        assert.deepEqual(carveSubnets("10.10.0.0/16", 2), [
            { public: "10.10.0.0/18", private: "10.10.64.0/18" },
            { public: "10.10.128.0/18", private: "10.10.192.0/18" },
        ]);
    });

    for (const [cidr, azs] of [["10.0.0.0/16", 1], ["172.16.0.0/20", 5], ["192.168.4.0/22", 6], ["10.1.0.0/16", 4]] as const) {
        it(`keeps every subnet inside ${cidr} without overlap over ${azs} AZ(s), each at least a /28`, () => {
            const [vpcStart, vpcEnd] = range(cidr);
            const blocks = carveSubnets(cidr, azs).flatMap((az) => [az.public, az.private]);
            assert.equal(blocks.length, 2 * azs);
            const ranges = blocks.map(range).sort((a, b) => a[0] - b[0]);
            ranges.forEach(([start, end], i) => {
                assert.ok(start >= vpcStart && end <= vpcEnd, `${blocks[i]} lies in ${cidr}`);
                if (i > 0) assert.ok(start > ranges[i - 1][1], "no overlap");
            });
            for (const block of blocks) assert.ok(Number(block.split("/")[1]) <= 28, `${block} is at least a /28`);
        });
    }
});

describe("webstack:network.cidr", () => {
    it("refuses a block with host bits set, naming the setting, the value and the network address to write", () => {
        assert.throws(
            () => parseStageConfig({ "webstack:layout": "iaas", "aws:region": "eu-west-1", "webstack:network": JSON.stringify({ cidr: "10.1.2.0/16" }) }, "dev"),
            (error: Error) => error instanceof ConfigError && /webstack:network\.cidr/.test(error.message) && /10\.1\.2\.0\/16/.test(error.message) && /10\.1\.0\.0\/16/.test(error.message),
        );
    });
});
