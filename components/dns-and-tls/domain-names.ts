/**
 * Pure rules about DNS names: what ACM accepts, which zone a name lies in,
 * and which names share one validation record. No Pulumi, no AWS calls.
 */
import { invalid } from "../internal/errors";

/**
 * One label: letters, digits and hyphens, 1-63 characters, not starting or
 * ending with a hyphen. This is ACM's own pattern for a domain name
 * (RequestCertificate, DomainName: `(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])`).
 */
const LABEL = /^(?!-)[a-z0-9-]{0,62}[a-z0-9]$/;

/** ACM's limit on a whole name (RequestCertificate: DomainName length 1-253). */
const MAX_NAME_LENGTH = 253;

/** Lower-cases a name and drops the trailing dot of a fully qualified form. */
export function normalizeName(name: string): string {
    return name.trim().toLowerCase().replace(/\.$/, "");
}

/** `*.example.com` → `example.com`; other names unchanged. */
export function baseName(name: string): string {
    return name.startsWith("*.") ? name.slice(2) : name;
}

export function isWildcard(name: string): boolean {
    return name.startsWith("*.");
}

/** True when `name` is `zone` itself or a name below it. */
export function isWithinZone(name: string, zone: string): boolean {
    const base = baseName(name);
    return base === zone || base.endsWith(`.${zone}`);
}

/**
 * Checks one name (already normalized) the way ACM would, and throws a
 * ConfigError naming `setting` when it would be refused.
 *
 * @param allowWildcard whether a leading `*.` label is allowed here.
 */
export function checkName(setting: string, name: string, allowWildcard: boolean): void {
    if (name === "") invalid(setting, name, "the name is empty", "give a fully qualified name such as app.example.com");
    if (name.includes("*")) {
        if (!allowWildcard) {
            invalid(setting, name, "a wildcard cannot be the name served here", "serve a concrete name such as app.example.com and list the wildcard in alternativeNames");
        }
        // ACM (and RFC 6125) allow a wildcard only as the whole left-most label.
        if (!isWildcard(name) || name.slice(2).includes("*")) {
            invalid(setting, name, "a wildcard may only be the whole left-most label", 'write it as "*.example.com" (not "app*.example.com" or "www.*.example.com")');
        }
    }
    if (/[^\x20-\x7e]/.test(name)) {
        invalid(setting, name, "the name has non-ASCII characters", "write an internationalized name in its punycode form (xn--...)");
    }
    if (name.length > MAX_NAME_LENGTH) {
        invalid(setting, name, `the name is longer than ${MAX_NAME_LENGTH} characters`, "use a shorter name");
    }
    const labels = baseName(name).split(".");
    if (labels.length < 2) {
        invalid(setting, name, "the name has a single label, so it is not a public domain name", "give a fully qualified name such as app.example.com");
    }
    const bad = labels.find((label) => !LABEL.test(label));
    if (bad !== undefined) {
        invalid(
            setting,
            name,
            bad === "" ? "the name has an empty label (two dots in a row, or a leading dot)" : `the label "${bad}" is not allowed`,
            "use labels of 1-63 letters, digits and hyphens, not starting or ending with a hyphen, joined by single dots",
        );
    }
    if (/^[0-9]+$/.test(labels[labels.length - 1])) {
        invalid(setting, name, "the top-level label is numeric (this looks like an IP address)", "certificates cover domain names, not IP addresses");
    }
}

/**
 * The names a zone for all of `names` could have, longest first: every
 * suffix of at least two labels that every name lies within. For
 * `api.dev.example.com` alone: `api.dev.example.com`, `dev.example.com`,
 * `example.com`.
 */
export function candidateZones(names: string[]): string[] {
    const labels = baseName(names[0]).split(".");
    const candidates: string[] = [];
    for (let start = 0; start <= labels.length - 2; start++) {
        const zone = labels.slice(start).join(".");
        if (names.every((name) => isWithinZone(name, zone))) candidates.push(zone);
    }
    return candidates;
}

/**
 * The distinct DNS validation records a certificate for `names` needs, one
 * per base name. ACM's record is made "specifically for your domain and your
 * account" (ACM user guide, "DNS validation",
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), and
 * a wildcard `*.example.com` is validated through the domain it covers,
 * `example.com`: the two names get the same CNAME, so writing it twice would
 * make Route 53 refuse the second record.
 */
export function validationRecordNames(names: string[]): string[] {
    return [...new Set(names.map(baseName))];
}

/**
 * The names that need their own CAA record: a CA checks a name's CAA set and
 * then climbs to its parents (RFC 8659, section 3), so a name below another
 * listed name is already covered by that one's record.
 */
export function caaRecordNames(names: string[]): string[] {
    const bases = validationRecordNames(names);
    return bases.filter((name) => !bases.some((other) => other !== name && name.endsWith(`.${other}`)));
}
