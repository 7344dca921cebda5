import * as assert from "node:assert/strict";
import { DnsAndTls } from "../../components/dns-and-tls";
import { checkComponentName, COMPONENT_NAME_MAX_LENGTH } from "../../components/internal/component-name";
import { ConfigError } from "../../components/internal/errors";
import { ManagedDatabase } from "../../components/managed-database";
import { StaticSite } from "../../components/static-site";
import { Harness } from "../../components/testing";
import { WebTier } from "../../components/web-tier";

const network = { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a"] };
const database = { mode: "rds" as const, vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-0a1b2c3d"] };

/** One way to build each component with otherwise valid args. */
const components: Record<string, (name: string) => unknown> = {
    StaticSite: (name) => new StaticSite(name, { path: "examples/site" }),
    WebTier: (name) => new WebTier(name, { app: { path: "examples/api" }, network }),
    ManagedDatabase: (name) => new ManagedDatabase(name, database),
    DnsAndTls: (name) => new DnsAndTls(name, { domain: "example.com" }),
};

/** Names each component refuses, and why AWS (or a shell) would. */
const BAD_NAMES: Array<[string, string]> = [
    ["web\ntouch /tmp/canary", "a newline (a command in the user data)"],
    ["site;rm -rf /", "shell and S3-invalid characters"],
    ["$(id)", "command substitution"],
    ["my site", "a space"],
    ["Site", "uppercase (S3 and RDS lowercase it: two names could collide)"],
    ["shop.db", "a dot (not allowed in RDS, CloudFront function, IAM-safe names)"],
    ["shop_db", "an underscore (not allowed in S3 bucket names)"],
    ["a/b", "a slash (a level in the SSM parameter path)"],
    ["-web", "a hyphen first (RDS needs a letter first)"],
    ["9web", "a digit first"],
    ["web-", "a hyphen last (RDS)"],
    ["web--api", "two hyphens in a row (RDS)"],
    ["", "empty"],
    ["w".repeat(COMPONENT_NAME_MAX_LENGTH + 1), "too long for <name>-viewer-request + 8 in 64"],
];

describe("component names: one rule for every component", () => {
    let harness: Harness;

    before(async () => {
        harness = await Harness.start({ config: { "aws:region": "eu-west-1" }, project: "shop", stack: "dev" });
    });

    for (const [component, build] of Object.entries(components)) {
        for (const [name, why] of BAD_NAMES) {
            it(`${component} refuses ${JSON.stringify(name.length > 20 ? `${name.slice(0, 20)}...` : name)} (${why}) before registering anything`, () => {
                const before = harness.resources.length;
                assert.throws(
                    () => build(name),
                    (error: unknown) => error instanceof ConfigError && error.setting === "name" && error.value === name && /lowercase letters, digits and single hyphens/.test(error.fix),
                );
                assert.equal(harness.resources.length, before);
            });
        }
    }

    it("WebTier also refuses the aws/amazon/amzn prefixes SSM reserves for document names", () => {
        const before = harness.resources.length;
        for (const name of ["aws-web", "amazon", "amzn-api"]) {
            assert.throws(() => components.WebTier(name), (error: unknown) => error instanceof ConfigError && error.setting === "name" && /SSM reserves/.test(error.message));
        }
        assert.equal(harness.resources.length, before);
        // The prefix rule is WebTier's own: a StaticSite may be called aws-site.
        assert.equal(checkComponentName("aws-site", "StaticSite"), "aws-site");
    });

    it("WebTier refuses an app or stage name that would add a path level or a line to the user data", () => {
        const before = harness.resources.length;
        for (const [setting, tagContext] of [
            ["tagContext.stage", { stage: "dev/../prod" }],
            ["tagContext.stage", { stage: "dev\ntouch /tmp/canary" }],
            ["tagContext.app", { app: "shop app" }],
            ["tagContext.app", { app: "" }],
        ] as const) {
            assert.throws(
                () => new WebTier("web", { app: { path: "examples/api" }, network, tagContext }),
                (error: unknown) => error instanceof ConfigError && error.setting === setting && /letters, digits/.test(error.fix),
            );
        }
        assert.equal(harness.resources.length, before);
    });

    it("accepts names at the limits, and the longest derived name then just fits", () => {
        const longest = "w".repeat(COMPONENT_NAME_MAX_LENGTH);
        for (const name of ["a", "web", "prod-db", "shop-api-2", longest]) assert.equal(checkComponentName(name, "WebTier"), name);
        // CloudFront function names: at most 64 (Pulumi appends "-" and 7 hex characters).
        assert.equal(`${longest}-viewer-request-1234567`.length, 64);
    });
});
