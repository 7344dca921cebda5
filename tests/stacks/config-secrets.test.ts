import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../components/internal/errors";
import * as pulumi from "@pulumi/pulumi";
import { parseStageConfig } from "../../stacks/config";
import { engineSecretKeys } from "../../stacks/config/secret-keys";
import { planStage } from "../../stacks/plan/plan-document";

/** A project folder holding one stage file, `Pulumi.sec.yaml`, with `body` under config:. */
function projectWith(body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-secrets-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: webstack\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.sec.yaml"), `config:\n  aws:region: eu-west-1\n  webstack:layout: iaas\n  webstack:network: { nat: none }\n${body}`);
    return dir;
}

const ENCRYPTED = "v1:AAAAAAAAAAAAAAAAc2VjcmV0LXRva2Vu";

describe("stage config: secure values stay secret from the stage file to the resource (issue 10 finding 5)", () => {
    it("a secure: value in webstack:web.app.environment makes the release settings an SSM SecureString shown as [secret]", async () => {
        const rootDir = projectWith(
            `  webstack:web:\n    mode: instance\n    app:\n      environment:\n        LOG_LEVEL: info\n        API_TOKEN:\n          secure: ${ENCRYPTED}\n`,
        );
        const plan = await planStage({ stage: "sec", rootDir });
        const parameters = plan.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter");
        const settings = parameters.filter((r) => JSON.stringify(r.inputs).includes("[secret]"));
        assert.ok(settings.length >= 1, `no SSM parameter holds a secret value: ${parameters.map((p) => p.name).join(", ")}`);
        for (const parameter of settings) assert.equal(parameter.inputs.type, "SecureString", `${parameter.name} stores a secret as ${String(parameter.inputs.type)}`);
        const everything = JSON.stringify(plan);
        assert.ok(!everything.includes(ENCRYPTED), "the ciphertext reached the plan");
        assert.ok(!everything.includes("encrypted in the stage file"), "the secret's stand-in reached a resource unmarked");
    });

    it("without a secure: value the same settings stay a plain String", async () => {
        const rootDir = projectWith(`  webstack:web:\n    mode: instance\n    app:\n      environment:\n        LOG_LEVEL: info\n`);
        const plan = await planStage({ stage: "sec", rootDir });
        const types = plan.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => r.inputs.type);
        assert.ok(types.includes("String") && !types.includes("SecureString"), JSON.stringify(types));
    });

    it("in beanstalk mode a secure: value is refused before any resource: Beanstalk would keep it in plain text in the environment's settings", async () => {
        const rootDir = projectWith(`  webstack:web:\n    mode: beanstalk\n    app:\n      environment:\n        API_TOKEN:\n          secure: ${ENCRYPTED}\n`);
        await assert.rejects(planStage({ stage: "sec", rootDir }), (error: unknown) => error instanceof ConfigError && error.setting === "webstack:web.app.environment" && /app\.secrets/.test(error.fix));
    });

    it("a beanstalk stage's plan holds no secret value: secrets reach the environment as ARNs only (staging, with its database)", async () => {
        const plan = await planStage({ stage: "staging" });
        const environment = plan.resources.find((r) => r.type === "aws:elasticbeanstalk/environment:Environment");
        assert.ok(environment, "staging runs Beanstalk");
        assert.ok(!JSON.stringify(environment.inputs).includes("[secret]"), "a setting of the environment is secret");
        const settings = environment.inputs.settings as { namespace: string; name: string; value: string }[];
        const secrets = settings.filter((setting) => setting.namespace === "aws:elasticbeanstalk:application:environmentsecrets");
        assert.deepEqual(secrets.map((setting) => setting.name), ["DB_CREDENTIALS"]);
        for (const setting of secrets) assert.match(setting.value, /^arn:aws:secretsmanager:/);
    });

    it("under the engine, reads which keys are secret the way Config.getSecret does (PULUMI_CONFIG_SECRET_KEYS)", () => {
        const config = { "aws:region": "eu-west-1", "webstack:layout": "iaas", "webstack:web": '{"app":{"environment":{"API_TOKEN":"s3cr3t"}}}' };
        pulumi.runtime.setAllConfig(config, ["webstack:web"]);
        assert.deepEqual(engineSecretKeys(pulumi.runtime.allConfig()), ["webstack:web"]);
        assert.deepEqual(parseStageConfig(config, "dev", engineSecretKeys(config)).secretKeys, ["webstack:web"]);
    });

    for (const key of ["webstack:tags", "webstack:network", "webstack:database", "webstack:site"]) {
        it(`refuses a secure: value under ${key}, whose value becomes plain resource inputs`, () => {
            const config = { "aws:region": "eu-west-1", "webstack:layout": "iaas", [key]: "{}" };
            assert.throws(
                () => parseStageConfig(config, "dev", [key]),
                (error: unknown) => error instanceof ConfigError && error.setting === key && /webstack:web\.app\.environment/.test(error.fix),
            );
        });
    }
});
