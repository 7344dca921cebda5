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
export async function withPeakRss<T>(action: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
    let peakRss = process.memoryUsage.rss();
    const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
    try {
        const value = await action();
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        return { value, peakRss };
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
