// The blue/green traffic move rehearsed for real on loopback (issue 13, must-
// show 3): a front nginx weighted like the ALB listener, two fleets of the
// real payload (nginx + PM2 + examples/api deployed by release-switch.sh),
// the worked release's steps with each step's weights from trafficShares, and
// LOAD_CONNECTIONS requests in flight across the whole sequence.
//
// What must hold: no request fails at any step (deploying green under load
// included), and each step's answers split by version as its weights say:
// exactly none from a color at 0 %, within TOLERANCE points otherwise.
import * as assert from "node:assert/strict";
import { trafficShares } from "../../../components/web-tier/autoscaling/blue-green/traffic";
import { requireNginx } from "../loopback-sandbox";
import { RehearsalResult, rehearseTrafficMove, StepResult } from "./traffic-move";
import { WORKED_RELEASE } from "./worked-release";

const LOAD_CONNECTIONS = 2000;
/** Seconds each step is measured, once its weights are in force: a few thousand answers on 2 cores. */
const STEP_SECONDS = 3;
/** Percentage points the observed v2 share may differ from the configured green share. */
const TOLERANCE = 5;

describe("blue/green traffic move on loopback (front nginx + two fleets of nginx + PM2, real)", function () {
    this.timeout(240_000);
    let result: RehearsalResult;

    before(async function () {
        requireNginx(this);
        result = await rehearseTrafficMove({ connections: LOAD_CONNECTIONS, stepSeconds: STEP_SECONDS });
        for (const [index, step] of result.steps.entries()) {
            console.log(`      step ${index + 1}: ${JSON.stringify({ configured: step.configured, answers: step.answersByVersion, failed: step.failed, inFlight: step.inFlight, moveMs: step.moveMs })}`);
        }
    });

    const describeStep = (step: StepResult) => JSON.stringify({ label: step.label, configured: step.configured, answers: step.answersByVersion, failed: step.failed, inFlight: step.inFlight });

    it(`keeps ${LOAD_CONNECTIONS} requests in flight across every step and fails none`, () => {
        const { load, steps, balancerErrors } = result;
        const summary = `${JSON.stringify(load)}\nfront nginx error log:\n${balancerErrors ?? "(no failure)"}`;
        assert.equal(steps.length, WORKED_RELEASE.length, "every step of the worked release should have run");
        assert.equal(load.non2xx, 0, `non-2xx answers: ${summary}`);
        assert.equal(load.dropped, 0, `requests lost with their connection: ${summary}`);
        assert.equal(load.failed, 0, `failed requests: ${summary}`);
        for (const step of steps) {
            assert.equal(step.failed, 0, `failed during the step: ${describeStep(step)}`);
            assert.ok(step.inFlight.min >= LOAD_CONNECTIONS, `in flight should stay >= ${LOAD_CONNECTIONS} through the step: ${describeStep(step)}`);
            // Enough answers that a share within the tolerance means something.
            assert.ok(step.measured.answered >= 1000, `too few answers to measure a share: ${describeStep(step)}`);
        }
    });

    it("runs each step with the weights trafficShares gives for its deploy.traffic", () => {
        assert.deepEqual(result.steps.map((step) => step.configured), WORKED_RELEASE.map((step) => trafficShares(step.traffic)));
    });

    WORKED_RELEASE.forEach((fixture, index) => {
        const green = trafficShares(fixture.traffic).green;
        it(`step ${index + 1} (${fixture.label}): v2 answers ${green} % of requests${green === 0 || green === 100 ? " exactly" : ` (± ${TOLERANCE} points)`}`, () => {
            const step = result.steps[index];
            const answers = step.answersByVersion;
            const v1 = answers.v1 ?? 0;
            const v2 = answers.v2 ?? 0;
            // Every 2xx answer named a version a fleet runs.
            assert.deepEqual(Object.keys(answers).filter((version) => version !== "v1" && version !== "v2"), [], `unexpected versions: ${describeStep(step)}`);
            // Non-2xx answers carry no version: they show up here as well as in the failed count.
            assert.equal(v1 + v2, step.measured.answered, `answers without a version (non-2xx): ${describeStep(step)}`);
            if (green === 0) assert.equal(v2, 0, `green at 0 % answered: ${describeStep(step)}`);
            else if (green === 100) assert.equal(v1, 0, `blue at 0 % answered: ${describeStep(step)}`);
            else {
                const observed = (100 * v2) / (v1 + v2);
                assert.ok(Math.abs(observed - green) <= TOLERANCE, `v2 answered ${observed.toFixed(2)} %, configured ${green} %: ${describeStep(step)}`);
            }
        });
    });
});
