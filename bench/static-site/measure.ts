/** Small measuring helpers for the benchmarks: wall time, peak RSS, another process's CPU time. */
import { execFileSync } from "child_process";
import { readFileSync } from "fs";

/** Run `action`, returning its result and its wall time in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const start = process.hrtime.bigint();
    const value = await action();
    return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/**
 * Sample this process's RSS every few milliseconds while `action` runs and
 * return the highest value seen (bytes). The process-lifetime peak
 * (process.resourceUsage().maxRSS) would also count the site generator.
 */
export async function withPeakRss<T>(action: () => Promise<T>): Promise<{ value: T; peakRss: number; atPeak: NodeJS.MemoryUsage }> {
    let atPeak = process.memoryUsage();
    const sample = () => {
        const rss = process.memoryUsage.rss();
        // The full breakdown (heap, external, array buffers) only when a new peak is seen: it is slower to read.
        if (rss > atPeak.rss) atPeak = process.memoryUsage();
    };
    const timer = setInterval(sample, 10);
    try {
        const value = await action();
        sample();
        return { value, peakRss: atPeak.rss, atPeak };
    } finally {
        clearInterval(timer);
    }
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
