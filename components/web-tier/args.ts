import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, architectures } from "../internal/amazon-linux";
import { AccessLogs, resolveAccessLogs } from "../internal/access-logs";
import { resolveVersioning, Versioning, VersioningArg } from "../internal/bucket-versioning";
import { CustomDomain } from "../internal/custom-domain";
import { coversPublicInternet, isCidrProblem, parseCidr } from "../internal/cidr";
import { invalid } from "../internal/errors";
import { checkKeyArn, checkKeyArns } from "../internal/kms-key-arn";
import { TagContext } from "../internal/tags";
import { BeanstalkTrafficSplittingArgs, resolveBeanstalk, ResolvedBeanstalk, WebTierBeanstalkArgs } from "./beanstalk/args";
import { BlueGreenDeployArgs, refuseBlueGreenKeys, resolveBlueGreen, ResolvedBlueGreen } from "./autoscaling/blue-green/args";
import { CLOUDFRONT_PREFIX_LIST_WEIGHT, INBOUND_RULES_PER_GROUP } from "./host/security-group";
import { ResolvedAutoscaling, ResolvedLoadBalancer, resolveAutoscaling, resolveLoadBalancer, resolveSafety, Safety, WebTierAutoscalingArgs, WebTierLoadBalancerArgs } from "./autoscaling/args";

export type { Safety, WebTierAutoscalingArgs, WebTierLoadBalancerArgs, WebTierScheduleArgs } from "./autoscaling/args";

/** How the web tier runs: `instance` and `autoscaling` exist; `beanstalk` is reserved so args written now keep working. */
export const webTierModes = ["instance", "autoscaling", "beanstalk"] as const;
export type WebTierMode = (typeof webTierModes)[number];
/** The modes this version implements. */
export const availableModes: readonly WebTierMode[] = ["instance", "autoscaling", "beanstalk"];

/** Deploy strategies (DESIGN.md, "Deploy strategies"); which ones a mode accepts is in `strategiesByMode`. */
export const deployStrategies = ["in-place", "rolling", "blue-green", "all-at-once", "rolling-with-additional-batch", "immutable", "traffic-splitting"] as const;
export type DeployStrategy = (typeof deployStrategies)[number];
export const strategiesByMode: Record<WebTierMode, readonly DeployStrategy[]> = {
    instance: ["in-place", "all-at-once"],
    autoscaling: ["rolling", "blue-green"],
    // Elastic Beanstalk's deployment policies (beanstalk/args.ts deploymentPolicyOf).
    beanstalk: ["rolling", "rolling-with-additional-batch", "immutable", "traffic-splitting", "all-at-once"],
};

/** Node.js major versions Amazon Linux 2023 packages (`nodejs20`, `nodejs22`, `nodejs24`; AL2023 user guide, "Node.js in AL2023"). */
export const nodeVersions = [20, 22, 24] as const;
export type NodeVersion = (typeof nodeVersions)[number];

// Re-exported: the stage schema and consumers import them from here.
export { architectures } from "../internal/amazon-linux";
export type { Architecture } from "../internal/amazon-linux";

/** The application the web tier runs. */
export interface WebTierAppArgs {
    /**
     * The app's folder, packed into a release archive (without `node_modules`,
     * `.git` and `.env*` files) and uploaded to S3 under its content hash.
     * It must hold a `package.json`; the instance runs `npm ci --omit=dev`
     * when it also holds a lock file. Relative paths start at the Pulumi project folder.
     * @example "examples/api"
     */
    path: string;
    /**
     * How many Node processes serve the app: PM2 runs the app's entry file
     * (`package.json` "main", else `index.js`) in cluster mode, one worker
     * per vCPU with "max". The app must listen on `process.env.PORT`.
     * @default "max"
     */
    instances?: number | "max";
    /**
     * The first of the two loopback ports the app alternates between: one
     * release runs on `port`, the next on `port + 1`, and nginx moves from
     * one to the other once the new release is healthy.
     * @default 3001
     */
    port?: number;
    /**
     * The path the release switch polls before a release takes traffic; it
     * must answer 2xx.
     * @default "/health"
     */
    healthCheckPath?: string;
    /**
     * Node.js major version installed from the Amazon Linux 2023 packages.
     * @default 22
     */
    nodeVersion?: NodeVersion;
    /**
     * Plain environment variables. They are stored in the release settings
     * SSM parameter that the instance reads at deploy time: a String
     * parameter, or a SecureString when one of the values is a Pulumi
     * secret. Prefer `secrets` for passwords and tokens: then the value never
     * passes through Pulumi at all.
     * Each value reaches the app's `process.env` byte-for-byte (quotes,
     * spaces, `$`, backslashes and tabs included); a value with a control
     * character (newline, carriage return, NUL, escape, DEL) is refused.
     * @default {}
     * @example { NODE_ENV: "production", DB_HOST: database.address }
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Secret environment variables, by reference: the variable name and the
     * SSM Parameter Store parameter (usually a SecureString) that holds it,
     * by its full hierarchical name (starting with "/").
     * The instance fetches them when it starts a release and hands them to
     * the app's environment only (never written to disk); the values never
     * appear in user data, in Pulumi state or in the SSM document. The instance role may read
     * exactly these parameters.
     * @default {}
     * @example { STRIPE_KEY: "/shop/prod/stripe-key" }
     */
    secrets?: Record<string, string>;
    /**
     * Secrets Manager secrets the app reads itself at run time (e.g. the
     * RDS-managed database password whose ARN ManagedDatabase puts in
     * `DB_PASSWORD_SECRET_ARN`). The instance role gets
     * `secretsmanager:GetSecretValue` on exactly these ARNs.
     * @default []
     */
    secretsManagerArns?: pulumi.Input<string>[];
    /**
     * Customer managed KMS keys (key ARNs) that encrypt the `secrets`
     * parameters. The instance role may decrypt, through SSM only, with the
     * AWS managed key `alias/aws/ssm` and exactly these keys; a SecureString
     * encrypted with any other key cannot be read.
     * @default []
     * @example ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
     */
    secretsKeyArns?: pulumi.Input<string>[];
    /**
     * `beanstalk` mode: the command that starts the app on Beanstalk's
     * instances, written to the source bundle's `Procfile` (`web: <command>`).
     * Refused in other modes, where PM2 starts `package.json`'s `main`.
     * @default `npm start` when package.json has `scripts.start`, else `node <main>`, else `node server.js`
     * @example "node --enable-source-maps dist/server.js"
     */
    startCommand?: string;
}

