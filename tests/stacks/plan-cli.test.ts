import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { PlanDocument } from "../../stacks/plan/plan-document";

const root = path.resolve(__dirname, "..", "..");

/** Runs the plan CLI exactly as `npm run plan -- <args>` does. */
function plan(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "stacks/plan/cli.ts", ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan", () => {
    for (const stage of ["dev", "staging", "prod"]) {
        it(`prints the ${stage} tree and exits 0`, () => {
            // staging and prod run Beanstalk, whose load balancer's group is Beanstalk's: the rules below are the IaaS tiers'.
            const iaasWeb = stage === "dev" ? [] : ["--config", `webstack:web.mode=${stage === "prod" ? "autoscaling" : "instance"}`];
            const result = plan(stage, ...iaasWeb);
            assert.equal(result.code, 0, result.stderr);
            assert.match(result.stdout, new RegExp(`^Stage ${stage}: layout (iaas|paas)`, "m"));
            assert.match(result.stdout, new RegExp(`aws:ec2/vpc:Vpc  ${stage}-vpc  cidrBlock=`));
            // Values AWS computes at deploy time are marked: the plan shows stand-ins.
            assert.match(result.stdout, new RegExp(`aws:ec2/route:Route  ${stage}-vpc-public-internet  destinationCidrBlock=0\\.0\\.0\\.0/0  gatewayId=igw-[0-9a-f]{17} \\(computed\\)`));
            assert.match(result.stdout, /^ {2}vpcId: vpc-[0-9a-f]{17} \(computed\)$/m);
            assert.match(result.stdout, /^ {2}stage: \w+$/m, "a value from the stage file is not marked");
            assert.match(result.stdout, /^Outputs:$/m);
            // Who may reach the web tier is visible: CloudFront's prefix list behind a CloudFront site (staging's instance on 80,
            // prod's ALB on 443), the world otherwise (dev).
            const rule = stage === "prod" ? "prod-web-alb-in-443  ipProtocol=tcp  fromPort=443  toPort=443" : `${stage}-web-http  ipProtocol=tcp  fromPort=80  toPort=80`;
            const http = new RegExp(`SecurityGroupIngressRule  ${rule}  (prefixListId=pl-[0-9a-f]{8}|cidrIpv4=0\\.0\\.0\\.0/0)`).exec(result.stdout);
            assert.equal(http?.[1].startsWith("prefixListId"), stage !== "dev", http?.[0]);
        });
    }

    it("prints one parseable JSON document with --json: the VPC, its 3 NAT gateways, its subnets and the RDS instance's subnet group", () => {
        const result = plan("prod", "--json");
        assert.equal(result.code, 0, result.stderr);
        const document = JSON.parse(result.stdout) as PlanDocument;
        assert.equal(document.stage, "prod");
        const ofType = (type: string) => document.resources.filter((r) => r.type === type);
        const [vpc] = ofType("aws:ec2/vpc:Vpc");
        assert.equal(vpc.name, "prod-vpc");
        assert.equal(vpc.parent, null);
        assert.ok("provider" in vpc && "inputs" in vpc);
        assert.equal(typeof document.outputs.vpcId, "string");
        assert.equal(ofType("aws:ec2/natGateway:NatGateway").length, 3);
        assert.equal(ofType("aws:ec2/subnet:Subnet").length, 6);
        const [instance] = ofType("aws:rds/instance:Instance");
        const [subnetGroup] = ofType("aws:rds/subnetGroup:SubnetGroup");
        assert.match(String(instance.inputs.dbSubnetGroupName), /^prod-db-subnets-[0-9a-f]{7}$/);
        assert.equal(instance.inputs.dbSubnetGroupName, subnetGroup.outputs?.name, "the instance names the group's auto-name");
        assert.ok(instance.computed?.includes("dbSubnetGroupName"), "and the plan says AWS-side naming made it");
        assert.ok(!instance.computed?.includes("engine"), "the engine is the stage's own setting");
        assert.ok(document.computedOutputs?.includes("vpcId"));
    });

    it("writes the whole JSON document into a pipe whose reader is slower than the plan (awscheck reads it from stdin)", () => {
        // A pipe holds 64 KiB; the process must not exit before the rest is read.
        const result = spawnSync("bash", ["-c", `"${process.execPath}" -r ts-node/register/transpile-only stacks/plan/cli.ts prod --json | (sleep 2; cat)`], {
            cwd: root,
            encoding: "utf8",
            timeout: 120_000,
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(result.stdout.length > 65_536, `a prod plan is larger than a pipe's buffer (${result.stdout.length} bytes)`);
        assert.equal((JSON.parse(result.stdout) as PlanDocument).stage, "prod");
    });

    it("applies --config overrides, and the JSON shows each resource's replacement options", () => {
        const document = JSON.parse(plan("prod", "--json", "--config", "webstack:layout=iaas").stdout) as PlanDocument;
        assert.equal(document.layout, "iaas");
        const named = (name: string) => document.resources.find((r) => r.name === name);
        // The EC2 database is replaced delete-first (its data volume attaches to one instance at a time) and kept on destroy in prod.
        assert.deepEqual([named("prod-db-instance")?.deleteBeforeReplace, named("prod-db-data-attachment")?.deleteBeforeReplace], [true, true]);
        assert.equal(named("prod-db-data")?.retainOnDelete, true);
        // prod's web tier is the fleet in either layout: the plan shows the group and the listeners with their inputs.
        assert.equal(named("prod-web-instance"), undefined);
        assert.equal(named("prod-web-fleet")?.inputs.healthCheckType, "ELB");
        assert.equal(named("prod-web-https")?.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.equal((named("prod-web-tg")?.inputs.healthCheck as { path?: string } | undefined)?.path, "/health");
    });

    it("exits non-zero naming webstack:layout for a bogus layout", () => {
        const result = plan("dev", "--config", "webstack:layout=bogus");
        assert.equal(result.code, 1);
        assert.match(result.stderr, /webstack:layout = "bogus"/);
        assert.match(result.stderr, /"iaas", "paas"/);
        assert.equal(result.stdout, "", "nothing is planned");
    });

    it("names the stages that exist when the stage file is missing", () => {
        const result = plan("qa");
        assert.equal(result.code, 1);
        assert.match(result.stderr, /Pulumi\.qa\.yaml/);
        assert.match(result.stderr, /dev, prod, staging/);
    });

    it("exits 2 with the usage on a bad option", () => {
        const result = plan("dev", "--frobnicate");
        assert.equal(result.code, 2);
        assert.match(result.stderr, /Usage: npm run plan/);
    });
});

describe("npm run plan -- <stage> --policy", () => {
    it("prints the checklist verdict and exits 0 when no row is broken", () => {
        const result = plan("staging", "--policy");
        assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /^Production checklist .*non-production/m);
        assert.match(result.stdout, /^ {2}no violations$/m);
    });

    it("exits 1 and names the row, the resource, the problem and the change when a row is broken", () => {
        // A non-production stage's SSH from anywhere (row 26 is never relaxed).
        const result = plan("dev", "--policy", "--config", "webstack:web.sshAllowedCidrs=[\"0.0.0.0/1\",\"128.0.0.0/1\"]", "--config", "webstack:web.allowSshFromAnywhere=true");
        assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /^ {2}VIOLATION #26 dev-web-ssh\S*: port 22 is open to the whole internet.*\n {12}change: no SSH or RDP from the internet/m);
        assert.match(result.stdout, /violation\(s\): fix them or document a waiver$/m);
    });

    it("passes prod as its stage file stands (exit 0, no violation)", () => {
        const result = plan("prod", "--policy");
        assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /^Production checklist .*production: every row mandatory/m);
        assert.doesNotMatch(result.stdout, /^ {2}VIOLATION/m);
        assert.match(result.stdout, /^ {2}no violations$/m);
    });

    it("exits 1 on a prod plan with one unsafe override, naming the row and the resource", () => {
        // IAM database authentication off passes the stage schema but breaks row 38 in production.
        const result = plan("prod", "--policy", "--config", "webstack:database.iamAuthentication=false");
        assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
        const violations = result.stdout.split("\n").filter((line) => line.startsWith("  VIOLATION"));
        assert.deepEqual(violations.map((line) => /#(\d+) (\S+):/.exec(line)?.slice(1, 3)), [["38", "prod-db-instance"]], violations.join("\n"));
        assert.match(result.stdout, /VIOLATION #38 prod-db-instance: iamDatabaseAuthenticationEnabled is not true\n {12}change: IAM database authentication on/);
    });

    it("exits 1 before planning when the override is one the production preset refuses (1 day of backups)", () => {
        // The stage schema stops it first (nothing is planned); row 36 would be the checklist's answer.
        const result = plan("prod", "--policy", "--config", "webstack:database.backupRetentionDays=1");
        assert.equal(result.code, 1);
        assert.match(result.stderr, /webstack:database\.backupRetentionDays = 1/);
        assert.equal(result.stdout, "");
    });

    it("reports relaxed rows outside production as advisories that do not fail the stage", () => {
        const result = plan("dev", "--policy", "--json");
        assert.equal(result.code, 0, result.stderr);
        const document = JSON.parse(result.stdout) as { checklist: { findings: { rule: number; status: string }[]; violations: number } };
        const advisories = document.checklist.findings.filter((finding) => finding.status === "advisory").map((finding) => finding.rule);
        // dev's buckets keep no versions and no access logs: rows 5 and 6, relaxed outside production (dev column "relax").
        assert.deepEqual([...new Set(advisories)].sort(), [5, 6]);
        assert.equal(document.checklist.violations, 0);
    });

    it("adds the verdict to the JSON document", () => {
        const result = plan("prod", "--json", "--policy");
        const document = JSON.parse(result.stdout) as { checklist: { evaluated: number[]; violations: number } };
        assert.ok(document.checklist.evaluated.includes(35), "a production plan evaluates the Multi-AZ row");
        assert.equal(document.checklist.violations === 0, result.code === 0);
    });
});
