import { spawnSync } from "node:child_process";
import { ConfigError } from "../internal/errors";

/**
 * Runs the site's build command (`/bin/sh -c`), synchronously, while the
 * program is evaluated and before the folder is hashed: the digest Pulumi
 * compares must be that of the files about to be published. Output goes to
 * the program's stdout/stderr, so it appears in `pulumi preview/up`.
 * A failing build throws, naming `build.command`, before any resource exists.
 */
export function runBuild(build: { command: string; cwd: string; environment: Record<string, string> }): void {
    const result = spawnSync("/bin/sh", ["-c", build.command], {
        cwd: build.cwd,
        env: { ...process.env, ...build.environment },
        stdio: ["ignore", "inherit", "inherit"],
    });
    if (result.error || result.status !== 0) {
        const why = result.error ? result.error.message : result.signal ? `it was killed by ${result.signal}` : `it exited with status ${result.status}`;
        throw new ConfigError({
            setting: "build.command",
            value: build.command,
            problem: `the build failed in ${build.cwd}: ${why}`,
            fix: "run the command there by hand and fix what it reports",
        });
    }
}
