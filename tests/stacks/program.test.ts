import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/internal/errors";
import { Harness } from "../../components/testing";
import { parseStageConfig } from "../../stacks/config";
import { runProgram } from "../../stacks/program";
import { loadStageFile, applyOverrides } from "../../stacks/plan/stage-file";
import { REPO_ROOT } from "../../stacks/plan/plan-document";

/**
 * A bad setting in any part stops the program before the first resource is
 * registered, even when the part that owns it runs last.
 */
describe("the program validates every part first", () => {
    const cases = [
        { override: "webstack:web.app.port=70000", setting: "webstack:web.app.port" },
        { override: "webstack:web.deploy.strategy=all-at-once", setting: "webstack:web.deploy.strategy" },
        { override: "webstack:database.backupRetentionDays=3", setting: "webstack:database.backupRetentionDays" },
        { override: "webstack:site.path=examples/missing", setting: "webstack:site.path" },
        { override: "webstack:web.sshAllowedCidrs=[\"0.0.0.0/0\"]", setting: "webstack:web.sshAllowedCidrs" },
    ];

    for (const { override, setting } of cases) {
        it(`rejects ${override} in prod with no resource registered`, async () => {
            const file = loadStageFile(REPO_ROOT, "prod");
            const config = applyOverrides(file.config, [override]);
            const harness = await Harness.start({ stack: "prod", config, hostedZones: ["example.com"] });
            let caught: unknown;
            try {
                // SSH from anywhere in prod is refused by the stage config itself (issue 10 finding 8).
                runProgram(parseStageConfig(config, "prod"));
            } catch (error) {
                caught = error;
            }
            await harness.settled();
            assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
            assert.equal(caught.setting, setting);
            assert.deepEqual(harness.resources.map((r) => `${r.type} ${r.name}`), []);
        });
    }
});
