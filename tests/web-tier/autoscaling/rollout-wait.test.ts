import * as assert from "node:assert/strict";
import { RolloutError, waitForRefresh, WaitForRefreshOptions, RefreshProgress } from "../../../components/web-tier/autoscaling/rollout/wait-for-refresh";
import { FakeClock, refresh, ScriptedAnswer, ScriptedRefreshClient, serviceError, T0 } from "./rollout-fakes";

/** The waiter against scripted DescribeInstanceRefreshes answers; the clock is fake, so minutes pass instantly. */
describe("rollout waiter (scripted DescribeInstanceRefreshes)", () => {
    function setup(answers: ScriptedAnswer[], overrides: Partial<WaitForRefreshOptions> = {}) {
        const client = new ScriptedRefreshClient(answers);
        const clock = new FakeClock(T0 + 30_000);
        const progress: RefreshProgress[] = [];
        const notes: string[] = [];
        const options: WaitForRefreshOptions = {
            client,
            clock,
            autoScalingGroupName: "web-asg",
            region: "eu-west-1",
            launchTemplateVersion: "7",
            notBefore: T0,
            expectRefresh: true,
            timeoutMs: 30 * 60_000,
            pollIntervalMs: 15_000,
            onProgress: (p) => progress.push(p),
            onNote: (n) => notes.push(n),
            ...overrides,
        };
        return { client, clock, progress, notes, options };
    }

    async function rejection(promise: Promise<unknown>): Promise<RolloutError> {
        try {
            await promise;
        } catch (error) {
            assert.ok(error instanceof RolloutError, `not a RolloutError: ${error}`);
            return error;
        }
        assert.fail("the wait resolved");
    }

    it("resolves once the refresh goes Pending → InProgress → Successful, reporting progress", async () => {
        const { client, progress, options } = setup([
            [refresh("r-new", "Pending", 20_000)],
            [refresh("r-new", "InProgress", 20_000, { PercentageComplete: 50, InstancesToUpdate: 1 })],
            [refresh("r-new", "Successful", 20_000, { PercentageComplete: 100, InstancesToUpdate: 0 })],
        ]);
        const result = await waitForRefresh(options);
        assert.deepEqual(result, { outcome: "succeeded", instanceRefreshId: "r-new", calls: 3 });
        assert.deepEqual(progress.map((p) => [p.status, p.percentageComplete, p.instancesToUpdate]), [["Pending", 0, 2], ["InProgress", 50, 1], ["Successful", 100, 0]]);
        // The first look lists the group's refreshes; later looks ask for this one by id.
        assert.equal(client.requests[0].InstanceRefreshIds, undefined);
        assert.deepEqual(client.requests[1].InstanceRefreshIds, ["r-new"]);
        assert.ok(client.requests.every((r) => r.AutoScalingGroupName === "web-asg"));
    });

    it("waits through Baking before Successful", async () => {
        const { options } = setup([[refresh("r-new", "InProgress", 20_000)], [refresh("r-new", "Baking", 20_000)], [refresh("r-new", "Successful", 20_000)]]);
        assert.equal((await waitForRefresh(options)).calls, 3);
    });

    it("rejects a Failed refresh with its status reason, its id, the group and what to do", async () => {
        const reason = "Instance i-0abc failed ELB health checks";
        const { options } = setup([[refresh("r-new", "InProgress", 20_000)], [refresh("r-new", "Failed", 20_000, { StatusReason: reason })]]);
        const error = await rejection(waitForRefresh(options));
        assert.equal(error.status, "Failed");
        assert.equal(error.instanceRefreshId, "r-new");
        assert.match(error.message, /Instance refresh r-new of Auto Scaling group web-asg failed/);
        assert.ok(error.message.includes(reason));
        assert.match(error.message, /describe-scaling-activities --auto-scaling-group-name web-asg --region eu-west-1/);
        assert.match(error.message, /pulumi up --refresh/);
    });

    it("rejects an auto-rollback (RollbackInProgress → RollbackSuccessful) naming it rolled back, only once the rollback ended", async () => {
        const { client, progress, options } = setup([
            [refresh("r-new", "InProgress", 20_000, { PercentageComplete: 50 })],
            [refresh("r-new", "RollbackInProgress", 20_000, { StatusReason: "rolling back", RollbackDetails: { RollbackReason: "health checks failed" } })],
            [refresh("r-new", "RollbackInProgress", 20_000, { RollbackDetails: { RollbackReason: "health checks failed" } })],
            [refresh("r-new", "RollbackSuccessful", 20_000, { RollbackDetails: { RollbackReason: "health checks failed" } })],
        ]);
        const error = await rejection(waitForRefresh(options));
        assert.equal(client.requests.length, 4);
        assert.equal(error.status, "RollbackSuccessful");
        assert.match(error.message, /was rolled back \(RollbackSuccessful\): AWS put back the configuration the group had when the refresh started/);
        assert.match(error.message, /Reason: health checks failed/);
        assert.deepEqual(progress.map((p) => p.status), ["InProgress", "RollbackInProgress", "RollbackInProgress", "RollbackSuccessful"]);
    });

    it("rejects a failed rollback as a possible mix of releases", async () => {
        const { options } = setup([[refresh("r-new", "RollbackFailed", 20_000, { StatusReason: "no capacity" })]]);
        const error = await rejection(waitForRefresh(options));
        assert.match(error.message, /its rollback failed too.*mix of releases.*Reason: no capacity/);
    });

    it("rejects a cancelled refresh (after Cancelling)", async () => {
        const { options } = setup([[refresh("r-new", "Cancelling", 20_000)], [refresh("r-new", "Cancelled", 20_000, { StatusReason: "cancelled by user" })]]);
        const error = await rejection(waitForRefresh(options));
        assert.equal(error.status, "Cancelled");
        assert.match(error.message, /r-new of Auto Scaling group web-asg was cancelled.*cancelled by user/);
    });

    it("times out with the last status, without waiting past the deadline", async () => {
        const answers: ScriptedAnswer[] = Array.from({ length: 200 }, () => [refresh("r-new", "InProgress", 20_000, { PercentageComplete: 40, InstancesToUpdate: 3 })]);
        const { client, clock, options } = setup(answers, { timeoutMs: 10 * 60_000 });
        const error = await rejection(waitForRefresh(options));
        assert.match(error.message, /Timed out after 10 min waiting for instance refresh r-new of Auto Scaling group web-asg: still InProgress at 40% \(3 instance\(s\) to update\)/);
        assert.match(error.message, /was not cancelled/);
        assert.equal(clock.time, T0 + 30_000 + 10 * 60_000);
        // 10 min of 15 s polls: the first look plus one after each of 40 sleeps.
        assert.equal(client.requests.length, 41);
    });

    it("resolves at once when the first create started no refresh (one look)", async () => {
        const { client, notes, options } = setup([[refresh("r-old", "Successful", -86_400_000)]], { expectRefresh: false });
        assert.deepEqual(await waitForRefresh(options), { outcome: "no-refresh", calls: 1 });
        assert.equal(client.requests.length, 1);
        assert.match(notes[0], /nothing to wait for/);
    });

    it("when a refresh is expected, looks again until it appears (eventual consistency)", async () => {
        const { options } = setup([[], [], [refresh("r-new", "Successful", 20_000)]]);
        assert.deepEqual(await waitForRefresh(options), { outcome: "succeeded", instanceRefreshId: "r-new", calls: 3 });
    });

    it("when an expected refresh never appears, gives up looking after appearWithinMs without failing", async () => {
        const { options, notes } = setup([[], [], [], [], [], []], { appearWithinMs: 60_000 });
        assert.deepEqual(await waitForRefresh(options), { outcome: "no-refresh", calls: 5 });
        assert.match(notes.at(-1) ?? "", /appeared within 60 s/);
    });

    it("ignores an older refresh still running, one already settled and a newer one aimed at another version; picks the newest of the rest", async () => {
        const group = [
            refresh("r-older", "Cancelling", -3_600_000),
            refresh("r-settled", "Failed", 10_000),
            refresh("r-other-version", "InProgress", 25_000, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: "web", Version: "6" } } }),
            refresh("r-new", "InProgress", 20_000),
        ];
        const { client, options } = setup([group, [refresh("r-new", "Successful", 20_000)]], { settledRefreshIds: ["r-settled"] });
        const result = await waitForRefresh(options);
        assert.equal(result.instanceRefreshId, "r-new");
        assert.deepEqual(client.requests[1].InstanceRefreshIds, ["r-new"]);
    });

    it("does not mistake an older refresh for this update's when none was started", async () => {
        const { options } = setup([[refresh("r-older", "InProgress", -3_600_000)]], { expectRefresh: false });
        assert.equal((await waitForRefresh(options)).outcome, "no-refresh");
    });

    it("does not wait again for a refresh an earlier run settled, even inside the clock-skew window", async () => {
        const { client, options } = setup([[refresh("r-settled", "Failed", -60_000, { StatusReason: "old failure" })]], { expectRefresh: false, settledRefreshIds: ["r-settled"] });
        assert.equal((await waitForRefresh(options)).outcome, "no-refresh");
        assert.equal(client.requests.length, 1);
    });

    it("accepts a refresh that starts up to clockSkewMs before notBefore (the program's clock ahead of AWS's)", async () => {
        const { options } = setup([[refresh("r-new", "Successful", -120_000)]], { expectRefresh: false, clockSkewMs: 300_000 });
        assert.equal((await waitForRefresh(options)).outcome, "succeeded");
        const strict = setup([[refresh("r-new", "Successful", -120_000)]], { expectRefresh: false, clockSkewMs: 60_000 });
        assert.equal((await waitForRefresh(strict.options)).outcome, "no-refresh");
    });

    it("retries throttling and 5xx with a growing interval, then goes on", async () => {
        const { client, clock, notes, options } = setup([
            [refresh("r-new", "InProgress", 20_000)],
            serviceError("Throttling", 400, "Rate exceeded"),
            serviceError("InternalFailure", 500),
            [refresh("r-new", "Successful", 20_000)],
        ]);
        const result = await waitForRefresh(options);
        assert.equal(result.outcome, "succeeded");
        assert.equal(client.requests.length, 4);
        assert.deepEqual(clock.sleeps, [15_000, 30_000, 60_000]);
        assert.equal(notes.length, 2);
        assert.match(notes[0], /Throttling: Rate exceeded/);
    });

    it("gives up after maxConsecutiveErrors transient errors", async () => {
        const { client, options } = setup(Array.from({ length: 10 }, () => serviceError("Throttling", 400)), { maxConsecutiveErrors: 3 });
        const error = await rejection(waitForRefresh(options));
        assert.equal(client.requests.length, 3);
        assert.match(error.message, /3 attempts in a row failed/);
    });

    it("fails at once on a non-transient error (access denied), naming the permission", async () => {
        const { client, options } = setup([serviceError("AccessDenied", 403, "not authorized to perform autoscaling:DescribeInstanceRefreshes")]);
        const error = await rejection(waitForRefresh(options));
        assert.equal(client.requests.length, 1);
        assert.match(error.message, /AccessDenied.*autoscaling:DescribeInstanceRefreshes/);
    });
});