/** Where the web tier lives in the network (the stack's VPC; WebTier never creates one). */
export interface WebTierNetworkArgs {
    vpcId: pulumi.Input<string>;
    /**
     * Public subnets. In `instance` mode the instance goes into the first
     * one; in `autoscaling` mode the load balancer spans them (at least two,
     * in distinct AZs), and so does the fleet when there are no
     * `privateSubnetIds`.
     */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * `autoscaling` mode: private subnets (with a route out through NAT) for
     * the fleet, one per AZ. The instances then have no public address and
     * the ALB is the only way in. Without them the fleet runs in the public
     * subnets, each instance with a public IPv4 address (billed, $3.65 a
     * month) but a security group open only to the ALB.
     * @default none: the fleet uses the public subnets
     */
    privateSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Further security groups the instance joins besides its own, e.g. a
     * database's client group, whose members the database lets in. A list
     * or an Output of one, so ManagedDatabase's `clientSecurityGroupIds`
     * fits as it is.
     * @default []
     * @example db.clientSecurityGroupIds
     */
    securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The web tier sits behind CloudFront (e.g. a StaticSite's `api` option
     * routes `/api/*` to `apiOrigin`): its HTTP port is opened only to
     * CloudFront's origin-facing servers, through the AWS-managed prefix list
     * `com.amazonaws.global.cloudfront.origin-facing`, instead of to
     * `0.0.0.0/0`. Requests to the instance's own address then time out;
     * the app is reached through the distribution.
     *
     * The prefix list counts as 55 rules against the security group's 60
     * inbound rules (VPC quotas), which leaves room for at most 5 IPv4
     * `sshAllowedCidrs`.
     * @default false
     * @example network: { vpcId, publicSubnetIds, behindCloudFront: true }
     */
    behindCloudFront?: boolean;
}

/** The server(s) that run the app. */
export interface WebTierInstanceArgs {
    /**
     * The EC2 instance type. Its CPU must match `architecture` (Graviton
     * types such as `t4g`, `m7g`, `c7gn` are arm64).
     * @default "t4g.small"
     */
    type?: string;
    /**
     * CPU architecture of the Amazon Linux 2023 image.
     * @default "arm64", or "x86_64" when `type` names a non-Graviton type
     */
    architecture?: Architecture;
    /**
     * Size of the encrypted gp3 root volume in GiB (the AL2023 image needs 8).
     * @default 20
     */
    rootVolumeGiB?: number;
    /**
     * Give the instance an Elastic IP, so its address survives a replacement
     * (a new AMI or instance type). Without it, the public address changes
     * when the instance is replaced or stopped.
     * @default false
     */
    elasticIp?: boolean;
}

export interface WebTierDeployArgs extends BlueGreenDeployArgs {
    /**
     * How a new release replaces the old one.
     * - `in-place` (instance mode default): the new release starts on the idle
     *   port, must pass its health check, then nginx switches to it; the old
     *   one is stopped and kept for rollback. No downtime.
     * - `all-at-once`: stop the old release, then start the new one. Seconds
     *   of downtime; for dev only.
     * - `rolling` (autoscaling mode default): an instance refresh replaces
     *   the fleet's instances, launching before it terminates.
     * - `blue-green` (autoscaling mode): two fleets, `blue` and `green`, each
     *   running the release the stage names, behind one load balancer that
     *   splits the traffic by `traffic` once a health gate has seen the
     *   receiving fleets healthy (docs/web-tier.md, "Blue/green").
     * @default "in-place" (instance mode), "rolling" (autoscaling mode)
     */
    strategy?: DeployStrategy;
    /**
     * Seconds the release switch watches a new release after nginx moved to
     * it, with the previous release still running: a PM2 restart (a crash,
     * even one PM2 recovers from), a worker that is not online, or 3 failed
     * health checks in a row points nginx back at the previous release,
     * removes the new one and fails the deploy (SSM shows the cause, e.g.
     * "release … restarted 3 times within 6.1 s of the switch; switched back
     * to …"). The previous release is stopped only once the window has
     * passed. `0` stops it right after the switch (no watch). Not available
     * with `all-at-once`, which stops the previous release before starting
     * the new one. Each deploy takes this much longer.
     * @default 30
     * @example 60
     */
    watchSeconds?: number;
    /** Strategy `traffic-splitting` (beanstalk mode): the canary's share of requests and how long it is evaluated. */
    trafficSplitting?: BeanstalkTrafficSplittingArgs;
}

