import * as pulumi from "@pulumi/pulumi";

/** An Output's value with what Pulumi knows about it. */
export interface ResolvedOutput<T> {
    value: T;
    /** False while the value is unknown (only in previews). */
    known: boolean;
    /** True when Pulumi will store the value encrypted. */
    secret: boolean;
}

/** Pulumi's Output keeps these promises internally; they are stable across 3.x. */
interface OutputInternals<T> {
    promise(withUnknowns?: boolean): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
}

/**
 * Awaits an Output (or any Input) and tells whether it is secret.
 * Use this instead of asserting inside `apply`: an assertion in an apply that
 * nobody awaits lets the test pass whatever happens.
 */
export async function resolveOutput<T>(input: pulumi.Input<T>): Promise<ResolvedOutput<pulumi.Unwrap<T>>> {
    const output = pulumi.output(input) as unknown as OutputInternals<pulumi.Unwrap<T>>;
    const [value, known, secret] = await Promise.all([output.promise(), output.isKnown, output.isSecret]);
    return { value, known, secret };
}

/** Awaits an Output (or any Input) and returns its plain value. */
export async function valueOf<T>(input: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
    return (await resolveOutput(input)).value;
}
