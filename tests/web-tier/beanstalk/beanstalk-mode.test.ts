import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FAKE_ACCOUNT_ID, Harness, valueOf } from "../../../components/testing";
import { checkContextNames } from "../../../components/internal/component-name";
import { defaultTagContext } from "../../../components/internal/context";
import { standardTags } from "../../../components/internal/tags";
import { resolveWebTierArgs, WebTierArgs } from "../../../components/web-tier/args";
import { BeanstalkSourceBundle, createBeanstalkMode, environmentName, resolveBeanstalk } from "../../../components/web-tier/beanstalk";
import { solutionStackPattern } from "../../../components/web-tier/beanstalk/platform";
import { createInstanceRole } from "../../../components/web-tier/host/instance-role";
import { packInstanceScripts } from "../../../components/web-tier/host/instance-scripts";
import { ModeOutputs } from "../../../components/web-tier/mode";
import { packAppFolder } from "../../../components/web-tier/release/release-archive";
import { publishRelease } from "../../../components/web-tier/release/publish-release";

const T = {
    app: "aws:elasticbeanstalk/application:Application",
    version: "aws:elasticbeanstalk/applicationVersion:ApplicationVersion",
    env: "aws:elasticbeanstalk/environment:Environment",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    record: "aws:route53/record:Record",
};
const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db-AbCdEf";
const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };

/** A stand-in for source-bundle.ts's output: some bytes on disk, labelled by their sha256. */
function fakeBundle(content: string): BeanstalkSourceBundle {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eb-bundle-")), "bundle.zip");
    fs.writeFileSync(file, content);
    const sha256 = crypto.createHash("sha256").update(content).digest("hex");
    return { file, sha256, label: sha256, bytes: Buffer.byteLength(content) };
}

/**
 * What WebTier's index.ts does before it hands over to a mode, with mode
 * `beanstalk` (until the lead wires it): the release, the hosts' role, then
 * createBeanstalkMode.
 */
class BeanstalkProbe extends pulumi.ComponentResource {
    readonly mode: ModeOutputs;
    constructor(name: string, args: WebTierArgs, strategy: string, bundle: BeanstalkSourceBundle) {
        const resolved = resolveWebTierArgs({ ...args, mode: "autoscaling", beanstalk: undefined } as WebTierArgs);
        const beanstalk = resolveBeanstalk(args, strategy, resolved.safety);
        const context = checkContextNames(defaultTagContext(resolved.tagContext));
        const release = packAppFolder(resolved.app.path);
        const scripts = packInstanceScripts();
        super("test:index:BeanstalkProbe", name, {}, {});
        const tags = standardTags(context, "web-tier", resolved.tags);
        const published = publishRelease(name, resolved, { release, scripts }, `/${context.app}/${context.stage}/${name}/release`, tags, this);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const access = createInstanceRole(
            name,
            { bucketName: published.bucketName, keyPrefix: published.keyPrefix, parameterNames: [published.settingsParameterName, ...Object.values(resolved.app.secrets)], secretsManagerArns: [], decryptKeyArns: [], region, tags },
            this,
        );
        this.mode = createBeanstalkMode(name, { ...resolved, beanstalk }, { published, access, region, tags }, this, bundle);
    }
}