export interface WebTierArgs {
    /**
     * How the web tier runs: `instance` (one EC2 instance with nginx and
     * PM2) or `autoscaling` (the same on a fleet behind an ALB).
     * `beanstalk` is reserved for a later version and rejected today.
     * @default "instance"
     */
    mode?: WebTierMode;
    /**
     * `production`: in `autoscaling` mode at least two instances in at least
     * two subnets (AZs), deletion protection and WAF on the load balancer.
     * `development` relaxes those defaults (one instance is allowed).
     * @default "production"
     */
    safety?: Safety;
    /** `autoscaling` mode: the Auto Scaling group (sizes, CPU target, schedules, rollout). Refused in other modes. */
    autoscaling?: WebTierAutoscalingArgs;
    /** `beanstalk` mode: the environment's sizes, scaling, logs, update window, versions kept and secret ARNs. Refused in other modes. */
    beanstalk?: WebTierBeanstalkArgs;
    /** `autoscaling` mode: the load balancer and its health check. Refused in other modes. */
    loadBalancer?: WebTierLoadBalancerArgs;
    app: WebTierAppArgs;
    network: WebTierNetworkArgs;
    instance?: WebTierInstanceArgs;
    /**
     * Address blocks allowed to reach SSH (port 22). Empty by default: use
     * SSM Session Manager (`aws ssm start-session --target <instanceId>`),
     * which needs no open port and no key. Each must be a block AWS accepts:
     * the network address (`203.0.113.0/24`, not `203.0.113.7/24`, which EC2
     * refuses) and valid IPv6 text.
     * @default []
     * @example ["203.0.113.7/32"]
     */
    sshAllowedCidrs?: string[];
    /**
     * Allow `sshAllowedCidrs` that together admit the whole internet:
     * `0.0.0.0/0` or `::/0`, and any split of the same (`0.0.0.0/1` +
     * `128.0.0.0/1`, `::/1`, `2000::/3`), judged by the public addresses
     * covered, not by spelling. Opening SSH to the whole internet invites
     * brute-force attempts; this option exists so that choice is explicit
     * and visible in review (a stage additionally needs
     * `webstack:acknowledge.sshFromInternet` in production).
     * @default false
     */
    allowSshFromAnywhere?: boolean;
    /**
     * An existing EC2 key pair for SSH, for those who want it.
     * @default none (Session Manager only)
     */
    keyName?: string;
    deploy?: WebTierDeployArgs;
    /**
     * Upload releases to this existing bucket (under `<name>/releases/`)
     * instead of a private bucket the component creates.
     * @default a new private, encrypted bucket `${name}-releases`
     */
    releaseBucketName?: pulumi.Input<string>;
    /**
     * Keep previous versions of the release bucket's objects (S3
     * versioning), deleted after `noncurrentVersionDays` (30 with `true`) by
     * a lifecycle rule. Only for the bucket the component creates (not with
     * `releaseBucketName`). Stage programs turn it on in production.
     * @default false
     * @example true
     */
    versioning?: VersioningArg;
    /**
     * S3 server access logs of the release bucket, to this log bucket under
     * `<prefix>${name}-releases/`. See {@link AccessLogs} for what the log
     * bucket must allow. Only for the bucket the component creates.
     * @default no access logs
     * @example { bucket: logBucket.bucket }
     */
    accessLogs?: AccessLogs;
    /**
     * A custom domain with an ACM certificate in the stack's region
     * (`dns.regionalDomain()`): in `autoscaling` mode the ALB serves HTTPS
     * on it (TLS 1.3 policy, HTTP redirected) and alias records point its
     * names at the ALB. Not supported in `instance` mode: ACM certificates
     * can only be used by AWS load balancers and CloudFront, not installed
     * on an instance (Elastic Beanstalk developer guide, "Server
     * certificates"). Put CloudFront in front of the instance instead.
     * @default none: HTTP only on the ALB's own name
     */
    domain?: CustomDomain;
    /**
     * A customer managed KMS key (its key ARN, not an alias) that encrypts
     * what the web tier stores: the release bucket it creates (SSE-KMS with
     * an S3 Bucket Key), the instance's root EBS volume, and the release
     * settings parameter whenever it is a SecureString. The instance role
     * may then `kms:Decrypt` with this key, and only through S3 (release
     * archives), SSM (the settings and `app.secrets` parameters under this
     * key) and, with `app.secretsManagerArns`, Secrets Manager (e.g. a
     * ManagedDatabase's password secret under the same key): the
     * `kms:ViaService` condition (AWS KMS developer guide, "kms:ViaService").
     * The key's policy must let the account's IAM policies grant its use
     * (the default key policy does).
     *
     * Set it when the web tier is first created: changing the key of the
     * root volume REPLACES the instance (EBS cannot re-encrypt a volume in
     * place).
     * @default undefined: AWS managed keys (aws/s3 SSE-S3, aws/ebs, aws/ssm)
     * @example stageKey.arn
     */
    kmsKeyArn?: pulumi.Input<string>;
    /** Extra tags on every taggable resource (webstack adds app, stage, component, managed-by). */
    tags?: Record<string, string>;
    /** The app and stage names used in tags and parameter names. @default the Pulumi project and stack */
    tagContext?: Partial<TagContext>;
}

