import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { rejectsArgs } from "./reject-args";
import * as path from "node:path";
import { cronProblem } from "../../components/web-tier/autoscaling/args";
import { resolveWebTierArgs, WebTierArgs } from "../../components/web-tier/args";
import { Harness } from "../../components/testing";
import { WebTier } from "../../components/web-tier";

const app = path.resolve("examples/api");
const network = { vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"] };
const fleet: WebTierArgs = { mode: "autoscaling", app: { path: app }, network };

const rejects = rejectsArgs;

describe("WebTier autoscaling args (pure resolution)", () => {
    it("fills in production defaults: 2 to 4 instances, 60 % CPU, launch before terminate, a 30-minute rollout, protected ALB", () => {
        const resolved = resolveWebTierArgs(fleet);
        assert.equal(resolved.mode, "autoscaling");
        assert.equal(resolved.safety, "production");
        assert.equal(resolved.deploy.strategy, "rolling");
        assert.deepEqual(
            { ...resolved.autoscaling },
            { minSize: 2, maxSize: 4, desiredCapacity: 2, healthCheckGracePeriodSeconds: 300, cpuTargetPercent: 60, schedules: [], maxHealthyPercentage: 200, instanceWarmupSeconds: 300, rolloutTimeoutMinutes: 30 },
        );
        assert.deepEqual(resolved.loadBalancer, {
            idleTimeoutSeconds: 60,
            deregistrationDelaySeconds: 30,
            healthCheck: { path: "/health", intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
            deletionProtection: true,
            waf: true,
        });
    });

    it("development allows one instance, and leaves the ALB unprotected unless asked", () => {
        const resolved = resolveWebTierArgs({ ...fleet, safety: "development", autoscaling: { minSize: 1 }, loadBalancer: { waf: true } });
        assert.deepEqual([resolved.autoscaling.minSize, resolved.autoscaling.maxSize], [1, 4]);
        assert.deepEqual([resolved.loadBalancer.deletionProtection, resolved.loadBalancer.waf], [false, true]);
    });

    it("takes schedules with their time zone, sizes it does not name left unchanged", () => {
        const resolved = resolveWebTierArgs({ ...fleet, autoscaling: { maxSize: 8, schedules: [{ name: "weekday-morning", recurrence: "0  7 * * MON-FRI", timeZone: "Europe/Paris", minSize: 4 }] } });
        assert.deepEqual(resolved.autoscaling.schedules, [{ name: "weekday-morning", recurrence: "0 7 * * MON-FRI", timeZone: "Europe/Paris", minSize: 4 }]);
    });

    it("accepts the seed's 90 % CPU target", () => {
        assert.equal(resolveWebTierArgs({ ...fleet, autoscaling: { cpuTargetPercent: 90 } }).autoscaling.cpuTargetPercent, 90);
    });

    describe("rejects bad input before any resource, naming the arg", () => {
        const cases: Array<[string, WebTierArgs, string, RegExp?]> = [
            ["min > max", { ...fleet, autoscaling: { minSize: 5, maxSize: 3 } }, "autoscaling.maxSize", /below minSize/],
            ["desired below the range", { ...fleet, autoscaling: { minSize: 2, maxSize: 4, desiredCapacity: 1 } }, "autoscaling.desiredCapacity", /outside/],
            ["desired above the range", { ...fleet, autoscaling: { minSize: 2, maxSize: 4, desiredCapacity: 5 } }, "autoscaling.desiredCapacity", /outside/],
            ["one instance in production", { ...fleet, autoscaling: { minSize: 1 } }, "autoscaling.minSize", /production/],
            ["one AZ for the ALB", { ...fleet, network: { ...network, publicSubnetIds: ["subnet-a"] } }, "network.publicSubnetIds", /two availability zones/],
            ["one AZ for the fleet in production", { ...fleet, network: { ...network, privateSubnetIds: ["subnet-c"] } }, "network.privateSubnetIds", /two availability zones/],
            ["a CPU target of 95 %", { ...fleet, autoscaling: { cpuTargetPercent: 95 } }, "autoscaling.cpuTargetPercent"],
            ["a CPU target of 5 %", { ...fleet, autoscaling: { cpuTargetPercent: 5 } }, "autoscaling.cpuTargetPercent"],
            ["a cron with an hour of 25", { ...fleet, autoscaling: { schedules: [{ name: "late", recurrence: "0 25 * * *", minSize: 2 }] } }, "autoscaling.schedules[0].recurrence", /hour/],
            ["a cron with six fields", { ...fleet, autoscaling: { schedules: [{ name: "q", recurrence: "0 0 7 * * 1", minSize: 2 }] } }, "autoscaling.schedules[0].recurrence", /5 fields/],
            ["an unknown time zone", { ...fleet, autoscaling: { schedules: [{ name: "m", recurrence: "0 7 * * 1-5", timeZone: "Europe/Atlantis", minSize: 3 }] } }, "autoscaling.schedules[0].timeZone", /IANA/],
            ["a schedule that changes no size", { ...fleet, autoscaling: { schedules: [{ name: "noop", recurrence: "0 7 * * *" }] } }, "autoscaling.schedules[0]", /no size/],
            ["two schedules with one name", { ...fleet, autoscaling: { maxSize: 6, schedules: [{ name: "a", recurrence: "0 7 * * *", minSize: 3 }, { name: "a", recurrence: "0 20 * * *", minSize: 2 }] } }, "autoscaling.schedules[1].name", /two schedules/],
            ["a schedule that takes a production fleet to one instance at night", { ...fleet, autoscaling: { schedules: [{ name: "night", recurrence: "0 22 * * *", minSize: 1, desiredCapacity: 1 }] } }, "autoscaling.schedules[0].minSize", /at night/],
            ["a schedule with min above its max", { ...fleet, autoscaling: { schedules: [{ name: "x", recurrence: "0 7 * * *", minSize: 5, maxSize: 3 }] } }, "autoscaling.schedules[0].minSize"],
            ["a health path without a leading slash", { ...fleet, app: { path: app, healthCheckPath: "health" } }, "app.healthCheckPath"],
            ["a health check timeout as long as its interval", { ...fleet, loadBalancer: { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } } }, "loadBalancer.healthCheck.timeoutSeconds", /shorter than the interval/],
            ["maxHealthyPercentage 100 (terminate before launch)", { ...fleet, autoscaling: { maxHealthyPercentage: 100 } }, "autoscaling.maxHealthyPercentage"],
            ["an idle timeout of 0", { ...fleet, loadBalancer: { idleTimeoutSeconds: 0 } }, "loadBalancer.idleTimeoutSeconds"],
            ["a rollout timeout of 2 minutes", { ...fleet, autoscaling: { rolloutTimeoutMinutes: 2 } }, "autoscaling.rolloutTimeoutMinutes"],
            ["in-place, an instance-mode strategy", { ...fleet, deploy: { strategy: "in-place" } }, "deploy.strategy", /not available in autoscaling mode/],
            ["a watch window (the instance mode's)", { ...fleet, deploy: { watchSeconds: 30 } }, "deploy.watchSeconds"],
            ["an Elastic IP", { ...fleet, instance: { elasticIp: true } }, "instance.elasticIp"],
            ["autoscaling args in instance mode", { app: { path: app }, network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"] }, autoscaling: { minSize: 2 } }, "autoscaling", /instance mode/],
            ["load balancer args in instance mode", { app: { path: app }, network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"] }, loadBalancer: { waf: true } }, "loadBalancer"],
            ["an unknown safety preset", { ...fleet, safety: "yolo" as never }, "safety"],
        ];
        for (const [title, args, setting, message] of cases) it(title, () => void rejects(args, setting, message));
    });

    it("registers nothing when the args are bad (the component resolves before super())", async () => {
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        assert.throws(() => new WebTier("bad", { ...fleet, autoscaling: { minSize: 5, maxSize: 3 } }), (error: unknown) => error instanceof ConfigError && error.setting === "autoscaling.maxSize");
        await harness.settled();
        assert.equal(harness.resources.length, 0);
    });

    it("checks cron fields: lists, ranges, steps and names pass; values outside a field's range do not", () => {
        for (const good of ["*/15 * * * *", "0 7,12 1-15 JAN-MAR mon-fri", "30 6 * * 0", "0 0 1 */2 7"]) assert.equal(cronProblem(good), undefined, good);
        for (const [bad, part] of [["60 * * * *", /minute/], ["* * 0 * *", /day of month/], ["* * * 13 *", /month/], ["* * * * 8", /day of week/], ["*/0 * * * *", /step of 0/], ["5-1 * * * *", /backwards/]] as const) {
            assert.match(String(cronProblem(bad)), part, bad);
        }
    });
});
