/**
 * The few inputs the plan's tree shows for each resource type: enough to
 * review a stage at a glance (the full inputs are in `--json`).
 * Paths are dot-separated; a missing value is left out.
 */
export const keySettings: Record<string, string[]> = {
    "awsx:ec2:Vpc": ["cidrBlock", "numberOfAvailabilityZones", "natGateways.strategy"],
    "pulumi:providers:aws": ["region"],
};

function valueAtPath(inputs: Record<string, unknown>, dottedPath: string): unknown {
    let current: unknown = inputs;
    for (const key of dottedPath.split(".")) {
        if (typeof current !== "object" || current === null) return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** `key=value` pairs for one resource's key settings. */
export function describeSettings(type: string, inputs: Record<string, unknown>): string[] {
    return (keySettings[type] ?? [])
        .map((settingPath) => [settingPath, valueAtPath(inputs, settingPath)] as const)
        .filter(([, value]) => value !== undefined && value !== null)
        .map(([settingPath, value]) => `${settingPath.split(".").pop()}=${typeof value === "string" ? value : JSON.stringify(value)}`);
}
