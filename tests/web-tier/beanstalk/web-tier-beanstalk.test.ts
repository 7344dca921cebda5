import * as assert from "node:assert/strict";
import { Harness, valueOf } from "../../../components/testing";
import { WebTier } from "../../../components/web-tier";
import { HTTPS_REDIRECT_PATH, httpsRedirectConfig } from "../../../components/web-tier/beanstalk";
import { buildSourceBundle } from "../../../components/web-tier/beanstalk/source-bundle";
import { rejectsArgs } from "../reject-args";

const T = { version: "aws:elasticbeanstalk/applicationVersion:ApplicationVersion", environment: "aws:elasticbeanstalk/environment:Environment", object: "aws:s3/bucketObjectv2:BucketObjectv2" };
const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };
const domain = { domainName: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abcd", hostedZoneId: "Z123EXAMPLE" };

/** WebTier itself in mode beanstalk (the args, the bundle built before any resource, the hand-over), under the harness. */
describe("WebTier (beanstalk mode) through the component", () => {
    let harness: Harness;
    let secure: WebTier;
    let plain: WebTier;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "prod" });
        secure = new WebTier("web", { mode: "beanstalk", app: { path: "examples/api" }, network, domain });
        plain = new WebTier("dev", { mode: "beanstalk", safety: "development", app: { path: "examples/api" }, network: { vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds } });
        await harness.settled();
    });

    it("labels the version with the bundle's content hash, which carries the HTTPS redirect only with a domain", () => {
        const withRedirect = buildSourceBundle("examples/api", { extraFiles: { [HTTPS_REDIRECT_PATH]: httpsRedirectConfig() } });
        const without = buildSourceBundle("examples/api");
        assert.ok(withRedirect.files.includes(HTTPS_REDIRECT_PATH) && !without.files.includes(HTTPS_REDIRECT_PATH));
        assert.notEqual(withRedirect.label, without.label);
        assert.equal(harness.inputsOf(harness.get(T.version, "web-version")).name, withRedirect.label);
        assert.equal(harness.inputsOf(harness.get(T.version, "dev-version")).name, without.label);
        assert.equal(harness.inputsOf(harness.get(T.object, "web-bundle")).key, `beanstalk/${withRedirect.label}.zip`);
    });

    it("deploys immutably by default, in production and in development alike", () => {
        const policy = (name: string) =>
            (harness.inputsOf(harness.get(T.environment, name)).settings as { namespace: string; name: string; value: string }[]).find((s) => s.name === "DeploymentPolicy")?.value;
        assert.equal(policy("web-env"), "Immutable");
        assert.equal(policy("dev-env"), "Immutable");
    });

    it("gives the same core outputs as the other modes", async () => {
        assert.equal(await valueOf(secure.url), "https://api.example.com");
        assert.match(await valueOf(plain.url), /^http:\/\/.+\.elasticbeanstalk\.com$/);
        assert.equal(await valueOf(secure.releaseSha256), await valueOf(plain.releaseSha256));
        assert.ok((await valueOf(secure.securityGroupId)).length > 0);
        assert.ok((await valueOf(secure.roleName)).length > 0);
    });
});

describe("WebTier beanstalk args through resolveWebTierArgs: refused before any resource, naming the arg", () => {
    const beanstalk = { mode: "beanstalk", app: { path: "examples/api" }, network };
    const cases: Array<[string, unknown, string]> = [
        ["beanstalk settings in autoscaling mode", { ...beanstalk, mode: "autoscaling", beanstalk: { minSize: 2 } }, "beanstalk"],
        ["traffic splitting in autoscaling mode", { ...beanstalk, mode: "autoscaling", deploy: { trafficSplitting: { percent: 10 } } }, "deploy.trafficSplitting"],
        ["autoscaling settings in beanstalk mode", { ...beanstalk, autoscaling: { minSize: 2 } }, "autoscaling"],
        ["a watch window in beanstalk mode", { ...beanstalk, deploy: { watchSeconds: 30 } }, "deploy.watchSeconds"],
        ["an Elastic IP in beanstalk mode", { ...beanstalk, instance: { elasticIp: true } }, "instance.elasticIp"],
        ["blue-green in beanstalk mode", { ...beanstalk, deploy: { strategy: "blue-green" } }, "deploy.strategy"],
        ["in-place in beanstalk mode", { ...beanstalk, deploy: { strategy: "in-place" } }, "deploy.strategy"],
        ["all-at-once in production", { ...beanstalk, deploy: { strategy: "all-at-once" } }, "deploy.strategy"],
        ["one public subnet (the load balancer needs two AZs)", { ...beanstalk, network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"] } }, "network.publicSubnetIds"],
    ];
    for (const [label, args, setting] of cases) {
        it(label, () => {
            rejectsArgs(args, setting);
        });
    }
});
