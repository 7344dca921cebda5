/**
 * Run `worker` over `items` with at most `limit` calls in flight, and return
 * the results in input order. Bounded so that 10,000 files mean 16 sockets or
 * 32 open files, not 10,000.
 *
 * On the first failure no new item is started; the calls already in flight
 * are allowed to finish (so nothing is left running behind the caller's back)
 * and then that first error is thrown.
 */
export async function mapBounded<T, R>(
    items: readonly T[],
    limit: number,
    worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failure: { error: unknown } | undefined;

    async function lane(): Promise<void> {
        while (failure === undefined && next < items.length) {
            const index = next++;
            try {
                results[index] = await worker(items[index], index);
            } catch (error) {
                failure ??= { error };
            }
        }
    }

    const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane);
    await Promise.all(lanes);
    if (failure !== undefined) throw failure.error;
    return results;
}
