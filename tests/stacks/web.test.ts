import * as assert from "node:assert/strict";
import { onePlanned, planRejection } from "./plan-queries";
import { fakePrefixListId } from "../../components/testing";
import { PlanDocument, planStage } from "../../stacks/plan/plan-document";

const WEB = "webstack:index:WebTier";

const one = onePlanned;

const rejection = planRejection;

/** The real stage files, run through the program: the web tier each stage gets. */
describe("stage files: the web tier", () => {
    // behindCloudFront: the stage's site is served by CloudFront (dev uses S3 website hosting).
    // staging and prod run Beanstalk (layout paas); named instance mode (a config change) they get the instance, prod's with an Elastic IP.
    const expected = {
        dev: { type: "t4g.small", elasticIp: false, behindCloudFront: false, overrides: [] },
        staging: { type: "t4g.small", elasticIp: false, behindCloudFront: true, overrides: ["webstack:web.mode=instance"] },
        prod: { type: "t4g.small", elasticIp: true, behindCloudFront: true, overrides: ["webstack:web.mode=instance", "webstack:web.instance.elasticIp=true"] },
    } as const;

    for (const [stage, want] of Object.entries(expected)) {
        describe(want.overrides.length ? `${stage} (${want.overrides.join(" ")})` : stage, () => {
            let plan: PlanDocument;
            before(async () => {
                plan = await planStage({ stage, overrides: [...want.overrides] });
            });

            it("has one instance-mode WebTier named after the stage, after the database", () => {
                const webs = plan.resources.filter((r) => r.type === WEB);
                assert.deepEqual(webs.map((r) => r.name), [`${stage}-web`]);
                const order = plan.resources.map((r) => r.name);
                assert.ok(order.indexOf(`${stage}-db`) < order.indexOf(`${stage}-web`), "the database part runs first");
                const instance = one(plan, "aws:ec2/instance:Instance", `${stage}-web-instance`);
                assert.equal(instance.parent, `${stage}-web`);
                assert.equal(instance.inputs.instanceType, want.type);
                assert.equal((instance.inputs.metadataOptions as { httpTokens: string }).httpTokens, "required");
                assert.equal((instance.inputs.rootBlockDevice as { encrypted: boolean }).encrypted, true);
            });

            it("puts the instance in a public subnet of the stage's VPC", () => {
                const instance = one(plan, "aws:ec2/instance:Instance", `${stage}-web-instance`);
                assert.equal(instance.inputs.subnetId, (plan.outputs.publicSubnetIds as string[])[0]);
                assert.equal(one(plan, "aws:ec2/securityGroup:SecurityGroup", `${stage}-web-sg`).inputs.vpcId, plan.outputs.vpcId);
            });

            it("joins the database's client group and may read exactly the database password secret", () => {
                const groups = one(plan, "aws:ec2/instance:Instance", `${stage}-web-instance`).inputs.vpcSecurityGroupIds as string[];
                assert.deepEqual(groups, [plan.outputs.webSecurityGroupId, plan.outputs.databaseClientSecurityGroupId]);
                const policy = JSON.parse(one(plan, "aws:iam/rolePolicy:RolePolicy", `${stage}-web-access`).inputs.policy as string);
                const secrets = policy.Statement.find((s: { Sid: string }) => s.Sid === "ReadAppSecrets");
                assert.deepEqual(secrets.Resource, [plan.outputs.databasePasswordSecretArn]);
            });

            it("opens HTTP only: no SSH rule in any stage file", () => {
                const rules = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.parent === `${stage}-web-sg`);
                assert.deepEqual(rules.map((r) => r.inputs.fromPort), [80]);
            });

            it(
                want.behindCloudFront
                    ? "site on CloudFront: the web tier's HTTP port is open only to CloudFront's origin-facing prefix list"
                    : "site on S3 website hosting: the web tier's HTTP port is open to the world",
                () => {
                    const http = one(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${stage}-web-http`).inputs;
                    if (want.behindCloudFront) {
                        assert.equal(http.prefixListId, fakePrefixListId(plan.region, "com.amazonaws.global.cloudfront.origin-facing"));
                        assert.equal(http.cidrIpv4, undefined);
                        assert.equal(http.cidrIpv6, undefined);
                    } else {
                        assert.equal(http.cidrIpv4, "0.0.0.0/0");
                        assert.equal(http.prefixListId, undefined);
                    }
                },
            );

            it("exports the web tier's public DNS name as webApiOrigin (what CloudFront's API origin points at)", () => {
                assert.match(String(plan.outputs.webApiOrigin), /^ec2-\d+-\d+-\d+-\d+\.(compute-1|[a-z0-9-]+\.compute)\.amazonaws\.com$/);
                // The same address as webPublicIp (the Elastic IP's in prod).
                const address = String(plan.outputs.webPublicIp);
                assert.ok(String(plan.outputs.webApiOrigin).startsWith(`ec2-${address.replace(/\./g, "-")}.`), `${plan.outputs.webApiOrigin} names ${address}`);
            });

            it(want.elasticIp ? "has an Elastic IP" : "has no Elastic IP", () => {
                const eips = plan.resources.filter((r) => r.type === "aws:ec2/eip:Eip" && r.parent === `${stage}-web`);
                assert.equal(eips.length, want.elasticIp ? 1 : 0);
                assert.match(String(plan.outputs.webUrl), /^http:\/\/\d+\.\d+\.\d+\.\d+$/);
            });
        });
    }

    describe("config errors", () => {
        it("a mode that does not exist is a clear error naming webstack:web.mode", async () => {
            const error = await rejection("dev", ["webstack:web.mode=kubernetes"]);
            assert.equal(error.setting, "webstack:web.mode");
        });

        it("all-at-once deploys are refused in production", async () => {
            const error = await rejection("prod", ["webstack:web.deploy.strategy=all-at-once"]);
            assert.equal(error.setting, "webstack:web.deploy.strategy");
            // ...but allowed in dev.
            const dev = await planStage({ stage: "dev", overrides: ["webstack:web.deploy.strategy=all-at-once"] });
            assert.equal(dev.resources.filter((r) => r.type === WEB).length, 1);
        });

        it("deploy.watchSeconds reaches the web tier (its deploy step waits that much longer); out of range it names the stage key", async () => {
            // The release settings are a secret in the plan (the stage passes a secret environment value): the deploy document shows the window.
            const stepTimeout = async (overrides: string[]) => {
                const plan = await planStage({ stage: "dev", overrides });
                return Number(JSON.parse(one(plan, "aws:ssm/document:Document", "dev-web-deploy").inputs.content as string).mainSteps[0].inputs.timeoutSeconds);
            };
            assert.equal((await stepTimeout(["webstack:web.deploy.watchSeconds=90"])) - (await stepTimeout([])), 90 - 30);
            const error = await rejection("dev", ["webstack:web.deploy.watchSeconds=601"]);
            assert.equal(error.setting, "webstack:web.deploy.watchSeconds");
        });

        it("a component rule is reported as the stage key the user wrote", async () => {
            const error = await rejection("dev", ["webstack:web.app.port=80"]);
            assert.equal(error.setting, "webstack:web.app.port");
            const ssh = await rejection("dev", ['webstack:web.sshAllowedCidrs=["0.0.0.0/0"]']);
            assert.equal(ssh.setting, "webstack:web.sshAllowedCidrs");
        });

        it("a Node.js version AL2023 does not package names the versions it does", async () => {
            const error = await rejection("dev", ["webstack:web.app.nodeVersion=18"]);
            assert.equal(error.setting, "webstack:web.app.nodeVersion");
            assert.equal(error.fix, "use one of 20, 22, 24");
        });

        it("an unknown key under webstack:web is an error", async () => {
            const error = await rejection("dev", ["webstack:web.instanceSize=big"]);
            assert.equal(error.setting, "webstack:web.instanceSize");
        });

        it("behind CloudFront, more SSH blocks than the security group has room for beside the prefix list is a stage error", async () => {
            const six = JSON.stringify([1, 2, 3, 4, 5, 6].map((n) => `203.0.113.${n}/32`));
            const error = await rejection("staging", [`webstack:web.sshAllowedCidrs=${six}`]);
            assert.equal(error.setting, "webstack:web.sshAllowedCidrs");
            assert.match(error.message, /prefix list/);
            // dev's site is not on CloudFront, so its HTTP rule is one rule and six blocks fit.
            const dev = await planStage({ stage: "dev", overrides: [`webstack:web.sshAllowedCidrs=${six}`] });
            assert.equal(dev.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.parent === "dev-web-sg").length, 7);
        });

        it("dev with its site moved to CloudFront puts its web tier behind CloudFront too", async () => {
            const plan = await planStage({ stage: "dev", overrides: ["webstack:site.hosting=cloudfront"] });
            const http = one(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "dev-web-http").inputs;
            assert.equal(http.prefixListId, fakePrefixListId(plan.region, "com.amazonaws.global.cloudfront.origin-facing"));
        });

        it("SSH from listed blocks adds exactly those rules", async () => {
            const plan = await planStage({ stage: "dev", overrides: ['webstack:web.sshAllowedCidrs=["203.0.113.7/32"]'] });
            const rules = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.parent === "dev-web-sg");
            assert.deepEqual(rules.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]), [[80, "0.0.0.0/0"], [22, "203.0.113.7/32"]]);
        });
    });
});
