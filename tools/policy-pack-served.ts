import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { PlanDocument, planStage, REPO_ROOT } from "../stacks/plan/plan-document";
import { loadStageFile } from "../stacks/plan/stage-file";

/**
 * `npx ts-node --transpile-only tools/policy-pack-served.ts`
 *
 * The pack as the engine runs it, minus the CLI: `pulumi-analyzer-policy`
 * runs @pulumi/pulumi's cmd/run-policy-pack in the pack's folder with the
 * engine's address and "." (pulumi/pulumi analyzer_plugin.go
 * NewPolicyAnalyzer), which type-checks and loads index.ts; the PolicyPack
 * serves the Analyzer gRPC service and prints its port. This test is that
 * engine's side: it asks GetAnalyzerInfo for the policies and sends
 * AnalyzeStack a prod plan as stack resources, over gRPC.
 *
 * It starts a policy server (a child process of its own, stopped by its
 * pid at the end), so it is a script, not part of `npm test`: the tests
 * load the pack's entry only once, without a server
 * (tests/policy/pack-loading.test.ts). Exit 0 when every check holds.
 */
const grpc = require("@grpc/grpc-js");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const PACK_DIR = path.join(REPO_ROOT, "policy", "pack");
const RUN_POLICY_PACK = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
const LEVEL = Object.fromEntries(Object.entries(analyzerProto.EnforcementLevel as Record<string, number>).map(([name, value]) => [value, name.toLowerCase()]));

function startPack(stack: string): Promise<{ child: ChildProcess; port: number }> {
    const config = loadStageFile(REPO_ROOT, stack).config;
    const child = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:1", "."], {
        cwd: PACK_DIR,
        env: { ...process.env, PULUMI_NODEJS_STACK: stack, PULUMI_CONFIG: JSON.stringify(config) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const port = /^(\d+)\s*$/m.exec(out);
            if (port) resolve({ child, port: Number(port[1]) });
        });
        child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving:\n${out}\n${err}`)));
    });
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

const urnOf = (plan: PlanDocument, type: string, name: string) => `urn:pulumi:${plan.stage}::webstack::${type}::${name}`;

/** The plan's resources as the engine sends them to AnalyzeStack: state (inputs and outputs), provider, parent URN. */
function stackRequest(plan: PlanDocument): unknown {
    const byName = new Map(plan.resources.map((resource) => [resource.name, resource]));
    const request = new analyzerProto.AnalyzeStackRequest();
    request.setResourcesList(
        plan.resources.map((planned) => {
            const resource = new analyzerProto.AnalyzerResource();
            resource.setUrn(urnOf(plan, planned.type, planned.name));
            resource.setType(planned.type);
            resource.setName(planned.name);
            resource.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify({ ...planned.inputs, ...planned.outputs }))));
            resource.setOptions(new analyzerProto.AnalyzerResourceOptions());
            if (planned.parent) resource.setParent(urnOf(plan, byName.get(planned.parent)!.type, planned.parent));
            if (planned.provider) {
                const provider = new analyzerProto.AnalyzerProviderResource();
                provider.setType("pulumi:providers:aws");
                provider.setName(planned.provider.name);
                provider.setUrn(urnOf(plan, "pulumi:providers:aws", planned.provider.name));
                provider.setProperties(Struct.fromJavaScript({ region: planned.provider.region }));
                resource.setProvider(provider);
            }
            return resource;
        }),
    );
    return request;
}

async function main(): Promise<void> {
    const [pack, plan] = await Promise.all([startPack("prod"), planStage({ stage: "prod" })]);
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
    try {
        // GetAnalyzerInfo: pack webstack, 49 checklist policies mandatory in prod (row 45 advisory) and the waivers list.
        const info = await call<any>(client, "getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "webstack");
        const policies = info.getPoliciesList().map((policy: any) => [policy.getName(), LEVEL[policy.getEnforcementlevel()]]);
        assert.equal(policies.length, 50);
        assert.deepEqual(policies.filter(([, level]: string[]) => level !== "mandatory"), [["checklist-45", "advisory"], ["checklist-waivers", "advisory"]]);
        console.log(`GetAnalyzerInfo: ${info.getName()}, ${policies.length} policies, ${policies.filter(([, level]: string[]) => level === "mandatory").length} mandatory`);

        // AnalyzeStack over prod: no mandatory diagnostic; the waived findings come back advisory.
        const clean = await call<any>(client, "analyzeStack", stackRequest(plan));
        const diagnostics = clean.getDiagnosticsList().map((d: any) => [d.getPolicyname(), LEVEL[d.getEnforcementlevel()]]);
        assert.deepEqual(diagnostics.filter(([, level]: string[]) => level === "mandatory"), []);
        assert.ok(diagnostics.length > 0 && diagnostics.every(([name]: string[]) => name === "checklist-waivers"), JSON.stringify(diagnostics));
        console.log(`AnalyzeStack(prod): ${diagnostics.length} advisory diagnostics, all from checklist-waivers, none mandatory`);

        // AnalyzeStack over prod with a public database: one mandatory checklist-33 diagnostic on the database's URN.
        const broken = structuredClone(plan);
        const database = broken.resources.find((resource) => resource.type === "aws:rds/instance:Instance")!;
        database.inputs.publiclyAccessible = true;
        const response = await call<any>(client, "analyzeStack", stackRequest(broken));
        const mandatory = response.getDiagnosticsList().filter((d: any) => LEVEL[d.getEnforcementlevel()] === "mandatory");
        assert.deepEqual(
            mandatory.map((d: any) => [d.getPolicyname(), d.getUrn()]),
            [["checklist-33", urnOf(plan, database.type, database.name)]],
        );
        console.log(`AnalyzeStack(prod, public database): mandatory ${mandatory[0].getPolicyname()} on ${mandatory[0].getUrn()}:\n${mandatory[0].getMessage()}`);
    } finally {
        client.close();
        if (pack.child.pid) process.kill(pack.child.pid);
    }
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
