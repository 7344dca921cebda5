/** Small measuring helpers for the benchmarks: wall time, peak RSS, another process's CPU time. */
import { execFileSync } from "child_process";
import { readFileSync } from "fs";

/** Run `action`, returning its result and its wall time in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const start = process.hrtime.bigint();
    const value = await action();
    return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Peak RSS and V8 heap in use (bytes) seen during one phase. */
export interface PhasePeak {
    rss: number;
    heapUsed: number;
}

/**
 * Sample this process's RSS every few milliseconds while `action` runs and
 * return the highest value seen (bytes), with process.memoryUsage() at that
 * moment. The process-lifetime peak (process.resourceUsage().maxRSS) would
 * also count the site generator. With `phaseOf`, the peaks are also kept
 * per phase (what `phaseOf` returns when the sample is taken).
 */
export async function withPeakRss<T>(
    action: () => Promise<T>,
    phaseOf?: () => string,
): Promise<{ value: T; peakRss: number; atPeak: NodeJS.MemoryUsage; byPhase: Record<string, PhasePeak> }> {
    let atPeak = process.memoryUsage();
    const byPhase: Record<string, PhasePeak> = {};
    const sample = () => {
        // The full breakdown is slower to read: only per phase, or at a new peak.
        const usage = phaseOf ? process.memoryUsage() : { rss: process.memoryUsage.rss(), heapUsed: 0 };
        if (usage.rss > atPeak.rss) atPeak = phaseOf ? (usage as NodeJS.MemoryUsage) : process.memoryUsage();
        if (!phaseOf) return;
        const peak = (byPhase[phaseOf()] ??= { rss: 0, heapUsed: 0 });
        peak.rss = Math.max(peak.rss, usage.rss);
        peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    };
    const timer = setInterval(sample, 10);
    try {
        const value = await action();
        sample();
        return { value, peakRss: atPeak.rss, atPeak, byPhase };
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
