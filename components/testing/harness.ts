import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { setMockOptions } from "@pulumi/pulumi/runtime/settings";
// Internal (untyped) SDK helper: resolves once every registration under way,
// including the input preparation before its RPC (e.g. a dynamic provider's
// serialization, ~0.3 s), has finished.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
import { autoNamedOutputs } from "./auto-naming";
import { defaultComputedOutputs, genericOutputs, OutputComputer } from "./computed-outputs";
import { stableHex } from "./fake-ids";
import { CallAnswer, defaultLookups } from "./lookups";
import { plainInputs, RecordedResource } from "./recorded-resource";
import { RecordingMonitor } from "./recording-monitor";

export interface HarnessOptions {
    /** Pulumi project name. @default "webstack" */
    project?: string;
    /** Pulumi stack (stage) name. @default "test" */
    stack?: string;
    /**
     * Stack configuration, as `pulumi config` would hold it: fully-qualified
     * keys, string values (objects JSON-encoded).
     * @example { "aws:region": "eu-west-1", "webstack:layout": "paas" }
     */
    config?: Record<string, string>;
    /** Keys of `config` whose values are secrets. */
    secretKeys?: string[];
    /** The stack's AWS region when `config` has no `aws:region`. @default "us-east-1" */
    region?: string;
    /** Public hosted zones that exist in the fake account. @default [] */
    hostedZones?: string[];
    /** Extra or replacement answers to provider functions, by token. */
    calls?: Record<string, CallAnswer>;
    /** Extra or replacement computed outputs, by resource type token. */
    outputs?: Record<string, OutputComputer>;
    /** Run as a preview (unknown values stay unknown). @default false */
    preview?: boolean;
}

/** The provider a resource uses, as the plan shows it. */
export interface ProviderInfo {
    name: string;
    region: string;
}

/**
 * Unit-test harness: Pulumi mocks that record every resource the program
 * registers and answer the AWS look-ups webstack makes.
 *
 * ```ts
 * const harness = await Harness.start({ config: { "aws:region": "eu-west-1" } });
 * const site = new StaticSite("site", { path: "./dist" });
 * await harness.settled();
 * const bucket = harness.get("aws:s3/bucket:Bucket", "site-bucket");
 * ```
 */
export class Harness {
    readonly resources: RecordedResource[] = [];
    readonly region: string;
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly byId = new Map<string, RecordedResource>();
    private readonly calls: Record<string, CallAnswer>;
    private readonly outputs: Record<string, OutputComputer>;
    private monitor!: RecordingMonitor;

    private constructor(private readonly options: HarnessOptions) {
        this.region = options.config?.["aws:region"] ?? options.region ?? "us-east-1";
        this.calls = {
            ...defaultLookups({ region: this.region, hostedZones: options.hostedZones ?? [], findById: (id) => this.findById(id) }),
            ...options.calls,
        };
        this.outputs = { ...defaultComputedOutputs, ...options.outputs };
    }