/** The args with every default filled in and every rule checked. */
export interface ResolvedWebTierArgs {
    mode: WebTierMode;
    safety: Safety;
    /** Filled in every mode, used by `autoscaling` only. */
    autoscaling: ResolvedAutoscaling;
    /** Filled in every mode, used by `autoscaling` only. */
    loadBalancer: ResolvedLoadBalancer;
    /** The environment's settings: beanstalk mode only. */
    beanstalk?: ResolvedBeanstalk;
    domain?: CustomDomain;
    app: {
        /** Absolute path of the app folder. */
        path: string;
        instances: number | "max";
        /** The two loopback ports releases alternate between. */
        ports: { blue: number; green: number };
        healthCheckPath: string;
        nodeVersion: NodeVersion;
        environment: Record<string, pulumi.Input<string>>;
        secrets: Record<string, string>;
        secretsManagerArns: pulumi.Input<string>[];
        secretsKeyArns: pulumi.Input<string>[];
        /** beanstalk mode: the Procfile's command. */
        startCommand?: string;
    };
    network: WebTierNetworkArgs & { behindCloudFront: boolean };
    instance: { type: string; architecture: Architecture; rootVolumeGiB: number; elasticIp: boolean };
    ssh: { allowedCidrs: string[]; keyName?: string };
    deploy: {
        strategy: DeployStrategy;
        watchSeconds: number;
        /** The colors, their releases and traffic: strategy "blue-green" only. */
        blueGreen?: ResolvedBlueGreen;
    };
    releaseBucketName?: pulumi.Input<string>;
    /** Release bucket versioning, when on. */
    versioning?: Versioning;
    /** Release bucket server access logs, when on. */
    accessLogs?: Required<AccessLogs>;
    /** The customer managed key of the web tier's data; undefined for AWS managed keys. */
    kmsKeyArn?: pulumi.Input<string>;
    tags: Record<string, string>;
    tagContext: Partial<TagContext>;
}

const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by the release switch for each release; a user value would be overwritten. */
const reservedEnvNames = ["PORT"];
/**
 * C0 controls except tab, and DEL. A newline or carriage return would end the
 * KEY=VALUE line early on the instance (the rest becoming a variable of its
 * own), and NUL cannot be held by a shell variable or a process environment.
 */
// eslint-disable-next-line no-control-regex
const controlCharacterPattern = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/**
 * SSM parameter names: letters, digits and `_.-/` (SSM API reference,
 * PutParameter "Name"). webstack asks for the hierarchical form with a
 * leading "/", so a secret value pasted by mistake is not taken for a name.
 */
const parameterNamePattern = /^\/[A-Za-z0-9_.\-/]+$/;
const instanceTypePattern = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** Graviton families carry a "g" after the generation digit: t4g, m7g, c7gn, r6gd, x2gd, im4gn. */
const gravitonTypePattern = /^[a-z]+\d+[a-z]*g[a-z]*\./;

/** The architecture an instance type's CPU has. */
export function architectureOf(instanceType: string): Architecture {
    return gravitonTypePattern.test(instanceType) ? "arm64" : "x86_64";
}

function resolveMode(mode: unknown): WebTierMode {
    if (mode === undefined) return "instance";
    if (!webTierModes.includes(mode as WebTierMode)) {
        invalid("mode", mode, "not a WebTier mode", `use one of ${webTierModes.map((m) => `"${m}"`).join(", ")}`);
    }
    if (!availableModes.includes(mode as WebTierMode)) {
        invalid("mode", mode, "this mode is not available yet in this version of webstack", `use mode "instance" or "autoscaling" until "${String(mode)}" lands`);
    }
    return mode as WebTierMode;
}

