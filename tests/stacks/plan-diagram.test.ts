import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../components/internal/errors";
import { PlanDocument, PlannedResource, planStage } from "../../stacks/plan/plan-document";
import { toDot } from "../../stacks/plan/diagram/dot";
import { toMermaid } from "../../stacks/plan/diagram/mermaid";
import { PICTURED_STAGES, picturePath } from "../../stacks/plan/diagram/stage-pictures";
import { buildStageGraph, INTERNET_ID, StageGraph } from "../../stacks/plan/diagram/stage-graph";
import { renderSvg } from "../../stacks/plan/diagram/svg";
import { checkDiagramFile, renderDiagram } from "../../stacks/plan/diagram/write-diagram";
import { allElements, parseXml, textOf } from "./xml";

/** A planned resource for hand-made plans: a custom resource unless `component`. */
function planned(type: string, name: string, inputs: Record<string, unknown> = {}, outputs: Record<string, unknown> = {}, parent: string | null = null): PlannedResource {
    const component = type.startsWith("webstack:");
    return {
        type,
        name,
        parent,
        provider: component ? null : { name: "default", region: "eu-west-1" },
        protect: false,
        deleteBeforeReplace: false,
        retainOnDelete: false,
        inputs,
        outputs,
    };
}

function plan(resources: PlannedResource[], stage = "test"): PlanDocument {
    return { stage, layout: "iaas", region: "eu-west-1", resources, outputs: {} };
}

/** The edges as "from -> to" of the nodes standing for the named resources ("internet" for the internet). */
function links(graph: StageGraph): string[] {
    const nameOf = (id: string) => (id === INTERNET_ID ? "internet" : graph.nodes.find((n) => n.id === id)?.resources.join("+"));
    return graph.edges.map((e) => `${nameOf(e.from)} -> ${nameOf(e.to)}`);
}

