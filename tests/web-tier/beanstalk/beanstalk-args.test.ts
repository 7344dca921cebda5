import * as assert from "node:assert/strict";
import { ConfigError } from "../../../components/internal/errors";
import { WebTierArgs } from "../../../components/web-tier/args";
import { resolveBeanstalk } from "../../../components/web-tier/beanstalk/args";

const base = {
    app: { path: "examples/api" },
    network: { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] },
};

/** Resolving throws a ConfigError naming `setting`, with a fix. */
function rejects(args: object, strategy: string, safety: "production" | "development", setting: string, message?: RegExp): ConfigError {
    let caught: unknown;
    try {
        resolveBeanstalk({ ...base, ...args } as WebTierArgs, strategy, safety);
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${setting}, got ${String(caught)}`);
    assert.equal(caught.setting, setting);
    assert.ok(caught.fix.length > 0);
    if (message) assert.match(caught.message, message);
    return caught;
}

describe("resolveBeanstalk", () => {
    it("fills in the defaults: two to four instances, CPU 60, 30 days of logs in production, Sunday 02:00, 20 versions", () => {
        const resolved = resolveBeanstalk(base as WebTierArgs, "immutable", "production");
        assert.deepEqual(
            { ...resolved, schedules: resolved.schedules },
            {
                strategy: "immutable",
                deploymentPolicy: "Immutable",
                minSize: 2,
                maxSize: 4,
                cpuTargetPercent: 60,
                schedules: [],
                logRetentionDays: 30,
                updateWindow: "Sun:02:00",
                keepVersions: 20,
                parameterSecrets: {},
                arnSecrets: {},
            },
        );
        assert.equal(resolveBeanstalk(base as WebTierArgs, "rolling", "development").logRetentionDays, 7);
    });

    it("splits app.secrets into parameter names (converted to ARNs later) and ARNs, and takes beanstalk.secrets ARNs", () => {
        const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
        const resolved = resolveBeanstalk(
            { ...base, app: { path: "examples/api", secrets: { API_KEY: "/shop/prod/api-key", OTHER: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/other" } }, beanstalk: { secrets: { DB_PASSWORD: arn } } } as WebTierArgs,
            "immutable",
            "production",
        );
        assert.deepEqual(resolved.parameterSecrets, { API_KEY: "/shop/prod/api-key" });
        assert.deepEqual(resolved.arnSecrets, { OTHER: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/other", DB_PASSWORD: arn });
    });

    describe("rejects before any resource", () => {
        it("a Node.js version without an AL2023 Beanstalk platform", () => rejects({ app: { path: "examples/api", nodeVersion: 18 } }, "immutable", "production", "app.nodeVersion", /no Amazon Linux 2023 platform/));
        it("minSize above maxSize", () => rejects({ beanstalk: { minSize: 5, maxSize: 3 } }, "immutable", "production", "beanstalk.maxSize", /below minSize/));
        it("one instance in production", () => rejects({ beanstalk: { minSize: 1 } }, "immutable", "production", "beanstalk.minSize"));
        it("a CPU target above 90", () => rejects({ beanstalk: { cpuTargetPercent: 95 } }, "immutable", "production", "beanstalk.cpuTargetPercent"));
        it("a traffic-splitting percent out of range", () =>
            rejects({ deploy: { strategy: "traffic-splitting", trafficSplitting: { percent: 0 } } }, "traffic-splitting", "production", "deploy.trafficSplitting.percent"));
        it("a traffic-splitting percent above 100", () =>
            rejects({ deploy: { strategy: "traffic-splitting", trafficSplitting: { percent: 101 } } }, "traffic-splitting", "production", "deploy.trafficSplitting.percent"));
        it("an evaluation time below 3 minutes", () =>
            rejects({ deploy: { strategy: "traffic-splitting", trafficSplitting: { evaluationMinutes: 2 } } }, "traffic-splitting", "production", "deploy.trafficSplitting.evaluationMinutes"));
        it("trafficSplitting with another strategy", () => rejects({ deploy: { strategy: "immutable", trafficSplitting: { percent: 10 } } }, "immutable", "production", "deploy.trafficSplitting"));
        it("all-at-once in production", () => rejects({}, "all-at-once", "production", "deploy.strategy", /down/));
        it("a strategy Beanstalk has no policy for", () => rejects({}, "blue-green", "development", "deploy.strategy"));
        it("a secret in app.secrets that is neither a parameter name nor an ARN, without echoing it", () => {
            const error = rejects({ app: { path: "examples/api", secrets: { API_KEY: "sk_live_123" } } }, "immutable", "production", "app.secrets.API_KEY");
            assert.doesNotMatch(error.message, /sk_live_123/);
        });
        it("a beanstalk secret that is not an ARN, without echoing the value", () => {
            const error = rejects({ beanstalk: { secrets: { DB_PASSWORD: "hunter2" } } }, "immutable", "production", "beanstalk.secrets.DB_PASSWORD");
            assert.doesNotMatch(error.message, /hunter2/);
        });
        it("a secret variable that is also a plain one", () =>
            rejects({ app: { path: "examples/api", environment: { TOKEN: "x" } }, beanstalk: { secrets: { TOKEN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t-AbCdEf" } } }, "immutable", "production", "beanstalk.secrets.TOKEN"));
        it("a log retention CloudWatch Logs does not offer", () => rejects({ beanstalk: { logRetentionDays: 10 } }, "immutable", "production", "beanstalk.logRetentionDays"));
        it("an update window not in Day:HH:MM", () => rejects({ beanstalk: { updateWindow: "Sunday 2am" } }, "immutable", "production", "beanstalk.updateWindow"));
        it("an update window at hour 24", () => rejects({ beanstalk: { updateWindow: "Sun:24:00" } }, "immutable", "production", "beanstalk.updateWindow"));
        it("keeping fewer than two versions", () => rejects({ beanstalk: { keepVersions: 1 } }, "immutable", "production", "beanstalk.keepVersions"));
        it("a schedule with a time zone (Beanstalk recurrences are UTC)", () =>
            rejects({ beanstalk: { schedules: [{ name: "am", recurrence: "0 7 * * 1-5", timeZone: "Europe/Paris", minSize: 4 }] } }, "immutable", "production", "beanstalk.schedules[0].timeZone"));
        it("a schedule with a bad recurrence, named under beanstalk", () =>
            rejects({ beanstalk: { schedules: [{ name: "am", recurrence: "0 25 * * *", minSize: 4 }] } }, "immutable", "production", "beanstalk.schedules[0].recurrence"));
        it("an unknown key (a typo)", () => rejects({ beanstalk: { minsize: 2 } }, "immutable", "production", "beanstalk.minsize"));
    });
});