function resolveAppPath(value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") {
        invalid("app.path", value, "the app folder is required", 'set app.path to the folder holding your app\'s package.json, e.g. "examples/api"');
    }
    const absolute = path.resolve(value);
    if (!fs.existsSync(absolute)) invalid("app.path", value, `the folder ${absolute} does not exist`, "check the path; relative paths start at the Pulumi project folder");
    if (!fs.statSync(absolute).isDirectory()) invalid("app.path", value, "it is a file, not a folder", "point app.path at the app's folder");
    if (!fs.existsSync(path.join(absolute, "package.json"))) {
        invalid("app.path", value, "the folder has no package.json", "point app.path at the folder whose package.json starts the app");
    }
    let main: unknown;
    try {
        main = JSON.parse(fs.readFileSync(path.join(absolute, "package.json"), "utf8")).main;
    } catch (error) {
        invalid("app.path", value, `its package.json is not valid JSON (${(error as Error).message})`, "fix package.json");
    }
    // PM2 cluster mode starts a JavaScript entry file, not a shell command.
    const entry = typeof main === "string" && main !== "" ? main : "index.js";
    if (!fs.existsSync(path.join(absolute, entry))) {
        invalid("app.path", value, `its entry file ${entry} (package.json "main", else index.js) does not exist`, 'set "main" in package.json to the file that starts the server');
    }
    return absolute;
}

function resolvePort(value: unknown): { blue: number; green: number } {
    const port = value ?? 3001;
    // Both ports must be unprivileged (the app does not run as root) and
    // must not collide with nginx on 80/443.
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1024 || port > 65534) {
        invalid("app.port", value, "the app needs two adjacent unprivileged ports (port and port + 1)", "use a whole number from 1024 to 65534, e.g. 3001");
    }
    return { blue: port, green: port + 1 };
}

function resolveEnvironment(app: WebTierAppArgs): { environment: Record<string, pulumi.Input<string>>; secrets: Record<string, string> } {
    const environment = app.environment ?? {};
    const secrets = app.secrets ?? {};
    for (const [setting, names] of [["app.environment", Object.keys(environment)], ["app.secrets", Object.keys(secrets)]] as const) {
        for (const name of names) {
            if (!envNamePattern.test(name)) invalid(`${setting}.${name}`, name, "not a valid environment variable name", "use letters, digits and _, not starting with a digit");
            if (reservedEnvNames.includes(name)) invalid(`${setting}.${name}`, name, "the release switch sets PORT for each release", "use app.port to choose the ports instead");
        }
    }
    for (const [name, value] of Object.entries(environment)) {
        // Outputs are checked on the instance (app-env.sh refuses a line break).
        if (typeof value === "string" && controlCharacterPattern.test(value)) {
            invalid(
                `app.environment.${name}`,
                value,
                "the value holds a control character (line break, NUL, escape...), which the KEY=VALUE lines that carry it to the app cannot hold",
                "remove the control character; a tab, quotes, spaces, $ and backslashes are passed to the app as given",
            );
        }
    }
    for (const [name, parameter] of Object.entries(secrets)) {
        if (typeof parameter !== "string" || !parameterNamePattern.test(parameter) || parameter.length > 2048) {
            invalid(`app.secrets.${name}`, parameter, "not an SSM parameter name (secrets are given by reference, never by value)", 'give the parameter\'s name, e.g. "/myapp/prod/api-key"');
        }
        if (name in environment) invalid(`app.secrets.${name}`, parameter, "the same variable is also in app.environment", "keep it in one of the two");
    }
    return { environment, secrets };
}

function resolveInstance(instance: WebTierInstanceArgs = {}): ResolvedWebTierArgs["instance"] {
    const type = instance.type ?? "t4g.small";
    if (typeof type !== "string" || !instanceTypePattern.test(type)) invalid("instance.type", instance.type, "not an EC2 instance type", 'use a type such as "t4g.small"');
    if (instance.architecture !== undefined && !architectures.includes(instance.architecture)) {
        invalid("instance.architecture", instance.architecture, "not an architecture AL2023 ships", 'use "arm64" or "x86_64"');
    }
    const architecture = instance.architecture ?? architectureOf(type);
    if (architecture !== architectureOf(type)) {
        invalid("instance.architecture", instance.architecture, `instance type ${type} has an ${architectureOf(type)} CPU`, `set architecture to "${architectureOf(type)}" or pick a type for ${architecture}`);
    }
    const rootVolumeGiB = instance.rootVolumeGiB ?? 20;
    // gp3 volumes range from 1 GiB to 16 TiB; the AL2023 image's snapshot is 8 GiB.
    if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < 8 || rootVolumeGiB > 16384) {
        invalid("instance.rootVolumeGiB", instance.rootVolumeGiB, "the root volume must hold the 8 GiB image and fit a gp3 volume", "use a whole number from 8 to 16384");
    }
    return { type, architecture, rootVolumeGiB, elasticIp: instance.elasticIp ?? false };
}

/**
 * SSH blocks, checked as the stage checks them (components/internal/cidr.ts):
 * each must be a block AWS accepts (EC2 refuses host bits set past the
 * prefix and malformed IPv6), and a set that together admits every public
 * address of IPv4 or IPv6 (0.0.0.0/0, or 0.0.0.0/1 + 128.0.0.0/1, or ::/1)
 * is "from anywhere" however it is split: refused unless
 * `allowSshFromAnywhere` says so, the component's counterpart of the stage's
 * `webstack:acknowledge.sshFromInternet`.
 */
