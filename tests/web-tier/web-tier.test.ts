import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/internal/errors";
import { FAKE_ACCOUNT_ID, fakePrefixListId, Harness, isSecretValue, RecordedResource, valueOf } from "../../components/testing";
import { packInstanceScripts, WebTier } from "../../components/web-tier";
import { renderSettings, settingsRevision } from "../../components/web-tier/release/release-settings";
import { DEPLOY_STEP_BASE_SECONDS } from "../../components/web-tier/instance/deploy-document";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, NGINX_HTTP_PORT } from "../../components/web-tier/host/security-group";

const T = {
    component: "webstack:index:WebTier",
    instance: "aws:ec2/instance:Instance",
    eip: "aws:ec2/eip:Eip",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    bucket: "aws:s3/bucket:Bucket",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    parameter: "aws:ssm/parameter:Parameter",
    document: "aws:ssm/document:Document",
    association: "aws:ssm/association:Association",
};

const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"] };
const DB_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${FAKE_ACCOUNT_ID}:secret:rds!db-1234-AbCdEf`;
const SECRET_VALUE = "hunter2-never-in-state";

describe("WebTier (instance mode) under the harness", () => {
    let harness: Harness;
    let web: WebTier;
    let edge: WebTier;
    let countBeforeBadInput: number;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "dev" });
        web = new WebTier("web", {
            app: {
                path: "examples/api",
                environment: { NODE_ENV: "production", DB_HOST: pulumi.output("db.internal"), DB_PASSWORD_SECRET_ARN: pulumi.output(DB_SECRET_ARN) },
                secrets: { API_KEY: "/shop/dev/api-key" },
                secretsManagerArns: [pulumi.output(DB_SECRET_ARN)],
            },
            network,
            sshAllowedCidrs: ["203.0.113.7/32", "198.51.100.0/24"],
            keyName: "ops",
            instance: { elasticIp: true },
        });
        new WebTier("open", { app: { path: "examples/api" }, network, sshAllowedCidrs: ["0.0.0.0/0"], allowSshFromAnywhere: true, instance: { type: "t3.small" } });
        new WebTier("sealed", { app: { path: "examples/api", environment: { TOKEN: pulumi.secret(SECRET_VALUE) } }, network });
        new WebTier("shared", { app: { path: "examples/api" }, network, releaseBucketName: "company-releases", deploy: { strategy: "all-at-once" } });
        edge = new WebTier("edge", { app: { path: "examples/api" }, network: { ...network, behindCloudFront: true }, sshAllowedCidrs: ["203.0.113.7/32"] });
        // Eight user tags: with webstack's four, 12 would be more than an S3 object may carry.
        new WebTier("tagged", { app: { path: "examples/api" }, network, tags: Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`team-tag-${n}`, `v${n}`])) });
        await harness.settled();
        countBeforeBadInput = harness.resources.length;
    });

    const inputs = (type: string, name: string) => harness.inputsOf(harness.get(type, name));
    const policyOf = (name: string) => JSON.parse(inputs(T.rolePolicy, `${name}-access`).policy) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[] };
    const statement = (name: string, sid: string) => policyOf(name).Statement.find((s) => s.Sid === sid);

    it("registers the component with children named after it", () => {
        const component = harness.get(T.component, "web");
        const names = harness.descendantsOf(component).map((r) => `${r.type.split(":").pop()} ${r.name}`).sort();
        assert.deepEqual(names, [
            "Association web-deploy",
            "Bucket web-releases",
            "BucketObjectv2 web-release-archive",
            "BucketObjectv2 web-scripts-archive",
            "BucketOwnershipControls web-releases-ownership",
            "BucketPolicy web-releases-policy",
            "BucketPublicAccessBlock web-releases-public-access",
            "BucketServerSideEncryptionConfiguration web-releases-encryption",
            "Document web-deploy",
            "Eip web-eip",
            "Instance web-instance",
            "InstanceProfile web-profile",
            "Parameter web-release-settings",
            "Role web-role",
            "RolePolicy web-access",
            "SecurityGroup web-sg",
            "SecurityGroupEgressRule web-egress",
            "SecurityGroupIngressRule web-http",
            "SecurityGroupIngressRule web-ssh-0",
            "SecurityGroupIngressRule web-ssh-1",
        ]);
    });

    it("runs Amazon Linux 2023 (arm64 by default) with IMDSv2 required and an encrypted gp3 root", () => {
        const instance = inputs(T.instance, "web-instance");
        assert.equal(instance.instanceType, "t4g.small");
        assert.match(instance.ami, /^ami-/);
        assert.equal(instance.subnetId, "subnet-pub-a");
        assert.equal(instance.associatePublicIpAddress, true);
        assert.equal(instance.keyName, "ops");
        assert.deepEqual(instance.metadataOptions, { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
        assert.deepEqual(instance.rootBlockDevice, { volumeType: "gp3", volumeSize: 20, encrypted: true, deleteOnTermination: true });
        assert.equal(instance.userDataReplaceOnChange, true);
        assert.equal(instance.iamInstanceProfile, harness.inputsOf(harness.get(T.profile, "web-profile")).name ?? instance.iamInstanceProfile);
        assert.deepEqual(harness.get(T.instance, "web-instance").options.ignoreChanges, ["ami"]);
        assert.equal(instance.tags.component, "web-tier");
        assert.equal(instance.tags.app, "shop");
        assert.equal(instance.tags.stage, "dev");
    });

    it("boots only once its release settings and role policy exist (the user data reads them)", () => {
        const dependsOn = harness.get(T.instance, "web-instance").options.dependsOn;
        assert.ok(dependsOn.some((urn) => urn.endsWith("::web-release-settings")), dependsOn.join(", "));
        assert.ok(dependsOn.some((urn) => urn.endsWith("::web-access")), dependsOn.join(", "));
    });

    it("picks the AMI parameter for the instance type's architecture", async () => {
        const arm = inputs(T.instance, "web-instance").ami;
        const x86 = inputs(T.instance, "open-instance").ami;
        assert.notEqual(arm, x86);
        const lookups: string[] = [];
        const { defaultLookups } = await import("../../components/testing/lookups");
        const answer = defaultLookups({ region: "eu-west-1", hostedZones: [] })["aws:ssm/getParameter:getParameter"];
        for (const arch of ["arm64", "x86_64"]) lookups.push(String(answer({ name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}` }).value));
        assert.deepEqual([arm, x86], lookups);
    });

    it("gives the Elastic IP to the instance and publishes its address", async () => {
        assert.equal(inputs(T.eip, "web-eip").domain, "vpc");
        assert.match(await valueOf(web.publicIp!), /^198\.51\.100\./);
        assert.equal(await valueOf(web.url), `http://${await valueOf(web.publicIp!)}`);
        assert.throws(() => harness.get(T.eip, "open-eip"), /No .* named "open-eip"/);
    });

    describe("security group rules for each SSH setting", () => {
        const rulesOf = (name: string) =>
            harness
                .ofType(T.ingress)
                .filter((r) => r.name.startsWith(`${name}-`))
                .map((r) => harness.inputsOf(r))
                .map((r) => ({ port: r.fromPort, to: r.toPort, cidr: r.cidrIpv4 ?? r.cidrIpv6 }));

        it("default: HTTP from anywhere, no SSH rule at all, no 443", () => {
            assert.deepEqual(rulesOf("shared"), [{ port: 80, to: 80, cidr: "0.0.0.0/0" }]);
        });
        it("listed blocks: one SSH rule per block and nothing wider", () => {
            assert.deepEqual(rulesOf("web"), [
                { port: 80, to: 80, cidr: "0.0.0.0/0" },
                { port: 22, to: 22, cidr: "203.0.113.7/32" },
                { port: 22, to: 22, cidr: "198.51.100.0/24" },
            ]);
        });
        it("the world, only because allowSshFromAnywhere said so", () => {
            assert.deepEqual(rulesOf("open").filter((r) => r.port === 22), [{ port: 22, to: 22, cidr: "0.0.0.0/0" }]);
        });
        it("behind CloudFront: HTTP only from CloudFront's origin-facing prefix list, never from the world; SSH rules unchanged", () => {
            const rules = harness.ofType(T.ingress).filter((r) => r.name.startsWith("edge-")).map((r) => harness.inputsOf(r));
            const http = rules.filter((r) => r.fromPort === NGINX_HTTP_PORT);
            assert.equal(http.length, 1);
            assert.equal(http[0].prefixListId, fakePrefixListId("eu-west-1", "com.amazonaws.global.cloudfront.origin-facing"));
            assert.equal(http[0].toPort, NGINX_HTTP_PORT);
            assert.equal(http[0].cidrIpv4, undefined);
            assert.equal(http[0].cidrIpv6, undefined);
            assert.deepEqual(rules.filter((r) => r.cidrIpv4 === "0.0.0.0/0" || r.cidrIpv6 === "::/0"), [], "no rule open to the world");
            assert.deepEqual(rules.filter((r) => r.fromPort === 22).map((r) => r.cidrIpv4), ["203.0.113.7/32"]);
        });
        it("every rule description uses only the characters EC2 accepts (EC2 API reference, IpRange.Description)", () => {
            for (const rule of [...harness.ofType(T.ingress), ...harness.ofType(T.egress)]) {
                assert.match(String(harness.inputsOf(rule).description), /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/, rule.name);
            }
        });
        it("the HTTP rule keeps its name whichever source it allows, so switching updates it in place", () => {
            assert.ok(harness.get(T.ingress, "edge-http"));
            assert.ok(harness.get(T.ingress, "web-http"));
        });
        it("not behind CloudFront: no prefix list rule", () => {
            assert.deepEqual(harness.ofType(T.ingress).filter((r) => harness.inputsOf(r).prefixListId !== undefined).map((r) => r.name), ["edge-http"]);
        });
        it("rules belong to the component's group, which is in the VPC and allows all egress", async () => {
            const sgId = await valueOf(web.securityGroupId);
            for (const rule of harness.ofType(T.ingress).filter((r) => r.name.startsWith("web-"))) assert.equal(harness.inputsOf(rule).securityGroupId, sgId);
            assert.equal(inputs(T.sg, "web-sg").vpcId, "vpc-0abc");
            assert.deepEqual(inputs(T.instance, "web-instance").vpcSecurityGroupIds, [sgId]);
            const egress = inputs(T.egress, "web-egress");
            assert.equal(egress.ipProtocol, "-1");
            assert.equal(egress.securityGroupId, sgId);
        });
    });

    describe("least-privilege instance role", () => {
        it("is assumable by EC2 only and has Session Manager without a managed policy", () => {
            const trust = JSON.parse(inputs(T.role, "web-role").assumeRolePolicy);
            assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            assert.ok(statement("web", "SessionManagerChannels")?.Action.includes("ssmmessages:OpenDataChannel"));
            assert.equal(harness.ofType(T.attachment).length, 0);
        });

        it("reads only its own release prefix", async () => {
            const bucket = await valueOf(web.releaseBucketName);
            assert.deepEqual(statement("web", "ReadOwnReleases"), { Sid: "ReadOwnReleases", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket}/*`] });
            // In a shared bucket, only its own folder.
            assert.deepEqual(statement("shared", "ReadOwnReleases")?.Resource, ["arn:aws:s3:::company-releases/shared/*"]);
            assert.match(await valueOf(web.releaseKey), new RegExp(`^releases/${await valueOf(web.releaseSha256)}\\.tgz$`));
            assert.equal(inputs(T.object, "shared-release-archive").key.startsWith("shared/releases/"), true);
        });

        it("reads exactly its settings parameter and its secrets' parameters", () => {
            assert.deepEqual(statement("web", "ReadOwnParameters")?.Resource, [
                `arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:parameter/shop/dev/web/release`,
                `arn:aws:ssm:eu-west-1:${FAKE_ACCOUNT_ID}:parameter/shop/dev/api-key`,
            ]);
            assert.deepEqual(statement("web", "ReadOwnParameters")?.Action, ["ssm:GetParameter", "ssm:GetParameters"]);
        });

        it("may decrypt only through SSM, and only with the key of alias/aws/ssm", () => {
            const decrypt = statement("web", "DecryptParametersViaSsm");
            assert.deepEqual(decrypt?.Action, ["kms:Decrypt"]);
            assert.deepEqual(decrypt?.Condition, { StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com"] } });
            assert.match(decrypt!.Resource[0], new RegExp(`^arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:key/`));
            assert.deepEqual(statement("open", "DecryptParametersViaSsm")?.Resource, decrypt!.Resource);
        });

        it("may read exactly the database password secret, and nothing else from Secrets Manager", () => {
            assert.deepEqual(statement("web", "ReadAppSecrets"), { Sid: "ReadAppSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [DB_SECRET_ARN] });
            assert.equal(statement("open", "ReadAppSecrets"), undefined);
            // Only the SSM agent's channels keep "*" (see tests/web-tier/instance-role-least-privilege.test.ts).
            const wildcards = policyOf("web").Statement.filter((s) => s.Resource.includes("*")).map((s) => s.Sid);
            assert.deepEqual(wildcards, ["SessionManagerChannels", "RunCommandMessages"]);
            assert.deepEqual(policyOf("web").Statement.map((s) => s.Sid), [
                "SessionManagerChannels", "RunCommandMessages", "ListOwnAssociations", "RunOwnAssociations", "ReadOwnDocuments",
                "ReadOwnReleases", "ReadOwnParameters", "DecryptParametersViaSsm", "ReadAppSecrets",
            ]);
        });
    });

    describe("release bucket", () => {
        it("is private, ACL-free and encrypted", async () => {
            const bucket = await valueOf(web.releaseBucketName);
            assert.deepEqual(inputs("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "web-releases-public-access"), {
                bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
            });
            assert.equal(inputs("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "web-releases-ownership").rule.objectOwnership, "BucketOwnerEnforced");
            assert.equal(inputs("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "web-releases-encryption").rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        });
        it("is not created when an existing bucket is given", () => {
            assert.throws(() => harness.get(T.bucket, "shared-releases"));
            assert.equal(inputs(T.object, "shared-release-archive").bucket, "company-releases");
        });
    });

    describe("apiOrigin (the web tier as a CloudFront origin)", () => {
        // EC2's public DNS names spell the address (EC2 user guide, "Amazon EC2 instance hostname types"):
        // ec2-<a-b-c-d>.<region>.compute.amazonaws.com outside us-east-1.
        const dnsNameOf = (ip: string) => `ec2-${ip.replace(/\./g, "-")}.eu-west-1.compute.amazonaws.com`;
        it("with an Elastic IP: the Elastic IP's public DNS name (the instance's own name changes when the EIP attaches)", async () => {
            const eipAddress = await valueOf(web.publicIp!);
            assert.match(eipAddress, /^198\.51\.100\./, "the harness's Elastic IP range");
            assert.equal(await valueOf(pulumi.output(web.apiOrigin.domainName)), dnsNameOf(eipAddress));
        });
        it("without one: the instance's public DNS name", async () => {
            const address = await valueOf(edge.publicIp!);
            assert.match(address, /^203\.0\.113\./, "the harness's instance range");
            assert.equal(await valueOf(pulumi.output(edge.apiOrigin.domainName)), dnsNameOf(address));
        });
        it("plain HTTP on nginx's port (an instance has no certificate)", () => {
            assert.equal(edge.apiOrigin.protocol, "http");
            assert.equal(edge.apiOrigin.httpPort, NGINX_HTTP_PORT);
            assert.equal(web.apiOrigin.protocol, "http");
        });
        it("nginx listens on that port (the deploy script's --listen)", () => {
            const script = fs.readFileSync(path.resolve(__dirname, "../../components/web-tier/boot/deploy-release.sh"), "utf8");
            assert.match(script, new RegExp(`--listen "${NGINX_HTTP_PORT} default_server"`));
        });
        it("the prefix list is looked up by its AWS name", () => {
            assert.equal(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, "com.amazonaws.global.cloudfront.origin-facing");
        });
    });

    describe("release archives in S3", () => {
        // S3 allows at most 10 tags per object ("Object tags cannot be greater
        // than 10"), and the provider's defaultTags are added to an object's own
        // tags: archives carry none and suppress the defaults.
        const archives = ["web-release-archive", "web-scripts-archive", "tagged-release-archive", "tagged-scripts-archive", "shared-release-archive"];
        it("carry no object tags of their own, whatever the user tags", () => {
            for (const name of archives) assert.deepEqual(inputs(T.object, name).tags ?? {}, {}, name);
        });
        it("suppress the provider's default tags (overrideProvider.defaultTags.tags = {})", () => {
            for (const name of archives) assert.deepEqual(inputs(T.object, name).overrideProvider, { defaultTags: { tags: {} } }, name);
        });
        it("the other resources still carry the user tags and webstack's", () => {
            const tags = inputs(T.instance, "tagged-instance").tags;
            assert.equal(tags["team-tag-8"], "v8");
            assert.equal(tags.component, "web-tier");
            assert.equal(inputs(T.bucket, "tagged-releases").tags["team-tag-1"], "v1");
        });
    });

    describe("secrets and user data", () => {
        it("user data installs Node, PM2 and nginx, registers PM2 with systemd, then deploys the current release", () => {
            const userData: string = inputs(T.instance, "web-instance").userData;
            assert.match(userData, /^#!\/bin\/bash\n/);
            assert.match(userData, /dnf install -y 'nodejs22' 'nodejs22-npm' nginx/);
            assert.match(userData, /'npm-22' install --global 'pm2@6'/);
            assert.match(userData, /pm2 startup systemd --user 'webapp'/);
            assert.match(userData, /systemctl enable --now nginx/);
            assert.match(userData, /aws ssm get-parameter --with-decryption --name '\/shop\/dev\/web\/release'/);
            assert.match(userData, /WEBSTACK_ROOT='\/opt\/webstack'/);
            assert.match(userData, /flock "\$WEBSTACK_ROOT\/deploy\.lock" bash "\$payload\/boot\/deploy-release\.sh"/);
            assert.ok(userData.indexOf("pm2 startup") < userData.indexOf("deploy-release.sh"), "PM2 is registered before the first deploy");
        });

        it("user data names no release, so a new release never replaces the instance", async () => {
            const userData: string = inputs(T.instance, "web-instance").userData;
            const sha = await valueOf(web.releaseSha256);
            assert.equal(userData.includes(sha), false);
            assert.equal(userData.includes("releases/"), false);
        });

        it("no secret value and no secret reference reaches user data; the settings hold names only", async () => {
            const userData: string = inputs(T.instance, "web-instance").userData;
            assert.equal(userData.includes("/shop/dev/api-key"), false);
            assert.equal(userData.includes(DB_SECRET_ARN), false);
            const settings = JSON.parse(inputs(T.parameter, "web-release-settings").value);
            assert.deepEqual(settings.secrets, { API_KEY: "/shop/dev/api-key" });
            assert.equal(settings.environment.DB_HOST, "db.internal");
            assert.equal(inputs(T.parameter, "web-release-settings").type, "String");
            // No secret flows into the component's resources: the only secret
            // input is the parameter value, which @pulumi/aws always marks secret.
            const secretInputs = harness
                .descendantsOf(harness.get(T.component, "web"))
                .flatMap((r) => Object.entries(r.rawInputs).filter(([, v]) => JSON.stringify(v, (_k, x) => (isSecretValue(x) ? "SECRET!" : x))?.includes("SECRET!")).map(([k]) => `${r.name}.${k}`));
            assert.deepEqual(secretInputs, ["web-release-settings.value"]);
        });

        it("a Pulumi secret passed as a plain variable is stored as a SecureString and stays secret in state", () => {
            const parameter = harness.get(T.parameter, "sealed-release-settings");
            assert.equal(harness.inputsOf(parameter).type, "SecureString");
            assert.equal(inputs(T.parameter, "web-release-settings").type, "String");
            const userData: string = inputs(T.instance, "sealed-instance").userData;
            assert.equal(userData.includes(SECRET_VALUE), false);
            const leaks = harness.descendantsOf(harness.get(T.component, "sealed")).filter((r: RecordedResource) =>
                r !== parameter && JSON.stringify(harness.inputsOf(r)).includes(SECRET_VALUE));
            assert.deepEqual(leaks.map((r) => r.name), []);
        });
    });

    describe("in-place deploys through SSM", () => {
        it("the settings name the uploaded archives, the ports, the strategy and the health check", async () => {
            const settings = JSON.parse(inputs(T.parameter, "web-release-settings").value);
            assert.equal(settings.releaseKey, await valueOf(web.releaseKey));
            assert.equal(settings.releaseSha256, await valueOf(web.releaseSha256));
            assert.equal(settings.payloadKey, inputs(T.object, "web-scripts-archive").key);
            assert.deepEqual(settings.ports, { blue: 3001, green: 3002 });
            assert.equal(settings.strategy, "in-place");
            assert.equal(settings.healthCheckPath, "/health");
            assert.equal(JSON.parse(inputs(T.parameter, "shared-release-settings").value).strategy, "all-at-once");
            assert.equal(inputs(T.parameter, "web-release-settings").name, "/shop/dev/web/release");
        });

        it("the watch window reaches the instance and stretches the deploy step's timeout by as much", () => {
            const watchOf = (name: string) => JSON.parse(inputs(T.parameter, `${name}-release-settings`).value).watchSeconds;
            const stepTimeoutOf = (name: string) => Number(JSON.parse(inputs(T.document, `${name}-deploy`).content).mainSteps[0].inputs.timeoutSeconds);
            // in-place: 30 s by default; all-at-once has no previous release to go back to.
            assert.equal(watchOf("web"), 30);
            assert.equal(watchOf("shared"), 0);
            assert.equal(stepTimeoutOf("web") - stepTimeoutOf("shared"), 30);
            assert.equal(stepTimeoutOf("shared"), DEPLOY_STEP_BASE_SECONDS);
        });

        it("the scripts archive carries the release switch and the deploy script", () => {
            const scripts = packInstanceScripts();
            // Packed once per run and shared by every WebTier ("web" and "shared" here).
            assert.equal(packInstanceScripts(), scripts);
            assert.equal(inputs(T.object, "shared-scripts-archive").key, `shared/payload/${scripts.sha256}.tgz`);
            assert.equal(inputs(T.object, "web-scripts-archive").key, `payload/${scripts.sha256}.tgz`);
            for (const needed of ["payload/release-switch.sh", "boot/deploy-release.sh", "boot/app-env.sh"]) assert.ok(scripts.files.includes(needed), needed);
            const listing = execFileSync("tar", ["-tzf", scripts.file]).toString().split("\n");
            assert.ok(listing.includes("payload/release-switch.sh"));
        });

        it("the association runs the document on the instance with the settings' revision", async () => {
            const association = inputs(T.association, "web-deploy");
            const settingsText = inputs(T.parameter, "web-release-settings").value as string;
            assert.deepEqual(association.parameters, { releaseRevision: settingsRevision(settingsText) });
            assert.deepEqual(association.targets, [{ key: "InstanceIds", values: [await valueOf(web.instanceId)] }]);
            assert.equal(association.applyOnlyAtCronInterval, false);
            const document = inputs(T.document, "web-deploy");
            assert.equal(association.name, document.name ?? association.name);
            assert.equal(document.documentType, "Command");
            const content = JSON.parse(document.content);
            assert.equal(content.parameters.releaseRevision.allowedPattern, "^[0-9a-f]{64}$");
            const commands: string[] = content.mainSteps[0].inputs.runCommand;
            assert.match(commands[0], /cloud-init status --wait/);
            assert.ok(commands.some((line) => line.includes("wanted='{{ releaseRevision }}'")));
            const dependsOn = harness.get(T.association, "web-deploy").options.dependsOn;
            assert.ok(dependsOn.some((urn) => urn.endsWith("::web-release-settings")), "runs after the settings hold the new release");
        });

        it("a changed environment or release changes the revision (and so re-runs the deploy)", () => {
            const settings = JSON.parse(inputs(T.parameter, "web-release-settings").value);
            const base = settingsRevision(renderSettings(settings));
            assert.equal(base, settingsRevision(inputs(T.parameter, "web-release-settings").value));
            assert.notEqual(settingsRevision(renderSettings({ ...settings, environment: { ...settings.environment, NODE_ENV: "staging" } })), base);
            assert.notEqual(settingsRevision(renderSettings({ ...settings, releaseSha256: "0".repeat(64) })), base);
            // Key order never matters.
            const reordered = Object.fromEntries(Object.entries(settings).reverse());
            assert.equal(settingsRevision(renderSettings(reordered as typeof settings)), base);
        });
    });

    describe("bad input", () => {
        const bad: [string, () => unknown][] = [
            ["app.path", () => new WebTier("bad1", { app: { path: path.join("examples", "missing") }, network })],
            ["app.port", () => new WebTier("bad2", { app: { path: "examples/api", port: 70000 }, network })],
            ["sshAllowedCidrs", () => new WebTier("bad3", { app: { path: "examples/api" }, network, sshAllowedCidrs: ["0.0.0.0/0"] })],
            ["deploy.strategy", () => new WebTier("bad4", { app: { path: "examples/api" }, network, deploy: { strategy: "blue-green" } })],
            ["mode", () => new WebTier("bad5", { mode: "kubernetes" as unknown as "instance", app: { path: "examples/api" }, network })],
            ["name", () => new WebTier("aws-web", { app: { path: "examples/api" }, network })],
            ["network.behindCloudFront", () => new WebTier("bad6", { app: { path: "examples/api" }, network: { ...network, behindCloudFront: "yes" as unknown as boolean } })],
            // The prefix list counts as 55 rules against the 60 inbound rules a group may hold.
            [
                "sshAllowedCidrs",
                () => new WebTier("bad7", { app: { path: "examples/api" }, network: { ...network, behindCloudFront: true }, sshAllowedCidrs: [1, 2, 3, 4, 5, 6].map((n) => `203.0.113.${n}/32`) }),
            ],
        ];
        for (const [setting, create] of bad) {
            it(`fails on ${setting} before registering any resource`, async () => {
                assert.throws(create, (error: unknown) => error instanceof ConfigError && error.setting === setting);
                await harness.settled();
                assert.equal(harness.resources.length, countBeforeBadInput);
            });
        }
    });
});
