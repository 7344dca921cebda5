import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/internal/errors";

describe("ConfigError: how values are shown", () => {
    it("shows an Output as a computed value, never Pulumi's toJSON warning", () => {
        const error = new ConfigError({ setting: "subnetIds", value: pulumi.output("subnet-1"), problem: "p", fix: "f" });
        assert.equal(error.message, "Invalid subnetIds = (a computed value): p. Fix: f");
    });

    it("shows Outputs inside lists and objects as computed values, the rest as JSON", () => {
        const value = [pulumi.output("subnet-1"), "subnet-2", { id: pulumi.output("x"), n: 1 }];
        const error = new ConfigError({ setting: "subnetIds", value, problem: "p", fix: "f" });
        assert.equal(error.message, 'Invalid subnetIds = ["(a computed value)","subnet-2",{"id":"(a computed value)","n":1}]: p. Fix: f');
        assert.equal(error.value, value, "the error keeps the value itself");
    });

    it("shows a resource given where a value was expected as a resource, not its Outputs", async () => {
        const { Harness } = await import("../../components/testing");
        await Harness.start({ config: { "aws:region": "eu-west-1" } });
        const group = new aws.ec2.SecurityGroup("web", {});
        const error = new ConfigError({ setting: "allowedSecurityGroupIds", value: [group], problem: "p", fix: "f" });
        assert.equal(error.message, 'Invalid allowedSecurityGroupIds = ["(a resource)"]: p. Fix: f');
    });

    it("still shows plain values as JSON and a missing one as not set", () => {
        assert.match(new ConfigError({ setting: "a", value: { b: [1, "c"] }, problem: "p", fix: "f" }).message, /^Invalid a = \{"b":\[1,"c"\]\}:/);
        assert.match(new ConfigError({ setting: "a", value: undefined, problem: "p", fix: "f" }).message, /^Invalid a = \(not set\):/);
    });
});
