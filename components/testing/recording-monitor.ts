import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { Mocks } from "@pulumi/pulumi/runtime/mocks";

/** The resource options of one registration, as the engine receives them. */
export interface RegistrationOptions {
    urn: string;
    parentUrn?: string;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    dependsOn: string[];
    /** The former names this resource answers to (Pulumi `aliases`). */
    aliasNames: string[];
}

/**
 * Pulumi's MockMonitor, plus what it drops: each registration's parent and
 * resource options, and a count of engine calls still under way so a test can
 * wait until the program has registered everything.
 *
 * MockMonitor calls `mocks.newResource` synchronously at the start of
 * `registerResource`, so `current` is the registration being recorded.
 */
export class RecordingMonitor extends MockMonitor {
    current?: RegistrationOptions;
    inFlight = 0;

    constructor(mocks: Mocks) {
        super(mocks);
    }

    override registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        this.current = {
            urn: this.urnFor(req.getParent(), req.getType(), req.getName()),
            parentUrn: req.getParent() || undefined,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ignoreChanges: req.getIgnorechangesList() ?? [],
            dependsOn: req.getDependenciesList() ?? [],
            aliasNames: aliasNamesOf(req).filter((name) => name !== req.getName()),
        };
        return this.track(super.registerResource(req, callback));
    }

    override readResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        this.current = {
            urn: this.urnFor(req.getParent(), req.getType(), req.getName()),
            parentUrn: req.getParent() || undefined,
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            dependsOn: [],
            aliasNames: [],
        };
        return this.track(super.readResource(req, callback));
    }

    override invoke(req: any, callback: (err: any, response: any) => void): Promise<void> {
        return this.track(super.invoke(req, callback));
    }

    /** Same URN scheme as MockMonitor's own (private) newUrn. */
    private urnFor(parent: string, type: string, name: string): string {
        return (this as unknown as { newUrn(p: string, t: string, n: string): string }).newUrn(parent, type, name);
    }

    private async track(work: Promise<void>): Promise<void> {
        this.current = undefined;
        this.inFlight++;
        try {
            await work;
        } finally {
            this.inFlight--;
        }
    }
}

/** The names in a registration's aliases: alias specs (`{ name }`) or alias URNs, whichever the SDK sent (the SDK also lists the resource's own URN under a parent's aliases). */
function aliasNamesOf(req: any): string[] {
    const specs = (req.getAliasesList?.() ?? []) as Array<{ getSpec(): { getName(): string } | undefined; getUrn(): string }>;
    const fromSpecs = specs.map((alias) => alias.getSpec()?.getName() || alias.getUrn().split("::").pop() || "");
    const fromUrns = ((req.getAliasurnsList?.() ?? []) as string[]).map((urn) => urn.split("::").pop() ?? "");
    return [...fromSpecs, ...fromUrns].filter((name) => name !== "");
}
