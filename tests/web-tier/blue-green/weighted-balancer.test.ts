// The front nginx's upstream for each step of the worked release, without
// nginx: the weights are the listener's shares, a 0 % color is `down` (nginx
// refuses weight=0), and no server is ever ejected for failed requests.
import * as assert from "node:assert/strict";
import { trafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { renderUpstream, UPSTREAM_NAME } from "./weighted-balancer";
import { WORKED_RELEASE } from "./worked-release";

const fleets = { blue: "127.0.0.1:8001", green: "127.0.0.1:8002" };

/** The server lines of a rendered upstream: address and parameters, comment left out. */
function servers(upstream: string): string[] {
    return upstream.split("\n").filter((line) => line.trim().startsWith("server ")).map((line) => line.replace(/#.*/, "").trim());
}

describe("WeightedBalancer's upstream (the listener's weights in nginx)", () => {
    it("weights each fleet by its share for a canary", () => {
        assert.deepEqual(servers(renderUpstream(fleets, { blue: 90, green: 10 })), [
            "server 127.0.0.1:8001 weight=90 max_fails=0;",
            "server 127.0.0.1:8002 weight=10 max_fails=0;",
        ]);
    });

    it("marks a 0 % color down instead of weight=0, at either end", () => {
        assert.deepEqual(servers(renderUpstream(fleets, { blue: 100, green: 0 })), [
            "server 127.0.0.1:8001 weight=100 max_fails=0;",
            "server 127.0.0.1:8002 down max_fails=0;",
        ]);
        assert.deepEqual(servers(renderUpstream(fleets, { blue: 0, green: 100 })), [
            "server 127.0.0.1:8001 down max_fails=0;",
            "server 127.0.0.1:8002 weight=100 max_fails=0;",
        ]);
    });

    it("renders every step of the worked release with both fleets listed in one upstream", () => {
        for (const step of WORKED_RELEASE) {
            const shares = trafficShares(step.traffic);
            const upstream = renderUpstream(fleets, shares);
            assert.match(upstream, new RegExp(`^upstream ${UPSTREAM_NAME} \\{`), step.label);
            const lines = servers(upstream);
            assert.equal(lines.length, 2, step.label);
            assert.ok(lines[0].includes(shares.blue === 0 ? "down" : `weight=${shares.blue} `), `${step.label}: ${lines[0]}`);
            assert.ok(lines[1].includes(shares.green === 0 ? "down" : `weight=${shares.green} `), `${step.label}: ${lines[1]}`);
        }
    });

    it("refuses shares no listener could have: none above 0, or not whole", () => {
        assert.throws(() => renderUpstream(fleets, { blue: 0, green: 0 }), /no color receives traffic/);
        assert.throws(() => renderUpstream(fleets, { blue: 89.5, green: 10.5 }), /blue share must be a whole number/);
    });
});