function resolveSsh(args: WebTierArgs): ResolvedWebTierArgs["ssh"] {
    const cidrs = args.sshAllowedCidrs ?? [];
    if (!Array.isArray(cidrs)) invalid("sshAllowedCidrs", cidrs, "expected a list of CIDR blocks", 'write e.g. ["203.0.113.7/32"]');
    const allowAnywhere = args.allowSshFromAnywhere ?? false;
    if (typeof allowAnywhere !== "boolean") {
        invalid("allowSshFromAnywhere", allowAnywhere, "expected true or false", "write allowSshFromAnywhere: true to open SSH to the whole internet, or leave it out");
    }
    for (const cidr of cidrs) {
        const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
        if (parsed === undefined) invalid("sshAllowedCidrs", cidr, "not a CIDR block", 'write an address with its prefix, e.g. "203.0.113.7/32"');
        if (isCidrProblem(parsed)) invalid("sshAllowedCidrs", cidr, parsed.problem, parsed.fix);
    }
    if (coversPublicInternet(cidrs) && !allowAnywhere) {
        invalid(
            "sshAllowedCidrs",
            cidrs,
            "together these blocks open SSH to the whole internet (every public IPv4 or IPv6 address), which invites brute-force attempts",
            "list your own address blocks, use SSM Session Manager (no open port), or set allowSshFromAnywhere: true if you really mean it",
        );
    }
    if (args.keyName !== undefined && (typeof args.keyName !== "string" || args.keyName.trim() === "")) {
        invalid("keyName", args.keyName, "expected the name of an existing EC2 key pair", "give the key pair's name or leave keyName out");
    }
    return { allowedCidrs: [...cidrs], keyName: args.keyName };
}

type ResolvedStrategy = ResolvedWebTierArgs["deploy"]["strategy"];

/**
 * Each mode's default strategy. Beanstalk's is `immutable` (a new set of
 * instances, health-checked before it joins; the old ones keep serving until
 * then), which checklist row 49 asks of production; the component resolves
 * it here and `beanstalk/args.ts` refuses `all-at-once` in production.
 */
const defaultStrategy: Record<WebTierMode, DeployStrategy> = { instance: "in-place", autoscaling: "rolling", beanstalk: "immutable" };

function resolveStrategy(mode: WebTierMode, deploy: WebTierDeployArgs = {}): ResolvedStrategy {
    const strategy = deploy.strategy ?? defaultStrategy[mode];
    if (!deployStrategies.includes(strategy)) {
        invalid("deploy.strategy", strategy, "not a deploy strategy", `use one of ${strategiesByMode[mode].map((s) => `"${s}"`).join(", ")}`);
    }
    if (!strategiesByMode[mode].includes(strategy)) {
        const toFleet = strategy === "blue-green" && mode === "instance" ? ' (blue-green needs two fleets behind a load balancer: set mode: "autoscaling")' : "";
        invalid("deploy.strategy", strategy, `not available in ${mode} mode`, `use one of ${strategiesByMode[mode].map((s) => `"${s}"`).join(", ")}${toFleet}`);
    }
    return strategy as ResolvedStrategy;
}

/** The colors of a blue-green deploy; their keys are refused with any other strategy. */
function resolveDeployColors(strategy: ResolvedStrategy, deploy: WebTierDeployArgs = {}): { blueGreen?: ResolvedBlueGreen } {
    const keys = deploy as WebTierDeployArgs & Record<string, unknown>;
    if (strategy !== "blue-green") {
        refuseBlueGreenKeys(strategy, keys);
        return {};
    }
    return { blueGreen: resolveBlueGreen(keys) };
}

/** The longest watch window: the SSM deploy step's timeout grows by it (see deploy-document.ts). */
export const MAX_WATCH_SECONDS = 600;

function resolveWatchSeconds(strategy: ResolvedStrategy, deploy: WebTierDeployArgs = {}): number {
    const value = deploy.watchSeconds;
    if ((strategy === "rolling" || strategy === "blue-green") && value !== undefined) {
        invalid("deploy.watchSeconds", value, "the watch window belongs to the instance mode's release switch; a fleet's new instances are gated by the load balancer's health checks and the instance refresh, which rolls back by itself", "leave watchSeconds out in autoscaling mode (see autoscaling.instanceWarmupSeconds)");
    }
    if (value === undefined) return strategy === "in-place" ? 30 : 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_WATCH_SECONDS) {
        invalid("deploy.watchSeconds", value, `the watch window is a whole number of seconds from 0 to ${MAX_WATCH_SECONDS}`, "use e.g. 30, or 0 to stop the previous release right after the switch");
    }
    if (strategy === "all-at-once" && value > 0) {
        invalid("deploy.watchSeconds", value, "all-at-once stops the previous release before the new one starts, so there is no release to switch back to", 'leave watchSeconds out (or 0) with all-at-once, or use strategy "in-place"');
    }
    return value;
}

