/** The steps of a sync, in order. A dry run goes from "plan" straight to "done". */
export type SyncPhase = "scan" | "plan" | "upload-assets" | "upload-html" | "delete" | "write-manifest" | "done";

/** A snapshot of a running sync, given to `onProgress`. Counts are cumulative. */
export interface SyncProgress {
    phase: SyncPhase;
    /** Local files hashed so far. */
    scanned: number;
    /** Files the plan uploads (known from "plan" on). */
    toUpload: number;
    uploaded: number;
    bytesToUpload: number;
    bytesUploaded: number;
    /** Keys the plan deletes (known from "plan" on). */
    toDelete: number;
    deleted: number;
    /** Files already up to date (known from "plan" on). */
    unchanged: number;
    dryRun: boolean;
}

export type ProgressListener = (progress: SyncProgress) => void;

/**
 * Keeps the counts and calls the listener: at every phase change, and in
 * between at most once per `intervalMs`, so a 10,000-file sync makes a few
 * log lines, not 10,000. The listener gets a copy it may keep.
 */
export class ProgressReporter {
    private readonly state: SyncProgress;
    private lastEmit = 0;

    constructor(
        private readonly listener: ProgressListener | undefined,
        private readonly intervalMs: number,
        dryRun: boolean,
    ) {
        this.state = {
            phase: "scan",
            scanned: 0,
            toUpload: 0,
            uploaded: 0,
            bytesToUpload: 0,
            bytesUploaded: 0,
            toDelete: 0,
            deleted: 0,
            unchanged: 0,
            dryRun,
        };
    }

    /** Enter a phase (with any counts that became known) and report it at once. */
    phase(phase: SyncPhase, counts: Partial<SyncProgress> = {}): void {
        Object.assign(this.state, counts, { phase });
        this.emit();
    }

    /** Add to counters; reported if the interval has passed. */
    add(increments: Partial<Record<"scanned" | "uploaded" | "bytesUploaded" | "deleted", number>>): void {
        for (const [key, value] of Object.entries(increments)) {
            this.state[key as keyof typeof increments] += value ?? 0;
        }
        if (Date.now() - this.lastEmit >= this.intervalMs) this.emit();
    }

    private emit(): void {
        this.lastEmit = Date.now();
        this.listener?.({ ...this.state });
    }
}