describe("stage picture: the graph model", () => {
    it("follows a CloudFront origin through the Route 53 alias that publishes it to the load balancer, not to a certificate that also lists the name", () => {
        const graphInputs = [
                planned("webstack:index:WebTier", "t-web"),
                // Registered first, and its outputs repeat the name it was given: it must not win.
                planned("aws:acm/certificate:Certificate", "t-cert", { domainName: "origin.example.com" }, { arn: "arn:cert-1234", domainValidationOptions: [{ domainName: "origin.example.com" }] }),
                planned("aws:lb/loadBalancer:LoadBalancer", "t-web-alb", {}, { arn: "arn:lb-123456", dnsName: "t-web-alb-123.elb.amazonaws.com" }, "t-web"),
                planned("aws:route53/record:Record", "t-web-alias", { name: "origin.example.com", aliases: [{ name: "t-web-alb-123.elb.amazonaws.com" }] }, {}, "t-web"),
                planned("aws:s3/bucket:Bucket", "t-bucket", {}, { bucketRegionalDomainName: "t-bucket-1234.s3.eu-west-1.amazonaws.com" }),
                planned("aws:cloudfront/distribution:Distribution", "t-cdn", {
                    origins: [
                        { originId: "site", domainName: "t-bucket-1234.s3.eu-west-1.amazonaws.com" },
                        { originId: "api", domainName: "origin.example.com" },
                    ],
                }),
        ];
        const graph = buildStageGraph(plan(graphInputs));
        const found = links(graph);
        assert.ok(found.includes("internet -> t-cdn"), found.join("; "));
        assert.ok(found.includes("t-cdn -> t-bucket"), found.join("; "));
        assert.ok(found.includes("t-cdn -> t-web-alb"), found.join("; "));
        assert.ok(!found.some((l) => l.startsWith("t-cdn -> t-cert")), found.join("; "));
        assert.ok(found.includes("t-web-alias -> t-web-alb"), "the alias record points at the load balancer");
        // Without the record, the name leads nowhere: a name a resource was given is not one it serves.
        const withoutRecord = links(buildStageGraph(plan(graphInputs.filter((r) => r.name !== "t-web-alias"))));
        assert.ok(!withoutRecord.some((l) => l.includes("t-cert")), withoutRecord.join("; "));
    });

    it("draws the internet reaching what a security group opens to the world, and the app reaching the database through the database's rule for the app's group (a launch template stands for its fleet)", () => {
        const graph = buildStageGraph(
            plan([
                planned("aws:ec2/securityGroup:SecurityGroup", "t-web-sg", {}, { id: "sg-web-0001" }),
                planned("aws:ec2/securityGroup:SecurityGroup", "t-db-sg", {}, { id: "sg-db-00001" }),
                planned("aws:ec2/securityGroup:SecurityGroup", "t-clients", {}, { id: "sg-clients-1" }),
                planned("aws:ec2/securityGroup:SecurityGroup", "t-admin-sg", {}, { id: "sg-admin-01" }),
                planned("aws:ec2/instance:Instance", "t-web-1", { vpcSecurityGroupIds: ["sg-web-0001", "sg-clients-1"] }),
                planned("aws:ec2/launchTemplate:LaunchTemplate", "t-lt", { networkInterfaces: [{ securityGroups: ["sg-clients-1"] }] }, { id: "lt-00000001" }),
                planned("aws:autoscaling/group:Group", "t-fleet", { launchTemplate: { id: "lt-00000001" }, minSize: 2, maxSize: 4 }),
                planned("aws:ec2/instance:Instance", "t-admin", { vpcSecurityGroupIds: ["sg-admin-01"] }),
                planned("aws:rds/instance:Instance", "t-db", { vpcSecurityGroupIds: ["sg-db-00001"] }),
                planned("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "t-web-http", { securityGroupId: "sg-web-0001", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 80, toPort: 80 }),
                planned("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "t-db-in", { securityGroupId: "sg-db-00001", referencedSecurityGroupId: "sg-clients-1", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }),
            ]),
        );
        const found = links(graph);
        assert.ok(found.includes("internet -> t-web-1"), found.join("; "));
        assert.ok(found.includes("t-web-1 -> t-db"), found.join("; "));
        assert.ok(found.includes("t-fleet -> t-db"), found.join("; "));
        assert.equal(graph.edges.find((e) => e.label === "tcp :5432")?.link, "request");
        // A server in no rule's group reaches nothing, and the world reaches only the opened group.
        assert.ok(!found.some((l) => l.includes("t-admin")), found.join("; "));
        assert.equal(found.filter((l) => l.startsWith("internet")).length, 1, found.join("; "));
    });

    it("draws a Beanstalk environment even on no path, and reaching the database through a group its settings list comma-separated", () => {
        const resources = [
            planned("aws:ec2/securityGroup:SecurityGroup", "t-clients", {}, { id: "sg-clients-1" }),
            planned("aws:ec2/securityGroup:SecurityGroup", "t-db-sg", {}, { id: "sg-db-00001" }),
            planned("aws:elasticbeanstalk/application:Application", "t-app"),
            planned("aws:elasticbeanstalk/environment:Environment", "t-env", {
                settings: [{ namespace: "aws:autoscaling:launchconfiguration", name: "SecurityGroups", value: "sg-web-0001,sg-clients-1" }],
            }),
            planned("aws:rds/instance:Instance", "t-db", { vpcSecurityGroupIds: ["sg-db-00001"] }),
        ];
        const alone = buildStageGraph(plan(resources));
        assert.equal(alone.nodes.find((n) => n.resources.includes("t-env"))?.label[0], "Beanstalk environment");
        assert.equal(alone.nodes.find((n) => n.resources.includes("t-app"))?.kind.id, "summary", "the application is what a deploy uploads, not a server");
        const rule = planned("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "t-db-in", { securityGroupId: "sg-db-00001", referencedSecurityGroupId: "sg-clients-1", fromPort: 5432, toPort: 5432 });
        assert.deepEqual(links(buildStageGraph(plan([...resources, rule]))), ["t-env -> t-db"]);
    });

    it("draws certificates serving CloudFront and the HTTPS listener's load balancer, a WAF in front, and the record that validates a certificate", () => {
        const graph = buildStageGraph(
            plan([
                planned("aws:acm/certificate:Certificate", "t-cert-cf", {}, { arn: "arn:cert-cf-1" }),
                planned("aws:acm/certificate:Certificate", "t-cert-lb", {}, { arn: "arn:cert-lb-1" }),
                planned("aws:acm/certificateValidation:CertificateValidation", "t-cert-cf-validation", { certificateArn: "arn:cert-cf-1" }),
                planned("aws:wafv2/webAcl:WebAcl", "t-waf", {}, { arn: "arn:waf-00001" }),
                planned("aws:cloudfront/distribution:Distribution", "t-cdn", { viewerCertificate: { acmCertificateArn: "arn:cert-cf-1" }, webAclId: "arn:waf-00001" }),
                planned("aws:lb/loadBalancer:LoadBalancer", "t-alb", {}, { arn: "arn:lb-000001" }),
                planned("aws:lb/listener:Listener", "t-https", { loadBalancerArn: "arn:lb-000001", certificateArn: "arn:cert-lb-1", port: 443, protocol: "HTTPS", defaultActions: [] }),
            ]),
        );
        const byLink = (link: string) => graph.edges.filter((e) => e.link === link).length;
        const found = links(graph);
        assert.ok(found.includes("t-cert-cf -> t-cdn") && found.includes("t-cert-lb -> t-alb"), found.join("; "));
        assert.ok(found.includes("t-waf -> t-cdn"), found.join("; "));
        assert.ok(found.includes("t-cert-cf-validation -> t-cert-cf"), found.join("; "));
        assert.deepEqual([byLink("tls"), byLink("protects"), byLink("dns")], [2, 1, 1]);
    });

    it("groups resources by component and counts every resource once: shown ones by name, the rest by kind in a summary", () => {
        const resources = [
            planned("webstack:index:StaticSite", "t-site"),
            planned("aws:s3/bucket:Bucket", "t-site-bucket", {}, {}, "t-site"),
            planned("aws:s3/bucketPolicy:BucketPolicy", "t-site-policy", {}, {}, "t-site-bucket"),
            planned("aws:s3/bucketVersioning:BucketVersioning", "t-site-versioning", {}, {}, "t-site"),
            planned("aws:iam/role:Role", "t-site-role", {}, {}, "t-site"),
            planned("aws:somethingnew/thing:Thing", "t-site-thing", {}, {}, "t-site"),
            planned("aws:ec2/vpc:Vpc", "t-vpc"),
            { ...planned("pulumi:providers:aws", "t-us-east-1"), provider: null },
        ];
        const graph = buildStageGraph(plan(resources));
        const drawn = graph.nodes.flatMap((n) => n.resources).sort();
        // Every resource once; the component itself is the group, the provider no resource.
        assert.deepEqual(drawn, ["t-site-bucket", "t-site-policy", "t-site-role", "t-site-thing", "t-site-versioning", "t-vpc"]);
        assert.deepEqual(graph.groups.map((g) => g.label), ["StaticSite t-site", "Stage test: network and shared resources"]);
        const summary = graph.nodes.find((n) => n.group === graph.groups[0].id && n.kind.id === "summary");
        // The bucket is on no request path here: counted in the summary, not drawn apart.
        assert.deepEqual(summary?.label, ["+ 5 resources:", "S3 bucket ×1, IAM ×1", "bucket settings ×2, other ×1"]);
        assert.equal(graph.nodes.find((n) => n.resources.includes("t-site-policy"))?.group, graph.groups[0].id, "a resource under a resource under the component is in the component's group");
        // Once the internet reaches it (website hosting), the bucket is drawn on its own, named.
        const website = planned("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "t-site-website", { bucket: "t-site-bucket-123" }, {}, "t-site");
        const hosted = buildStageGraph(plan([...resources.map((r) => (r.name === "t-site-bucket" ? { ...r, outputs: { bucket: "t-site-bucket-123" } } : r)), website]));
        const bucket = hosted.nodes.find((n) => n.resources.includes("t-site-bucket"));
        assert.deepEqual(bucket?.label, ["S3 bucket", "t-site-bucket"]);
        assert.deepEqual(links(hosted), ["internet -> t-site-bucket"]);
    });

    it("draws the same nodes, groups and edges in DOT and Mermaid (one model, two renderers)", () => {
        const graph = buildStageGraph(
            plan([
                planned("webstack:index:WebTier", "t-web"),
                planned("aws:ec2/securityGroup:SecurityGroup", "t-web-sg", {}, { id: "sg-web-0001" }, "t-web"),
                planned("aws:ec2/instance:Instance", "t-web-1", { vpcSecurityGroupIds: ["sg-web-0001"], instanceType: "t4g.small" }, {}, "t-web"),
                planned("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "t-web-http", { securityGroupId: "sg-web-0001", cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }, {}, "t-web"),
            ]),
        );
        const dot = toDot(graph);
        const mermaid = toMermaid(graph);
        const dotEdges = [...dot.matchAll(/^ {2}(\w+) -> (\w+) /gm)].map((m) => `${m[1]}>${m[2]}`);
        const mermaidEdges = [...mermaid.matchAll(/^ {2}(\w+) (?:==>|-\.->)\|[^|]*\| (\w+)$/gm)].map((m) => `${m[1]}>${m[2]}`);
        assert.deepEqual(mermaidEdges, dotEdges);
        assert.deepEqual(dotEdges, graph.edges.map((e) => `${e.from}>${e.to}`));
        assert.ok(dotEdges.length > 0);
        for (const node of graph.nodes) {
            assert.match(dot, new RegExp(`^ +${node.id} \\[label=`, "m"));
            assert.match(mermaid, new RegExp(`^ +${node.id}[\\[{(]`, "m"));
        }
        for (const group of graph.groups) {
            assert.ok(dot.includes(`subgraph cluster_${group.id} {`) && dot.includes(`label="${group.label}"`));
            assert.ok(mermaid.includes(`subgraph ${group.id}["${group.label}"]`));
        }
        assert.match(mermaid, /^```mermaid\n[\s\S]*\n```\n$/);
    });

    it("rejects a picture file that is neither .svg nor .md before planning, naming --diagram and the fix", () => {
        assert.throws(() => checkDiagramFile("stage.png"), (error: unknown) => error instanceof ConfigError && /--diagram/.test(error.message) && /stage\.png/.test(error.message) && /\.svg/.test(error.message));
        assert.doesNotThrow(() => checkDiagramFile("docs/x.SVG"));
        assert.doesNotThrow(() => checkDiagramFile("x.md"));
    });
});

describe("stage picture: the stages", function () {
    this.timeout(300_000);
    const plans = new Map<string, PlanDocument>();
    before(async () => {
        for (const stage of ["dev", "prod"]) plans.set(stage, await planStage({ stage }));
    });
    const stagePlan = (stage: string) => plans.get(stage) as PlanDocument;

    it("dev: the internet reaches the S3 website bucket and the web instance, which reaches the database on its port", () => {
        const found = links(buildStageGraph(stagePlan("dev")));
        assert.ok(found.includes("internet -> dev-site-bucket"), found.join("; "));
        assert.ok(found.includes("internet -> dev-web-instance"), found.join("; "));
        assert.ok(found.includes("dev-web-instance -> dev-db-instance"), found.join("; "));
        assert.ok(!found.some((l) => l.startsWith("internet -> dev-db")), "the database is not open to the world");
    });

    it("prod: internet → CloudFront → site bucket, CloudFront → Beanstalk environment → RDS; certificates, WAFs and DNS links", () => {
        const graph = buildStageGraph(stagePlan("prod"));
        const found = links(graph);
        for (const link of [
            "internet -> prod-site-cdn",
            "prod-site-cdn -> prod-site-bucket",
            "prod-site-cdn -> prod-web-env",
            "prod-web-env -> prod-db-instance",
            "prod-dns-cert-cloudfront -> prod-site-cdn",
            "prod-site-waf -> prod-site-cdn",
            "prod-web-alb-waf -> prod-web-env",
            "prod-web-dns-a -> prod-web-env",
        ]) {
            assert.ok(found.includes(link), `${link} missing from: ${found.join("; ")}`);
        }
    });

    it("prod with its fleet: CloudFront → load balancer → fleet → RDS, the regional certificate on the load balancer, no arrow from the internet", async () => {
        const graph = buildStageGraph(await planStage({ stage: "prod", overrides: ["webstack:web.mode=autoscaling"] }));
        const found = links(graph);
        for (const link of ["prod-site-cdn -> prod-web-alb", "prod-web-alb -> prod-web-fleet", "prod-web-fleet -> prod-db-instance", "prod-dns-cert-regional -> prod-web-alb", "prod-web-alb-waf -> prod-web-alb"]) {
            assert.ok(found.includes(link), `${link} missing from: ${found.join("; ")}`);
        }
        // Only CloudFront's prefix list reaches the load balancer: no arrow from the internet.
        assert.ok(!found.includes("internet -> prod-web-alb"), found.join("; "));
        assert.ok(graph.edges.some((e) => e.link === "dns" && graph.nodes.find((n) => n.id === e.to)?.resources.includes("prod-web-alb")));
    });

    for (const stage of PICTURED_STAGES) {
        it(`${stage}: the SVG parses as XML and names every component of the stage, each in its own cluster`, async () => {
            const plan = stagePlan(stage);
            const svg = parseXml(await renderDiagram(plan, `${stage}.svg`));
            assert.equal(svg.name, "svg");
            const clusterLabels = allElements(svg)
                .filter((e) => e.name === "g" && e.attributes.class === "cluster")
                .map((g) => g.children.filter((c) => typeof c !== "string" && c.name === "text").map((t) => textOf(t as never)).join(" "));
            const components = plan.resources.filter((r) => r.provider === null && r.type.startsWith("webstack:"));
            assert.ok(components.length >= 3, `${stage} has its components`);
            for (const component of components) {
                assert.ok(clusterLabels.includes(`${component.type.split(":").pop()} ${component.name}`), `${component.name} not among clusters: ${clusterLabels.join(", ")}`);
            }
            const nodeTitles = allElements(svg).filter((e) => e.name === "g" && e.attributes.class === "node").length;
            assert.equal(nodeTitles, buildStageGraph(plan).nodes.length);
        });

        it(`${stage}: docs/diagrams/${stage}.svg is what the stage plans now (run npm run diagrams after a change)`, async () => {
            const current = await renderSvg(buildStageGraph(stagePlan(stage)));
            const committed = fs.readFileSync(picturePath(stage), "utf8");
            assert.ok(committed === current, `docs/diagrams/${stage}.svg is stale: run npm run diagrams and commit it`);
        });
    }

    it("writes a Mermaid flowchart for .md with a subgraph per component", async () => {
        const plan = stagePlan("prod");
        const markdown = await renderDiagram(plan, "prod.md");
        assert.match(markdown, /^```mermaid\n/);
        for (const component of plan.resources.filter((r) => r.type.startsWith("webstack:"))) {
            assert.ok(markdown.includes(`["${component.type.split(":").pop()} ${component.name}"]`), component.name);
        }
    });
});

describe("npm run plan -- <stage> --diagram", function () {
    this.timeout(300_000);
    const cli = (...args: string[]) =>
        spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "stacks/plan/cli.ts", ...args], { cwd: path.resolve(__dirname, "..", ".."), encoding: "utf8", timeout: 240_000 });

    it("writes the picture to the file, says so on stderr and keeps --json's stdout one JSON document", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webstack-diagram-")), "pictures", "dev.md");
        const result = cli("dev", "--json", "--diagram", file);
        assert.equal(result.status, 0, result.stderr);
        assert.equal((JSON.parse(result.stdout) as PlanDocument).stage, "dev");
        assert.match(result.stderr, /Wrote the dev picture to .*dev\.md/);
        const markdown = fs.readFileSync(file, "utf8");
        assert.match(markdown, /^```mermaid\n/);
        assert.match(markdown, /subgraph group_dev_web\["WebTier dev-web"\]/);
    });

    it("exits 1 on a file of another format, naming --diagram, without writing it", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webstack-diagram-")), "dev.png");
        const result = cli("dev", "--diagram", file);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /--diagram/);
        assert.equal(fs.existsSync(file), false);
    });
});
