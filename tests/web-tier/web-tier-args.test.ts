import * as assert from "node:assert/strict";
import { rejectsArgs } from "./reject-args";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { architectureOf, resolveWebTierArgs, WebTierArgs } from "../../components/web-tier/args";

const app = path.resolve("examples/api");
const network = { vpcId: "vpc-1", publicSubnetIds: ["subnet-1"] };
const base: WebTierArgs = { app: { path: app }, network };

const rejects = rejectsArgs;

describe("WebTier args (pure resolution)", () => {
    it("fills in safe defaults: instance mode, t4g.small arm64, in-place, no SSH", () => {
        const resolved = resolveWebTierArgs(base);
        assert.equal(resolved.mode, "instance");
        assert.equal(resolved.app.path, app);
        assert.deepEqual(resolved.app.ports, { blue: 3001, green: 3002 });
        assert.equal(resolved.app.instances, "max");
        assert.equal(resolved.app.healthCheckPath, "/health");
        assert.equal(resolved.app.nodeVersion, 22);
        assert.deepEqual(resolved.instance, { type: "t4g.small", architecture: "arm64", rootVolumeGiB: 20, elasticIp: false });
        assert.deepEqual(resolved.ssh, { allowedCidrs: [], keyName: undefined });
        assert.equal(resolved.deploy.strategy, "in-place");
        assert.equal(resolved.deploy.watchSeconds, 30);
    });

    it("takes a watch window from 0 (none) to 600 s; all-at-once has none", () => {
        assert.equal(resolveWebTierArgs({ ...base, deploy: { watchSeconds: 0 } }).deploy.watchSeconds, 0);
        assert.equal(resolveWebTierArgs({ ...base, deploy: { watchSeconds: 600 } }).deploy.watchSeconds, 600);
        assert.deepEqual(resolveWebTierArgs({ ...base, deploy: { strategy: "all-at-once" } }).deploy, { strategy: "all-at-once", watchSeconds: 0 });
    });

    it("derives the architecture from the instance type", () => {
        assert.equal(architectureOf("t4g.small"), "arm64");
        assert.equal(architectureOf("c7gn.large"), "arm64");
        assert.equal(architectureOf("m6gd.xlarge"), "arm64");
        assert.equal(architectureOf("t3.small"), "x86_64");
        assert.equal(architectureOf("g5.xlarge"), "x86_64");
        assert.equal(architectureOf("m7i-flex.large"), "x86_64");
        assert.equal(resolveWebTierArgs({ ...base, instance: { type: "t3.micro" } }).instance.architecture, "x86_64");
    });

    it("accepts SSH from listed blocks, and from the world only with the explicit option", () => {
        assert.deepEqual(resolveWebTierArgs({ ...base, sshAllowedCidrs: ["203.0.113.7/32", "2001:db8::/64"] }).ssh.allowedCidrs, ["203.0.113.7/32", "2001:db8::/64"]);
        assert.deepEqual(resolveWebTierArgs({ ...base, sshAllowedCidrs: ["0.0.0.0/0"], allowSshFromAnywhere: true }).ssh.allowedCidrs, ["0.0.0.0/0"]);
    });

    it("is not behind CloudFront unless told, and keeps the flag when told", () => {
        assert.equal(resolveWebTierArgs(base).network.behindCloudFront, false);
        assert.equal(resolveWebTierArgs({ ...base, network: { ...network, behindCloudFront: true } }).network.behindCloudFront, true);
    });

    it("behind CloudFront, 5 IPv4 SSH blocks fit beside the prefix list (55 + 5 = 60 inbound rules); IPv6 blocks count apart", () => {
        const five = [1, 2, 3, 4, 5].map((n) => `203.0.113.${n}/32`);
        const resolved = resolveWebTierArgs({ ...base, network: { ...network, behindCloudFront: true }, sshAllowedCidrs: [...five, "2001:db8::/64"] });
        assert.equal(resolved.ssh.allowedCidrs.length, 6);
    });

    describe("rejects bad input, naming the arg", () => {
        it("behindCloudFront that is not a boolean", () => rejects({ ...base, network: { ...network, behindCloudFront: "true" } }, "network.behindCloudFront"));
        it("behind CloudFront, a sixth IPv4 SSH block (the group would exceed 60 inbound rules)", () =>
            rejects({ ...base, network: { ...network, behindCloudFront: true }, sshAllowedCidrs: [1, 2, 3, 4, 5, 6].map((n) => `203.0.113.${n}/32`) }, "sshAllowedCidrs", /55 of the 60 inbound rules/));
        let scratch: string;
        before(() => {
            scratch = fs.mkdtempSync(path.join(os.tmpdir(), "webtier-args-"));
            fs.mkdirSync(path.join(scratch, "no-package"));
            fs.mkdirSync(path.join(scratch, "no-entry"));
            fs.writeFileSync(path.join(scratch, "no-entry", "package.json"), JSON.stringify({ main: "server.js" }));
            fs.writeFileSync(path.join(scratch, "file.txt"), "x");
        });
        after(() => fs.rmSync(scratch, { recursive: true, force: true }));

        it("a missing app folder", () => rejects({ ...base, app: { path: "does/not/exist" } }, "app.path", /does not exist/));
        it("no app folder at all", () => rejects({ ...base, app: {} }, "app.path", /required/));
        it("a file instead of a folder", () => rejects({ ...base, app: { path: path.join(scratch, "file.txt") } }, "app.path", /not a folder/));
        it("a folder without package.json", () => rejects({ ...base, app: { path: path.join(scratch, "no-package") } }, "app.path", /package\.json/));
        it("a package.json whose entry file is missing", () => rejects({ ...base, app: { path: path.join(scratch, "no-entry") } }, "app.path", /server\.js/));
        it("a port out of range", () => {
            rejects({ ...base, app: { path: app, port: 80 } }, "app.port");
            rejects({ ...base, app: { path: app, port: 65535 } }, "app.port");
            rejects({ ...base, app: { path: app, port: 3000.5 } }, "app.port");
        });
        it("SSH from the world without allowSshFromAnywhere", () => {
            rejects({ ...base, sshAllowedCidrs: ["0.0.0.0/0"] }, "sshAllowedCidrs", /whole internet/);
            rejects({ ...base, sshAllowedCidrs: ["::/0"] }, "sshAllowedCidrs", /whole internet/);
        });
        it("an SSH entry that is not a CIDR block", () => rejects({ ...base, sshAllowedCidrs: ["my-laptop"] }, "sshAllowedCidrs"));
        it("an unknown deploy strategy", () => rejects({ ...base, deploy: { strategy: "yolo" } }, "deploy.strategy", /not a deploy strategy/));
        it("a watch window that is not whole seconds from 0 to 600", () => {
            for (const watchSeconds of [-1, 1.5, 601, "30", Number.NaN]) {
                rejects({ ...base, deploy: { watchSeconds } }, "deploy.watchSeconds", /whole number of seconds from 0 to 600/);
            }
        });
        it("a watch window with all-at-once (nothing to switch back to)", () =>
            rejects({ ...base, deploy: { strategy: "all-at-once", watchSeconds: 30 } }, "deploy.watchSeconds", /no release to switch back to/));
        it("a strategy of another mode", () => rejects({ ...base, deploy: { strategy: "rolling" } }, "deploy.strategy", /not available in instance mode/));
        it("an unknown mode", () => rejects({ ...base, mode: "kubernetes" }, "mode", /not a WebTier mode/));
        it("an instance type that is not one", () => rejects({ ...base, instance: { type: "small" } }, "instance.type"));
        it("an architecture that does not match the type", () => rejects({ ...base, instance: { type: "t4g.small", architecture: "x86_64" } }, "instance.architecture", /arm64/));
        it("a root volume too small for the image", () => rejects({ ...base, instance: { rootVolumeGiB: 4 } }, "instance.rootVolumeGiB"));
        it("a Node.js version AL2023 does not package", () => rejects({ ...base, app: { path: app, nodeVersion: 18 } }, "app.nodeVersion"));
        it("a secret given by value instead of by parameter name", () => {
            rejects({ ...base, app: { path: app, secrets: { API_KEY: "sk live 123" } } }, "app.secrets.API_KEY", /by reference/);
            rejects({ ...base, app: { path: app, secrets: { API_KEY: "sk_live_123" } } }, "app.secrets.API_KEY", /by reference/);
        });
        it("an environment variable the switch owns or that is not a name", () => {
            rejects({ ...base, app: { path: app, environment: { PORT: "80" } } }, "app.environment.PORT");
            rejects({ ...base, app: { path: app, environment: { "1BAD": "x" } } }, "app.environment.1BAD");
        });
        // Issue 10 finding 3: a line break or NUL in a value would split or cut
        // the KEY=VALUE line the instance hands to the release switch.
        for (const [label, value] of [["a newline", "a\nEVIL=1"], ["a carriage return", "a\rb"], ["a NUL", "a\u0000b"], ["an escape", "\u001b[31m"], ["a DEL", "a\u007f"]] as const) {
            it(`an environment value with ${label}`, () => {
                const error = rejects({ ...base, app: { path: app, environment: { GREETING: value } } }, "app.environment.GREETING", /control character/);
                // The message shows the value escaped: no raw control character reaches a terminal.
                // eslint-disable-next-line no-control-regex
                assert.ok(!/[\u0000-\u0008\u000a-\u001f\u007f]/.test(error.message), JSON.stringify(error.message));
            });
        }
        it("keeps environment values with quotes, spaces, $, backslashes and tabs as given", () => {
            const environment = { A: '"quoted"', B: "'x'", C: "a b", D: "$HOME", E: "back\\slash\\n", F: "tab\there", G: "" };
            assert.deepEqual(resolveWebTierArgs({ ...base, app: { path: app, environment } }).app.environment, environment);
        });
        it("the same variable as plain and secret", () => rejects({ ...base, app: { path: app, environment: { KEY: "a" }, secrets: { KEY: "/x/key" } } }, "app.secrets.KEY"));
        it("a health check path that is not a path", () => rejects({ ...base, app: { path: app, healthCheckPath: "health" } }, "app.healthCheckPath"));
        it("no network", () => rejects({ app: { path: app } }, "network"));
        it("no public subnet", () => rejects({ ...base, network: { vpcId: "vpc-1", publicSubnetIds: [] } }, "network.publicSubnetIds"));
        it("a custom domain (HTTPS) in instance mode, pointing at autoscaling", () =>
            rejects({ ...base, domain: { domainName: "app.example.com", certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x", hostedZoneId: "Z1" } }, "domain", /ACM certificate/));
        it("a bad worker count", () => rejects({ ...base, app: { path: app, instances: 0 } }, "app.instances"));
    });
});