describe("rollout waiter: no refresh found, group version checked", () => {
    function options(groupVersion: string | undefined | Error, lookups: string[]): WaitForRefreshOptions {
        return {
            client: new ScriptedRefreshClient([[]]),
            clock: new FakeClock(T0 + 30_000),
            autoScalingGroupName: "web-asg",
            region: "eu-west-1",
            launchTemplateVersion: "7",
            notBefore: T0,
            expectRefresh: false,
            timeoutMs: 60_000,
            groupLaunchTemplateVersion: async () => {
                lookups.push("asked");
                if (groupVersion instanceof Error) throw groupVersion;
                return groupVersion;
            },
        };
    }

    it("resolves when the group is on the deployed version", async () => {
        const lookups: string[] = [];
        assert.equal((await waitForRefresh(options("7", lookups))).outcome, "no-refresh");
        assert.equal(lookups.length, 1);
    });

    it("rejects when the group was left on an older version by an earlier rollback, telling to run pulumi up --refresh", async () => {
        const lookups: string[] = [];
        await assert.rejects(waitForRefresh(options("6", lookups)), (e: RolloutError) => /runs launch template version 6, not 7.*pulumi up --refresh/.test(e.message));
    });

    it("rejects when the group cannot be read", async () => {
        await assert.rejects(waitForRefresh(options(serviceError("AccessDenied", 403), [])), /autoscaling:DescribeAutoScalingGroups/);
    });
});