describe("WebTier beanstalk mode under the harness", () => {
    let harness: Harness;
    let web: BeanstalkProbe;
    let plain: BeanstalkProbe;
    const bundle = fakeBundle("zip bytes of the app");

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "prod" });
        web = new BeanstalkProbe(
            "web",
            {
                app: { path: "examples/api", environment: { NODE_ENV: "production" }, secrets: { API_KEY: "/shop/prod/api-key" } },
                network,
                domain: { domainName: "api.example.com", aliases: ["www.api.example.com"], certificateArn: CERT_ARN, hostedZoneId: "Z123EXAMPLE" },
                beanstalk: { maxSize: 6, cpuTargetPercent: 90, secrets: { DB_PASSWORD: pulumi.output(DB_SECRET) } },
            } as WebTierArgs,
            "immutable",
            bundle,
        );
        plain = new BeanstalkProbe("plain", { app: { path: "examples/api", nodeVersion: 24 }, network, safety: "development" } as WebTierArgs, "rolling", fakeBundle("other bytes"));
        await harness.settled();
    });

    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));
    const settingOf = (envName: string, namespace: string, name: string) =>
        (inputs(T.env, envName).settings as { namespace: string; name: string; value: string }[]).find((s) => s.namespace === namespace && s.name === name)?.value;

    it("labels the version with the bundle's content hash and uploads the bundle under beanstalk/<label>.zip, both kept on replacement", () => {
        const version = inputs(T.version, "web-version");
        assert.equal(version.name, bundle.sha256);
        assert.equal(version.key, `beanstalk/${bundle.sha256}.zip`);
        const object = harness.get(T.object, "web-bundle");
        assert.equal(harness.inputsOf(object).key, `beanstalk/${bundle.sha256}.zip`);
        assert.equal(object.options.retainOnDelete, true);
        assert.equal(harness.get(T.version, "web-version").options.retainOnDelete, true);
        // The environment and the application are not retained: deleting the web tier deletes them.
        assert.equal(harness.get(T.env, "web-env").options.retainOnDelete, false);
        assert.equal(inputs(T.env, "web-env").version, bundle.sha256);
    });

    it("keeps the last 20 versions and deletes only the old ones' bundles, with the service role", () => {
        const lifecycle = inputs(T.app, "web-app").appversionLifecycle;
        assert.equal(lifecycle.maxCount, 20);
        assert.equal(lifecycle.deleteSourceFromS3, true);
        assert.equal(lifecycle.maxAgeInDays, undefined);
        assert.equal(lifecycle.serviceRole, harness.get(T.role, "web-eb-service").computed!.arn);
    });

    it("runs the newest AL2023 platform of the app's Node.js version, found by a look-up", () => {
        assert.equal(inputs(T.env, "web-env").solutionStackName, "64bit Amazon Linux 2023 v6.10.0 running Node.js 22");
        assert.equal(inputs(T.env, "plain-env").solutionStackName, "64bit Amazon Linux 2023 v6.10.0 running Node.js 24");
    });

    it("names the environment within Beanstalk's 40 characters, stable for the stack", () => {
        const envName = inputs(T.env, "web-env").name;
        assert.match(envName, /^web-[0-9a-f]{7}$/);
        assert.equal(envName, environmentName("web"));
        assert.notEqual(environmentName("web").slice(-7), environmentName("web2").slice(-7));
        const long = environmentName("a".repeat(41));
        assert.ok(long.length <= 40 && long.length >= 4, long);
        assert.equal(harness.get(T.env, "web-env").options.deleteBeforeReplace, true);
    });

    it("finds no platform for a Node.js version AL2023 Beanstalk does not run (the harness answers none)", async () => {
        await assert.rejects(aws.elasticbeanstalk.getSolutionStack({ nameRegex: solutionStackPattern(18), mostRecent: true }), /no matching Elastic Beanstalk solution stack/);
    });

    it("gives the environment the hosts' instance profile, the service role, and the app's group", () => {
        assert.equal(settingOf("web-env", "aws:autoscaling:launchconfiguration", "IamInstanceProfile"), harness.inputsOf(harness.get(T.profile, "web-profile")).name ?? harness.get(T.profile, "web-profile").computed!.name);
        assert.equal(settingOf("web-env", "aws:elasticbeanstalk:environment", "ServiceRole"), harness.get(T.role, "web-eb-service").computed!.name);
        assert.equal(settingOf("web-env", "aws:autoscaling:launchconfiguration", "SecurityGroups"), harness.get(T.sg, "web-app-sg").computed!.id);
        assert.equal(settingOf("web-env", "aws:ec2:vpc", "Subnets"), "subnet-priv-a,subnet-priv-b");
        assert.equal(settingOf("web-env", "aws:elasticbeanstalk:command", "DeploymentPolicy"), "Immutable");
        assert.equal(settingOf("plain-env", "aws:elasticbeanstalk:command", "DeploymentPolicy"), "Rolling");
    });

    it("passes secrets only as ARNs: the parameter name becomes this account's parameter ARN", () => {
        assert.equal(settingOf("web-env", "aws:elasticbeanstalk:application:environmentsecrets", "API_KEY"), `arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:parameter/shop/prod/api-key`);
        assert.equal(settingOf("web-env", "aws:elasticbeanstalk:application:environmentsecrets", "DB_PASSWORD"), DB_SECRET);
        for (const setting of inputs(T.env, "web-env").settings as { namespace: string; value: string }[]) {
            if (setting.namespace === "aws:elasticbeanstalk:application:environmentsecrets") assert.match(setting.value, /^arn:aws:(ssm|secretsmanager):/);
        }
    });

    it("attaches the managed policies: enhanced health and managed updates to the service role, web tier to the hosts' role", () => {
        const attached = (roleName: string) =>
            harness
                .ofType(T.attachment)
                .map((a) => harness.inputsOf(a))
                .filter((a) => a.role === roleName)
                .map((a) => a.policyArn)
                .sort();
        assert.deepEqual(attached(harness.get(T.role, "web-eb-service").computed!.name as string), [
            "arn:aws:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
            "arn:aws:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth",
        ]);
        assert.deepEqual(attached(harness.get(T.role, "web-role").computed!.name as string), ["arn:aws:iam::aws:policy/AWSElasticBeanstalkWebTier"]);
        const trust = JSON.parse(inputs(T.role, "web-eb-service").assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Principal, { Service: "elasticbeanstalk.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "sts:ExternalId": "elasticbeanstalk" } });
    });

    it("lets the hosts read exactly the ARN secrets, and the service role delete only bundles", () => {
        const secrets = JSON.parse(inputs(T.rolePolicy, "web-eb-secrets").policy);
        assert.deepEqual(secrets.Statement, [{ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [DB_SECRET] }]);
        const bundles = JSON.parse(inputs(T.rolePolicy, "web-eb-service-bundles").policy);
        assert.deepEqual(bundles.Statement[0].Action, ["s3:DeleteObject"]);
        assert.match(bundles.Statement[0].Resource[0], /^arn:aws:s3:::.+\/beanstalk\/\*$/);
        assert.equal(harness.ofType(T.rolePolicy).some((p) => p.name === "plain-eb-secrets"), false);
    });

    it("points the domain and its aliases at the environment's CNAME in Beanstalk's hosted zone, and serves https", async () => {
        const cname = harness.get(T.env, "web-env").computed!.cname;
        for (const [record, name] of [["web-dns-a", "api.example.com"], ["web-dns-1-a", "www.api.example.com"]]) {
            const alias = inputs(T.record, record);
            assert.equal(alias.name, name);
            assert.equal(alias.zoneId, "Z123EXAMPLE");
            assert.deepEqual({ ...alias.aliases[0] }, { name: cname, zoneId: "Z2NYPWQ7DFZAZH", evaluateTargetHealth: true });
        }
        assert.equal(await valueOf(web.mode.url), "https://api.example.com");
        assert.equal(settingOf("web-env", "aws:elbv2:listener:443", "SSLCertificateArns"), CERT_ARN);
    });

    it("answers on the environment's own name over HTTP without a domain; the app's group is the output", async () => {
        const cname = harness.get(T.env, "plain-env").computed!.cname;
        assert.equal(await valueOf(plain.mode.url), `http://${cname}`);
        assert.equal(await valueOf(plain.mode.apiOrigin.domainName as pulumi.Output<string>), cname);
        assert.equal(await valueOf(plain.mode.securityGroupId), harness.get(T.sg, "plain-app-sg").computed!.id);
        assert.equal(harness.ofType(T.record).filter((r) => r.name.startsWith("plain-")).length, 0);
    });
});
