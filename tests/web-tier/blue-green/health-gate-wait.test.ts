import * as assert from "node:assert/strict";
import {
    GateProgress,
    HealthGateError,
    waitForHealthyTargets,
    WaitForHealthyTargetsOptions,
} from "../../../components/web-tier/autoscaling/blue-green/health-gate/wait-for-healthy-targets";
import { FakeClock, serviceError, T0 } from "../autoscaling/rollout-fakes";
import { BLUE_TG, GREEN_TG, ScriptedHealth, ScriptedTargetHealthClient, target } from "./health-gate-fakes";

/** The gate's wait against scripted DescribeTargetHealth answers; the clock is fake, so minutes pass instantly. */
describe("health gate wait (scripted DescribeTargetHealth)", () => {
    function setup(answers: Record<string, ScriptedHealth[]>, overrides: Partial<WaitForHealthyTargetsOptions> = {}) {
        const client = new ScriptedTargetHealthClient(answers);
        const clock = new FakeClock(T0);
        const progress: GateProgress[] = [];
        const notes: string[] = [];
        const options: WaitForHealthyTargetsOptions = {
            client,
            clock,
            targetGroups: [{ color: "green", targetGroupArn: GREEN_TG }],
            timeoutMs: 10 * 60_000,
            pollIntervalMs: 15_000,
            region: "eu-west-1",
            onProgress: (p) => progress.push(p),
            onNote: (n) => notes.push(n),
            ...overrides,
        };
        return { client, clock, progress, notes, options };
    }

    async function rejection(promise: Promise<unknown>): Promise<HealthGateError> {
        try {
            await promise;
        } catch (error) {
            assert.ok(error instanceof HealthGateError, `not a HealthGateError: ${error}`);
            return error;
        }
        assert.fail("the wait resolved");
    }

    /** The same answer `count` times (a state that does not change). */
    const repeat = (answer: ScriptedHealth, count: number): ScriptedHealth[] => Array.from({ length: count }, () => answer);

    it("resolves at the first poll when every target of both serving colors is healthy, with the per-color summary", async () => {
        const { client, clock, options } = setup(
            { [BLUE_TG]: [[target("i-b1", "healthy"), target("i-b2", "healthy")]], [GREEN_TG]: [[target("i-g1", "healthy")]] },
            { targetGroups: [{ color: "blue", targetGroupArn: BLUE_TG, expectedCount: 2 }, { color: "green", targetGroupArn: GREEN_TG }] },
        );
        const summary = await waitForHealthyTargets(options);
        assert.deepEqual(summary, {
            colors: [
                { color: "blue", targetGroupArn: BLUE_TG, healthyCount: 2, elapsedMs: 0 },
                { color: "green", targetGroupArn: GREEN_TG, healthyCount: 1, elapsedMs: 0 },
            ],
            elapsedMs: 0,
            polls: 1,
        });
        assert.deepEqual(client.requests, [{ TargetGroupArn: BLUE_TG }, { TargetGroupArn: GREEN_TG }]);
        assert.equal(clock.time, T0);
    });

    it("resolves after initial → healthy, reporting each look, the color's elapsed time being when it turned healthy", async () => {
        const { client, progress, options } = setup({
            [GREEN_TG]: [
                [target("i-g1", "initial", "Elb.RegistrationInProgress"), target("i-g2", "initial", "Elb.RegistrationInProgress")],
                [target("i-g1", "healthy"), target("i-g2", "initial", "Elb.InitialHealthChecking")],
                [target("i-g1", "healthy"), target("i-g2", "healthy")],
            ],
        });
        const summary = await waitForHealthyTargets(options);
        assert.equal(client.callsFor(GREEN_TG), 3);
        assert.deepEqual(summary.colors, [{ color: "green", targetGroupArn: GREEN_TG, healthyCount: 2, elapsedMs: 30_000 }]);
        assert.equal(summary.elapsedMs, 30_000);
        assert.deepEqual(
            progress.map((p) => [p.elapsedMs, p.groups[0].healthy, p.groups[0].notHealthy.map((t) => `${t.id} ${t.state} ${t.reason}`)]),
            [
                [0, 0, ["i-g1:80 initial Elb.RegistrationInProgress", "i-g2:80 initial Elb.RegistrationInProgress"]],
                [15_000, 1, ["i-g2:80 initial Elb.InitialHealthChecking"]],
                [30_000, 2, []],
            ],
        );
    });

    it("rejects at the timeout naming the one target that stays unhealthy, its reason and description, and that the weights did not move", async () => {
        const sick = [target("i-g1", "healthy"), target("i-g2", "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]")];
        const { client, clock, options } = setup({ [GREEN_TG]: repeat(sick, 100) });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /^Health gate: timed out after 10 min waiting for every target of green to be healthy/);
        assert.ok(error.message.includes(`green (target group ${GREEN_TG}): 1 healthy; 1 target(s) not healthy: i-g2:80 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502]).`), error.message);
        assert.ok(!error.message.includes("i-g1"), "a healthy target is not named");
        assert.match(error.message, /listener weights were left as they were/);
        assert.ok(error.message.includes(`aws elbv2 describe-target-health --target-group-arn ${GREEN_TG} --region eu-west-1`));
        assert.match(error.message, /raise deploy\.gateTimeoutMinutes/);
        assert.equal(error.groups[0].notHealthy[0].id, "i-g2:80");
        // Never past the deadline: 40 sleeps of 15 s, a look after each, plus the first.
        assert.equal(clock.time, T0 + 10 * 60_000);
        assert.equal(client.callsFor(GREEN_TG), 41);
    });

    it("rejects at the timeout saying no targets are registered", async () => {
        const { options } = setup({ [GREEN_TG]: repeat([], 100) }, { timeoutMs: 60_000 });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /timed out after 1 min/);
        assert.ok(error.message.includes(`green (target group ${GREEN_TG}): no targets registered`), error.message);
        assert.deepEqual(error.groups.map((g) => [g.healthy, g.notHealthy.length, g.ready]), [[0, 0, false]]);
    });

    it("ignores draining targets: they neither block the gate nor count as healthy", async () => {
        const { options } = setup({
            [GREEN_TG]: [[target("i-old", "draining", "Target.DeregistrationInProgress"), target("i-sick", "unhealthy.draining"), target("i-g1", "healthy")]],
        });
        const summary = await waitForHealthyTargets(options);
        assert.equal(summary.colors[0].healthyCount, 1);
        assert.equal(summary.polls, 1);
    });

    it("does not count a draining target towards the expected count", async () => {
        const answer = [target("i-old", "draining", "Target.DeregistrationInProgress"), target("i-g1", "healthy")];
        const { options } = setup({ [GREEN_TG]: repeat(answer, 10) }, { targetGroups: [{ color: "green", targetGroupArn: GREEN_TG, expectedCount: 2 }], timeoutMs: 60_000 });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /1 healthy, at least 2 expected/);
    });

    it("waits until the expected count is healthy (a group still launching instances)", async () => {
        const { options } = setup(
            { [GREEN_TG]: [[target("i-g1", "healthy")], [target("i-g1", "healthy"), target("i-g2", "initial", "Elb.RegistrationInProgress")], [target("i-g1", "healthy"), target("i-g2", "healthy")]] },
            { targetGroups: [{ color: "green", targetGroupArn: GREEN_TG, expectedCount: 2 }] },
        );
        const summary = await waitForHealthyTargets(options);
        assert.deepEqual([summary.polls, summary.colors[0].healthyCount], [3, 2]);
    });

    it("treats unused and unavailable as not healthy, and explains Target.NotInUse (no listener rule names the group)", async () => {
        const answer = [target("i-g1", "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"), target("i-g2", "unavailable", "Target.HealthCheckDisabled")];
        const { options } = setup({ [GREEN_TG]: repeat(answer, 10) }, { timeoutMs: 30_000 });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /i-g1:80 unused \(Target\.NotInUse: Target group is not configured/);
        assert.match(error.message, /i-g2:80 unavailable \(Target\.HealthCheckDisabled\)/);
        assert.match(error.message, /no listener rule names this target group/);
    });

    it("needs both colors ready in the same poll: blue turning unhealthy while green becomes healthy keeps waiting", async () => {
        const { client, options } = setup(
            {
                [BLUE_TG]: [[target("i-b1", "healthy")], [target("i-b1", "unhealthy", "Target.Timeout")], [target("i-b1", "healthy")]],
                [GREEN_TG]: [[target("i-g1", "initial", "Elb.InitialHealthChecking")], [target("i-g1", "healthy")], [target("i-g1", "healthy")]],
            },
            { targetGroups: [{ color: "blue", targetGroupArn: BLUE_TG }, { color: "green", targetGroupArn: GREEN_TG }] },
        );
        const summary = await waitForHealthyTargets(options);
        assert.equal(summary.polls, 3);
        assert.equal(client.requests.length, 6);
        // Blue's streak restarted at the third poll; green's began at the second.
        assert.deepEqual(summary.colors.map((c) => [c.color, c.elapsedMs]), [["blue", 30_000], ["green", 15_000]]);
    });

    it("retries a throttled call on the next poll, with a longer wait, then resolves", async () => {
        const { clock, notes, options } = setup({ [GREEN_TG]: [serviceError("Throttling", 400, "Rate exceeded"), [target("i-g1", "healthy")]] });
        const summary = await waitForHealthyTargets(options);
        assert.equal(summary.polls, 2);
        assert.deepEqual(clock.sleeps, [30_000]);
        assert.match(notes[0], /DescribeTargetHealth failed \(Throttling: Rate exceeded\); retry 1\/5/);
    });

    it("retries a network error (ECONNRESET) too", async () => {
        const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        const { options } = setup({ [GREEN_TG]: [reset, [target("i-g1", "healthy")]] });
        assert.equal((await waitForHealthyTargets(options)).polls, 2);
    });

    it("fails at once on a non-transient error, naming the permission", async () => {
        const { client, options } = setup({ [GREEN_TG]: [serviceError("AccessDenied", 403, "not authorized"), [target("i-g1", "healthy")]] });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /could not read the target health of green .*AccessDenied: not authorized/);
        assert.match(error.message, /elasticloadbalancing:DescribeTargetHealth/);
        assert.match(error.message, /listener weights were left as they were/);
        assert.equal(client.requests.length, 1);
    });

    it("gives up after too many transient errors in a row", async () => {
        const { options } = setup({ [GREEN_TG]: repeat(serviceError("ServiceUnavailable", 503), 10) }, { maxConsecutiveErrors: 3, timeoutMs: 60 * 60_000 });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /ServiceUnavailable.*3 attempts in a row failed/);
    });

    it("at the timeout while calls fail, says so along with the last known state", async () => {
        const answers: ScriptedHealth[] = [[target("i-g1", "initial", "Elb.InitialHealthChecking")], ...repeat(serviceError("Throttling", 400, "Rate exceeded"), 5)];
        const { options } = setup({ [GREEN_TG]: answers }, { timeoutMs: 60_000 });
        const error = await rejection(waitForHealthyTargets(options));
        assert.match(error.message, /i-g1:80 initial \(Elb\.InitialHealthChecking\)/);
        assert.match(error.message, /The last DescribeTargetHealth call failed: Throttling: Rate exceeded/);
    });

    it("with the real clock and millisecond timings: times out without waiting long", async () => {
        const client = new ScriptedTargetHealthClient({ [GREEN_TG]: repeat([target("i-g1", "unhealthy", "Target.Timeout", "Request timed out")], 1000) });
        const began = Date.now();
        const error = await rejection(waitForHealthyTargets({ client, targetGroups: [{ color: "green", targetGroupArn: GREEN_TG }], timeoutMs: 60, pollIntervalMs: 5 }));
        assert.match(error.message, /timed out after 60 ms.*i-g1:80 unhealthy \(Target\.Timeout: Request timed out\)/);
        assert.ok(client.requests.length >= 2, `${client.requests.length} polls`);
        assert.ok(Date.now() - began < 2_000);
    });
});
