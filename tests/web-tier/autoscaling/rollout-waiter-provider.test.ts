import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Harness } from "../../../components/testing";
import { RolloutWaiter } from "../../../components/web-tier/autoscaling/rollout/rollout-waiter";
import { FakeAutoScalingApi } from "./fake-auto-scaling-api";

// Pulumi's dynamic-provider host loads the serialized provider with this package.
const requireFromString = require("require-from-string") as (code: string) => { handler: () => any };

/**
 * The provider exactly as Pulumi runs it (its serialized text, loaded from a
 * string), its methods called with plain inputs, against a loopback Auto
 * Scaling Query API: proves the SDK client's wiring (region, endpoint,
 * the stack's keys from `configure`) and the create/update paths.
 */
describe("RolloutWaiter provider (serialized, against a loopback Auto Scaling API)", function () {
    this.timeout(30_000);
    const api = new FakeAutoScalingApi();
    let provider: any;
    let inputs: Record<string, any>;
    const started = Date.now();
    const savedEnv = { ...process.env };

    before(async () => {
        const endpoint = await api.start();
        // The environment's keys must lose to the stack's keys handed to configure.
        Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIAENVIRONMENT", AWS_SECRET_ACCESS_KEY: "env-secret" });
        const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
        new RolloutWaiter("web-rollout", {
            autoScalingGroupName: "web-asg-123",
            launchTemplateVersion: "1",
            timeoutMinutes: 1,
            region: "eu-west-1",
            aws: { stackKeys: true, endpoints: { autoscaling: endpoint } },
            deployStartedAt: started,
            pollIntervalMs: 20,
        });
        await harness.settled();
        const recorded = harness.inputsOf(harness.get("pulumi-nodejs:dynamic:Resource", "web-rollout"));
        provider = requireFromString(recorded.__provider).handler();
        const stackConfig: Record<string, string> = { "aws:accessKey": "AKIASTACKKEY", "aws:secretKey": "stack-secret" };
        await provider.configure({ config: { get: (key: string) => stackConfig[key] } as unknown as pulumi.dynamic.Config });
        inputs = Object.fromEntries(Object.entries(recorded).filter(([key]) => !key.startsWith("__")));
    });

    after(async () => {
        process.env = savedEnv;
        await api.stop();
    });

    it("create on a new group: one look, no refresh, the group on the deployed version; signed with the stack's keys for eu-west-1", async () => {
        api.refreshAnswers = [[{ id: "r-old", status: "Successful", startTime: new Date(started - 86_400_000) }]];
        const result = await provider.create(inputs);
        assert.equal(result.outs.outcome, "no-refresh");
        assert.equal(result.outs.instanceRefreshId, "");
        assert.equal(result.id, "web-asg-123/rollout");
        assert.equal(api.refreshCalls().length, 1);
        assert.equal(api.refreshCalls()[0].params.AutoScalingGroupName, "web-asg-123");
        const auth = api.requests[0].authorization;
        assert.match(auth, /Credential=AKIASTACKKEY\/\d{8}\/eu-west-1\/autoscaling\/aws4_request/);
        assert.deepEqual(api.requests.map((r) => r.params.Action), ["DescribeInstanceRefreshes", "DescribeAutoScalingGroups"]);
        inputs = result.outs;
    });

    it("update to a new version waits for that version's refresh through Pending and InProgress, across a throttled call", async () => {
        api.requests.length = 0;
        const refresh = (status: string, percentageComplete = 0) => [
            { id: "r-old", status: "Cancelled", startTime: new Date(started - 3_600_000), desiredVersion: "1" },
            { id: "r-2", status, startTime: new Date(started + 5_000), desiredVersion: "2", percentageComplete, instancesToUpdate: 1 },
        ];
        api.refreshAnswers = [refresh("Pending"), { errorCode: "Throttling" }, refresh("InProgress", 50), refresh("Successful", 100)];
        const news = { ...inputs, launchTemplateVersion: "2" };
        const result = await provider.update("id", inputs, news);
        assert.equal(result.outs.outcome, "succeeded");
        assert.equal(result.outs.instanceRefreshId, "r-2");
        assert.equal(result.outs.launchTemplateVersion, "2");
        // The SDK retried the throttled call itself: 4 requests, no error surfaced to the waiter.
        assert.equal(api.refreshCalls().length, 4);
        assert.equal(api.refreshCalls()[3].params["InstanceRefreshIds.member.1"], "r-2");
        inputs = result.outs;
    });

    it("update whose refresh is rolled back fails with the status reason and the refresh id", async () => {
        api.requests.length = 0;
        const refresh = (status: string, statusReason?: string) => [
            { id: "r-2", status: "Successful", startTime: new Date(started + 5_000), desiredVersion: "2" },
            { id: "r-3", status, startTime: new Date(started + 60_000), desiredVersion: "3", statusReason },
        ];
        api.refreshAnswers = [refresh("InProgress"), refresh("RollbackInProgress", "Instance failed ELB health checks"), refresh("RollbackSuccessful", "Instance failed ELB health checks")];
        await assert.rejects(provider.update("id", inputs, { ...inputs, launchTemplateVersion: "3" }), (e: Error) => {
            assert.match(e.message, /Instance refresh r-3 of Auto Scaling group web-asg-123 was rolled back/);
            assert.match(e.message, /Instance failed ELB health checks/);
            return true;
        });
        // r-2, settled by the previous update, was never waited for again.
        assert.ok(api.refreshCalls().slice(1).every((r) => r.params["InstanceRefreshIds.member.1"] === "r-3"));
    });

    it("update with no refresh while the group is still on an older version fails, telling to refresh the state", async () => {
        api.requests.length = 0;
        api.refreshAnswers = [[{ id: "r-2", status: "Successful", startTime: new Date(started + 5_000), desiredVersion: "2" }]];
        api.groupVersion = "2";
        const quick = { ...inputs, launchTemplateVersion: "4", deployStartedAt: Date.now() + 3_600_000 };
        await assert.rejects(provider.update("id", { ...inputs, autoScalingGroupName: "web-asg-123" }, { ...quick }), /runs launch template version 2, not 4.*pulumi up --refresh/);
    });
});
