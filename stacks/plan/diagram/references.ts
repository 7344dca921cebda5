import { PlannedResource } from "../plan-document";

/**
 * Finds which planned resource a value in another resource's inputs points
 * at. The plan holds the harness's stand-ins for ids, ARNs and DNS names,
 * and each stand-in appears once as the owner's output, so an input equal
 * to an output is a reference to that resource. Route 53 records also
 * answer for the name they publish, so a CloudFront origin given as
 * `origin.shop.example.com` leads to the record and, through its alias,
 * to the load balancer.
 */
export class References {
    private readonly byValue = new Map<string, PlannedResource>();
    private readonly recordsByName = new Map<string, PlannedResource[]>();

    constructor(readonly resources: PlannedResource[]) {
        for (const resource of resources) {
            // An output equal to one of the resource's own inputs (a certificate's
            // domain names) is something it was given, not something it names.
            const given = new Set(strings(resource.inputs));
            for (const value of strings(resource.outputs ?? {})) {
                if (value.length >= 8 && !given.has(value) && !this.byValue.has(value)) this.byValue.set(value, resource);
            }
            if (resource.type === "aws:route53/record:Record" && typeof resource.inputs.name === "string") {
                const name = withoutDot(resource.inputs.name);
                this.recordsByName.set(name, [...(this.recordsByName.get(name) ?? []), resource]);
            }
        }
    }

    /** The resource whose output `value` is, if any. */
    owner(value: unknown): PlannedResource | undefined {
        return typeof value === "string" ? this.byValue.get(value) : undefined;
    }

    /**
     * The resource a DNS name leads to: the owner of that name (a bucket's
     * regional domain name, an instance's public DNS name, a load balancer's
     * DNS name), or the alias target of a record that publishes it.
     */
    endpoint(domain: unknown): PlannedResource | undefined {
        if (typeof domain !== "string") return undefined;
        for (const record of this.recordsByName.get(withoutDot(domain)) ?? []) {
            const aliases = record.inputs.aliases;
            if (!Array.isArray(aliases)) continue;
            for (const alias of aliases) {
                const target = this.owner((alias as { name?: unknown }).name);
                if (target) return target;
            }
        }
        return this.owner(domain) ?? this.owner(withoutDot(domain));
    }

    /** The resources whose inputs hold `value` anywhere (e.g. every user of a security group id). */
    usersOf(value: string): PlannedResource[] {
        // Beanstalk option settings list security groups comma-separated in one string.
        return this.resources.filter((resource) => strings(resource.inputs).some((s) => s === value || s.split(",").map((part) => part.trim()).includes(value)));
    }
}

/** Every string leaf of a value. */
export function strings(value: unknown, into: string[] = []): string[] {
    if (typeof value === "string") into.push(value);
    else if (Array.isArray(value)) value.forEach((item) => strings(item, into));
    else if (typeof value === "object" && value !== null) Object.values(value).forEach((item) => strings(item, into));
    return into;
}

function withoutDot(name: string): string {
    return name.endsWith(".") ? name.slice(0, -1) : name;
}