/**
 * Fills in WebTier's defaults and checks every rule. Pure: it reads the app
 * folder's metadata but registers no resource, so bad input fails before
 * anything is created.
 *
 * @throws ConfigError naming the arg, the bad value and the fix.
 */
export function resolveWebTierArgs(args: WebTierArgs): ResolvedWebTierArgs {
    if (!args || typeof args !== "object") invalid("args", args, "WebTier needs its args", "pass at least { app: { path }, network: { vpcId, publicSubnetIds } }");
    const mode = resolveMode(args.mode);
    if (!args.app || typeof args.app !== "object") invalid("app", args.app, "the app is required", 'set app: { path: "examples/api" }');
    const appPath = resolveAppPath(args.app.path);
    const instances = args.app.instances ?? "max";
    if (instances !== "max" && (typeof instances !== "number" || !Number.isInteger(instances) || instances < 1)) {
        invalid("app.instances", args.app.instances, "expected a number of workers or \"max\"", 'use a whole number from 1, or "max" for one per vCPU');
    }
    const ports = resolvePort(args.app.port);
    const healthCheckPath = args.app.healthCheckPath ?? "/health";
    if (typeof healthCheckPath !== "string" || !/^\/[A-Za-z0-9._~\-/?=&%]*$/.test(healthCheckPath)) {
        invalid("app.healthCheckPath", args.app.healthCheckPath, "not a URL path", 'start it with "/", e.g. "/health"');
    }
    const nodeVersion = args.app.nodeVersion ?? 22;
    if (!nodeVersions.includes(nodeVersion)) {
        invalid("app.nodeVersion", args.app.nodeVersion, "Amazon Linux 2023 does not package this Node.js version", `use one of ${nodeVersions.join(", ")}`);
    }
    const { environment, secrets } = resolveEnvironment(args.app);
    if (!args.network || args.network.vpcId === undefined || args.network.publicSubnetIds === undefined) {
        invalid("network", args.network, "the web tier needs the VPC and its public subnets", "pass network: { vpcId, publicSubnetIds } (e.g. a VPC's id and public subnet ids)");
    }
    if (Array.isArray(args.network.publicSubnetIds) && args.network.publicSubnetIds.length === 0) {
        invalid("network.publicSubnetIds", [], "the instance needs a public subnet", "pass the VPC's public subnet ids");
    }
    const behindCloudFront = args.network.behindCloudFront ?? false;
    if (typeof behindCloudFront !== "boolean") {
        invalid("network.behindCloudFront", behindCloudFront, "expected true or false", "set behindCloudFront: true when CloudFront routes requests to this web tier, or leave it out");
    }
    const ssh = resolveSsh(args);
    const ipv4SshRules = ssh.allowedCidrs.filter((cidr) => !cidr.includes(":")).length;
    if (behindCloudFront && CLOUDFRONT_PREFIX_LIST_WEIGHT + ipv4SshRules > INBOUND_RULES_PER_GROUP) {
        invalid(
            "sshAllowedCidrs",
            ssh.allowedCidrs,
            `behind CloudFront the HTTP rule references CloudFront's prefix list, which counts as ${CLOUDFRONT_PREFIX_LIST_WEIGHT} of the ${INBOUND_RULES_PER_GROUP} inbound rules a security group may hold, leaving ${INBOUND_RULES_PER_GROUP - CLOUDFRONT_PREFIX_LIST_WEIGHT} for SSH, not ${ipv4SshRules}`,
            `list at most ${INBOUND_RULES_PER_GROUP - CLOUDFRONT_PREFIX_LIST_WEIGHT} IPv4 blocks (merge them into wider ones), or use SSM Session Manager instead of SSH`,
        );
    }
    const strategy = resolveStrategy(mode, args.deploy);
    if (args.domain !== undefined && mode === "instance") {
        invalid("domain", args.domain.domainName, "an ACM certificate cannot be installed on an EC2 instance (only load balancers and CloudFront use them), so instance mode cannot serve HTTPS", 'use mode "autoscaling" (an ALB terminates TLS) or put CloudFront in front of the instance');
    }
    const safety = resolveSafety(args.safety);
    if (mode !== "autoscaling") {
        for (const key of ["autoscaling", "loadBalancer"] as const) {
            if (args[key] !== undefined) invalid(key, args[key], `it configures the autoscaling mode's fleet, and this web tier is in ${mode} mode`, `set mode: "autoscaling", or drop ${key}`);
        }
        if (mode === "instance" && args.network.privateSubnetIds !== undefined) {
            invalid("network.privateSubnetIds", "(given)", "instance mode runs one instance in a public subnet and uses no private subnet", 'drop privateSubnetIds, or set mode: "autoscaling"');
        }
    }
    if (mode !== "beanstalk" && args.beanstalk !== undefined) {
        invalid("beanstalk", args.beanstalk, `it configures the beanstalk mode's environment, and this web tier is in ${mode} mode`, 'set mode: "beanstalk", or drop beanstalk');
    }
    if (mode !== "beanstalk" && args.app.startCommand !== undefined) {
        invalid("app.startCommand", args.app.startCommand, `it is the command Beanstalk's Procfile runs, and this web tier is in ${mode} mode, where PM2 starts package.json's main`, 'drop startCommand, or set mode: "beanstalk"');
    }
    if (mode !== "beanstalk" && args.deploy?.trafficSplitting !== undefined) {
        invalid("deploy.trafficSplitting", args.deploy.trafficSplitting, `it configures Beanstalk's traffic-splitting deploys, and this web tier is in ${mode} mode`, 'set mode: "beanstalk" with strategy "traffic-splitting", or drop trafficSplitting');
    }
    if (mode === "beanstalk") {
        checkFleetSubnets(args.network, safety);
        if (args.instance?.elasticIp) {
            invalid("instance.elasticIp", true, "Beanstalk's instances come and go behind its load balancer, the environment's stable address", "drop elasticIp in beanstalk mode (point DNS at the environment, see domain)");
        }
        if (args.deploy?.watchSeconds !== undefined) {
            invalid("deploy.watchSeconds", args.deploy.watchSeconds, "the watch window belongs to the instance mode's release switch; Beanstalk checks a new version's health itself (immutable and traffic-splitting deploys roll back an unhealthy one)", "leave watchSeconds out in beanstalk mode");
        }
    }
    if (mode === "autoscaling") {
        checkFleetSubnets(args.network, safety);
        if (args.instance?.elasticIp) {
            invalid("instance.elasticIp", true, "a fleet's instances come and go; the load balancer is their stable address", "drop elasticIp in autoscaling mode (point DNS at the ALB, see domain)");
        }
    }
    return {
        mode,
        safety,
        autoscaling: resolveAutoscaling(mode === "autoscaling" ? args.autoscaling : undefined, safety),
        loadBalancer: resolveLoadBalancer(mode === "autoscaling" ? args.loadBalancer : undefined, healthCheckPath, safety),
        ...(args.domain !== undefined ? { domain: args.domain } : {}),
        app: {
            path: appPath,
            instances,
            ports,
            healthCheckPath,
            nodeVersion,
            environment,
            secrets,
            secretsManagerArns: args.app.secretsManagerArns ?? [],
            secretsKeyArns: checkKeyArns("app.secretsKeyArns", args.app.secretsKeyArns),
            ...(args.app.startCommand !== undefined ? { startCommand: args.app.startCommand } : {}),
        },
        network: { ...args.network, behindCloudFront },
        instance: resolveInstance(args.instance),
        ssh,
        deploy: { strategy, watchSeconds: resolveWatchSeconds(strategy, args.deploy), ...resolveDeployColors(strategy, args.deploy) },
        ...(mode === "beanstalk" ? { beanstalk: resolveBeanstalk(args, strategy, safety) } : {}),
        releaseBucketName: args.releaseBucketName,
        ...resolveReleaseBucketKeeping(args),
        kmsKeyArn: checkKeyArn("kmsKeyArn", args.kmsKeyArn),
        tags: args.tags ?? {},
        tagContext: args.tagContext ?? {},
    };
}