    /** Installs the mocks and the stack configuration. Call before creating resources. */
    static async start(options: HarnessOptions = {}): Promise<Harness> {
        const harness = new Harness(options);
        const project = options.project ?? "webstack";
        const stack = options.stack ?? "test";
        const config = { "aws:region": harness.region, ...options.config };
        pulumi.runtime.setAllConfig(config, options.secretKeys);
        const mocks = {
            newResource: (args: MockResourceArgs) => harness.onNewResource(args),
            call: (args: MockCallArgs) => harness.onCall(args),
        };
        // setMocks switches on the runtime features mocks support; then our
        // recording monitor replaces the plain one it installed.
        await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false);
        harness.monitor = new RecordingMonitor(mocks);
        setMockOptions(harness.monitor, project, stack, options.preview ?? false);
        // setMockOptions resets the runtime's feature flags that setMocks had
        // switched on; without "secrets", secret inputs reach the mocks
        // unwrapped and rawInputs / the plan could not tell them apart.
        (require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsSecrets: boolean } }).getStore().supportsSecrets = true;
        return harness;
    }

    /**
     * Resolves once the program has stopped registering resources: no engine
     * call has been under way for several turns of the event loop.
     */
    async settled(): Promise<void> {
        let quietTurns = 0;
        let lastCount = -1;
        while (quietTurns < 5) {
            await waitForRPCs();
            await new Promise((resolve) => setTimeout(resolve, 1));
            const quiet = this.monitor.inFlight === 0 && this.resources.length === lastCount;
            quietTurns = quiet ? quietTurns + 1 : 0;
            lastCount = this.resources.length;
        }
    }

    /** All recorded resources of a type. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` named `name`; throws a readable error if absent. */
    get(type: string, name: string): RecordedResource {
        const found = this.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const sameType = this.ofType(type).map((r) => r.name);
            throw new Error(`No ${type} named "${name}" was registered (registered: ${sameType.join(", ") || "none of that type"})`);
        }
        return found;
    }

    /** The resource's inputs with secrets unwrapped. */
    inputsOf(resource: RecordedResource): Record<string, any> {
        return plainInputs(resource.rawInputs) as Record<string, any>;
    }

    parentOf(resource: RecordedResource): RecordedResource | undefined {
        return resource.parentUrn ? this.byUrn.get(resource.parentUrn) : undefined;
    }

    /** Direct children of a resource. */
    childrenOf(resource: RecordedResource): RecordedResource[] {
        return this.resources.filter((r) => r.parentUrn === resource.urn);
    }

    /** Every resource below a component, at any depth. */
    descendantsOf(resource: RecordedResource): RecordedResource[] {
        return this.childrenOf(resource).flatMap((child) => [child, ...this.descendantsOf(child)]);
    }

    /** The nearest enclosing component (non-custom resource), if any. */
    componentOf(resource: RecordedResource): RecordedResource | undefined {
        let parent = this.parentOf(resource);
        while (parent && parent.custom) parent = this.parentOf(parent);
        return parent;
    }

    /**
     * The provider a custom resource uses: the explicit one, or the stack's
     * default AWS provider. Null for components and non-AWS resources.
     */
    providerOf(resource: RecordedResource): ProviderInfo | null {
        if (!resource.custom || resource.type.startsWith("pulumi:providers:")) return null;
        if (resource.providerRef) {
            const providerUrn = resource.providerRef.split("::").slice(0, -1).join("::");
            const provider = this.byUrn.get(providerUrn);
            const region = provider ? (this.inputsOf(provider).region as string | undefined) : undefined;
            return { name: provider?.name ?? providerUrn, region: region ?? this.region };
        }
        return resource.type.startsWith("aws:") ? { name: "default", region: this.region } : null;
    }

    private onNewResource(args: MockResourceArgs): MockResourceResult {
        const registration = this.monitor?.current;
        const urn = registration?.urn ?? `urn:pulumi:unknown::${args.type}::${args.name}`;
        const record: RecordedResource = {
            type: args.type,
            name: args.name,
            urn,
            parentUrn: registration?.parentUrn,
            rawInputs: args.inputs,
            custom: args.custom ?? true,
            providerRef: args.provider || undefined,
            options: {
                protect: registration?.protect ?? false,
                retainOnDelete: registration?.retainOnDelete ?? false,
                deleteBeforeReplace: registration?.deleteBeforeReplace ?? false,
                ignoreChanges: registration?.ignoreChanges ?? [],
                dependsOn: registration?.dependsOn ?? [],
                aliasNames: registration?.aliasNames ?? [],
            },
        };
        const state = this.stateOf(record);
        record.id = this.physicalId(record, state);
        this.resources.push(record);
        this.byUrn.set(urn, record);
        if (record.id) this.byId.set(record.id, record);
        return { id: record.id, state };
    }

    private onCall(args: MockCallArgs): Record<string, unknown> {
        const answer = this.calls[args.token];
        if (!answer) {
            throw new Error(`The webstack harness has no answer for ${args.token}; pass one in HarnessOptions.calls`);
        }
        try {
            return answer(args.inputs);
        } catch (error) {
            // The SDK rethrows a failed invoke as `new Error(err.details)`, the
            // engine's gRPC field; give it one so the look-up's message survives
            // as it does against real AWS (e.g. "no matching Route 53 Hosted Zone found").
            const message = error instanceof Error ? error.message : String(error);
            throw Object.assign(new Error(message), { details: message });
        }
    }

    /**
     * The resource's id: the one its type computes (e.g. a distribution's
     * `E...`, the suffix of its ARN), a bucket's name (an S3 bucket's id is
     * its name), or a stable made-up one.
     */
    private physicalId(record: RecordedResource, state: Record<string, unknown>): string | undefined {
        if (!record.custom) return undefined;
        if (record.type.startsWith("pulumi:providers:")) return `${record.name}-provider-id`;
        if (typeof record.computed?.id === "string") return record.computed.id;
        if (record.type === "aws:s3/bucket:Bucket" || record.type === "aws:s3/bucketV2:BucketV2") return String(state.bucket);
        return `${record.name}-${stableHex(record.urn, 8)}`;
    }

    /**
     * Inputs come back as outputs; on top, what AWS or the provider would
     * fill in: the auto-name of an unset name property, the type's computed
     * outputs, an ARN. Those made-up values are kept in `record.computed` so
     * the plan can mark them.
     */
    private stateOf(record: RecordedResource): Record<string, unknown> {
        const autoNamed = record.custom && record.type.startsWith("aws:") ? autoNamedOutputs(record.type, record.name, this.inputsOf(record)) : {};
        const inputs = { ...this.inputsOf(record), ...autoNamed };
        // @pulumi/aws v7: a resource's own `region` input overrides its provider's.
        const region = (typeof inputs.region === "string" ? inputs.region : undefined) ?? this.providerOf(record)?.region ?? this.region;
        const context = { type: record.type, name: record.name, inputs, region, findById: (id: string) => this.findById(id) };
        const computed = this.outputs[record.type]?.(context) ?? {};
        const generic = record.type.startsWith("aws:") ? genericOutputs(context) : {};
        record.computed = Object.fromEntries(
            Object.entries({ ...generic, ...autoNamed, ...computed }).filter(([key]) => !(key in record.rawInputs) || key in computed),
        );
        // Inputs keep their secret wrapping so secretness flows to outputs.
        const { id: _id, ...stateFromComputed } = computed;
        return { ...generic, ...record.rawInputs, ...autoNamed, ...stateFromComputed };
    }

    /** A recorded resource by its physical id, with its inputs and computed outputs. */
    private findById(id: string): { type: string; inputs: Record<string, any>; computed: Record<string, unknown> } | undefined {
        const record = this.byId.get(id);
        return record ? { type: record.type, inputs: this.inputsOf(record), computed: record.computed ?? {} } : undefined;
    }
}