/**
 * The ALB needs subnets in two AZs at least (ELB API reference,
 * CreateLoadBalancer "Subnets"); production spreads the fleet over two as
 * well. Checked when the lists are literal; Outputs are the stage's, which
 * checks `webstack:network.azCount` itself.
 */
function checkFleetSubnets(network: WebTierNetworkArgs, safety: Safety): void {
    if (Array.isArray(network.publicSubnetIds) && network.publicSubnetIds.length < 2) {
        invalid("network.publicSubnetIds", network.publicSubnetIds, "the load balancer needs subnets in at least two availability zones", "pass one public subnet in each of two AZs or more");
    }
    const fleet = network.privateSubnetIds;
    if (fleet !== undefined && Array.isArray(fleet)) {
        if (fleet.length === 0) invalid("network.privateSubnetIds", [], "the list is empty", "pass the VPC's private subnets, or leave privateSubnetIds out to use the public ones");
        if (safety === "production" && fleet.length < 2) {
            invalid("network.privateSubnetIds", fleet, "production spreads the fleet over at least two availability zones, so one AZ outage leaves instances serving", 'pass a private subnet in each of two AZs or more, or safety: "development"');
        }
    }
}

/** `versioning` and `accessLogs` configure the bucket the component creates; an existing bucket is its owner's business. */
function resolveReleaseBucketKeeping(args: WebTierArgs): Pick<ResolvedWebTierArgs, "versioning" | "accessLogs"> {
    const versioning = resolveVersioning("versioning", args.versioning);
    const accessLogs = resolveAccessLogs("accessLogs", args.accessLogs);
    if (args.releaseBucketName !== undefined && (versioning || accessLogs)) {
        invalid(
            versioning ? "versioning" : "accessLogs",
            versioning ? args.versioning : { prefix: accessLogs?.prefix },
            "they configure the release bucket the component creates, and releaseBucketName names an existing bucket",
            "configure versioning and logging on that bucket where it is created, or drop releaseBucketName",
        );
    }
    return { versioning, accessLogs };
}
