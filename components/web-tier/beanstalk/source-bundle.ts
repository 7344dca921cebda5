import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { zipSync, Zippable } from "fflate";
import { invalid } from "../../internal/errors";
import { ArchiveSource, defaultCacheDir, listFolder } from "../release/release-archive";
import { writeTar } from "../release/tar-writer";

/** A source bundle ready to upload as an Elastic Beanstalk application version. */
export interface SourceBundle {
    /** The zip on disk, under the cache folder, named by `label`. */
    file: string;
    /** sha256 (hex) of the zip bytes (what S3 stores). */
    sha256: string;
    /**
     * The application version label: the content hash, i.e. sha256 (hex, 64
     * characters) of the bundle's entries (paths, executable bits, contents,
     * the generated Procfile included), independent of the zip compression.
     * Beanstalk allows at most 100 characters for a VersionLabel
     * (API_UpdateApplicationVersion / API_CreateApplicationVersion, "Length
     * Constraints: Minimum length of 1. Maximum length of 100").
     */
    label: string;
    /** Size of the zip in bytes. */
    bytes: number;
    /** Paths inside the zip, sorted byte-wise (the generated Procfile included). */
    files: string[];
    /** The command the platform runs: the Procfile's `web:` command, or `npm start`. */
    startCommand: string;
}

/** Options of {@link buildSourceBundle}. */
export interface SourceBundleOptions {
    /**
     * The command that starts the app on the instance. `npm start` (or leaving
     * it unset when package.json has `scripts.start`) writes no Procfile;
     * anything else is written to a `Procfile` as `web: <command>`.
     * @default `npm start` when package.json has `scripts.start`, else `node <main>`, else `node server.js`
     * @example "node --enable-source-maps dist/server.js"
     */
    startCommand?: string;
    /**
     * Where built zips are kept between runs (named by label, so never stale).
     * @default `<os tmpdir>/webstack-releases`, shared with the release archives
     */
    cacheDir?: string;
    /**
     * Files webstack adds to the bundle (path in the bundle → contents), e.g.
     * the HTTP→HTTPS redirect under `.ebextensions/`. They are part of the
     * content hash, so adding one is a new version.
     */
    extraFiles?: Record<string, string>;
}

const VERSION_LABEL_MAX = 100;

/**
 * A source bundle must be one ZIP, "Not exceed 500 MB" and "Not include a
 * parent folder or top-level directory" (AWS Elastic Beanstalk Developer
 * Guide, "Create an application source bundle", applications-sourcebundle;
 * older pages said 512 MB). Counted in decimal megabytes, the stricter reading.
 */
const BUNDLE_MAX_BYTES = 500 * 1000 * 1000;

/**
 * Every entry's modification time: 1980-01-01 12:00, the first DOS date.
 * fflate writes the DOS date/time fields with the Date's LOCAL-time getters,
 * so the Date is built from local fields at each call: a constant Date would
 * be a fixed instant, which is 1979 west of UTC (fflate then throws) and
 * other fields in every time zone. Noon keeps clear of midnight DST shifts.
 */
function fixedMtime(): Date {
    return new Date(1980, 0, 1, 12, 0, 0);
}

/** Unix "made by" (APPNOTE 4.4.2.2), so the external attributes carry a regular file and its permission bits. */
const UNIX = 3;
const REGULAR_FILE = 0o100000;

/**
 * One line of a Procfile: the platform requires `<process>: <command>` to
 * match `^[A-Za-z0-9_-]+:\s*[^\s].*$` (AWS Elastic Beanstalk Developer Guide,
 * "Buildfile and Procfile", platforms-linux-extend.build-proc). A newline
 * would smuggle in a second process, so the command is one line.
 */
const PROCFILE_COMMAND = /^[^\s\r\n][^\r\n]*$/;

/** A `main` that can go in a Procfile without shell quoting. */
const PLAIN_PATH = /^[A-Za-z0-9._/-]+$/;

interface PackageJson {
    main?: unknown;
    scripts?: { start?: unknown };
}

function readPackageJson(folder: string): PackageJson {
    const file = path.join(folder, "package.json");
    // The Node.js platform reads package.json (dependencies, scripts.start)
    // only at the bundle root (AWS Elastic Beanstalk Developer Guide,
    // "Configuring your application's dependencies", nodejs-platform-dependencies).
    if (!fs.existsSync(file)) {
        invalid("app.path", folder, "the folder has no package.json at its top level", "point app.path at the folder whose package.json starts the app");
    }
    try {
        const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
        return parsed as PackageJson;
    } catch (error) {
        return invalid("app.path", folder, `its package.json is not valid (${(error as Error).message})`, "fix package.json");
    }
}

/**
 * The Procfile to write, or undefined when `npm start` starts the app.
 *
 * Without a Procfile the Node.js platform runs `npm start` from package.json
 * (nodejs-platform-dependencies: "Elastic Beanstalk also uses the start
 * command to start your application"); the legacy rule of the old
 * `NodeCommand` option tried app.js, then server.js (command-options-specific,
 * aws:elasticbeanstalk:container:nodejs). The bundle never relies on that
 * guess: an app with app.js beside server.js (as examples/api) would start the
 * wrong file. So: `scripts.start` -> no Procfile; else a Procfile naming the
 * file explicitly (nodejs-configuration-procfile: "web: node index.js").
 */
function chooseStart(folder: string, packageJson: PackageJson, sources: ArchiveSource[], startCommand: string | undefined): { command: string; procfile?: string } {
    const hasStartScript = typeof packageJson.scripts?.start === "string" && packageJson.scripts.start.trim() !== "";
    const hasOwnProcfile = sources.some((source) => source.to === "Procfile");
    if (startCommand !== undefined) {
        const command = startCommand.trim();
        if (!PROCFILE_COMMAND.test(command)) {
            invalid("app.startCommand", startCommand, "a start command is one non-empty line", 'give the command on one line, e.g. "node server.js"');
        }
        if (hasOwnProcfile) {
            invalid("app.startCommand", startCommand, "the app folder already has a Procfile, which would be replaced", "remove app.startCommand to use the folder's Procfile, or delete the Procfile");
        }
        if (command === "npm start") {
            if (!hasStartScript) invalid("app.startCommand", startCommand, 'package.json has no "scripts.start" for npm start to run', 'add "scripts": { "start": "node server.js" } to package.json, or give the command itself');
            return { command };
        }
        return { command, procfile: `web: ${command}\n` };
    }
    if (hasOwnProcfile) return { command: webCommandOf(folder) };
    if (hasStartScript) return { command: "npm start" };
    let entry: string | undefined;
    if (packageJson.main !== undefined) {
        if (typeof packageJson.main !== "string" || !PLAIN_PATH.test(packageJson.main)) {
            invalid("app.path", folder, `package.json "main" (${JSON.stringify(packageJson.main)}) is not a plain relative file path`, 'set "main" to a path such as "server.js", or add "scripts.start"');
        }
        entry = path.posix.normalize(packageJson.main);
    } else if (sources.some((source) => source.to === "server.js")) {
        entry = "server.js";
    }
    if (entry === undefined || !sources.some((source) => source.to === entry)) {
        invalid("app.path", folder, `nothing says how to start the app (no "scripts.start", ${entry ? `"main" file ${entry} is not in the bundle` : 'no "main", no server.js'})`, 'add "scripts": { "start": "node server.js" } to package.json, or set app.startCommand');
    }
    const command = `node ${entry}`;
    return { command, procfile: `web: ${command}\n` };
}

/** The `web:` command of the folder's own Procfile: the process nginx forwards to (platforms-linux-extend.build-proc). */
function webCommandOf(folder: string): string {
    const lines = fs.readFileSync(path.join(folder, "Procfile"), "utf8").split(/\r?\n/);
    const web = lines.map((line) => /^web:\s*([^\s].*)$/.exec(line)).find((match) => match !== null);
    if (!web) invalid("app.path", folder, "its Procfile has no web: line", 'add "web: node server.js" (the command that starts the server) to the Procfile');
    return web[1].trim();
}

interface BundleEntry {
    to: string;
    data: Buffer;
    executable: boolean;
}

/** Byte-wise order, so the order never depends on the locale or the file system. */
function byPath(a: BundleEntry, b: BundleEntry): number {
    return Buffer.compare(Buffer.from(a.to), Buffer.from(b.to));
}

/**
 * Builds the Elastic Beanstalk source bundle of a Node.js app folder: a zip
 * with the folder's files at its root (package.json first level, never under
 * a top-level folder), the same file selection as the release archive
 * ({@link listFolder}: no node_modules, .git, .env files; a symbolic link is
 * an error), and a `Procfile` when the start command is not `npm start`.
 *
 * Deterministic: entries sorted, one fixed mtime, Unix mode 0644 or 0755
 * from the owner-executable bit, compression level 9. The same folder gives
 * the same label on any machine (the label hashes the entries, not the
 * compressed bytes), and the same zip bytes with the same fflate version.
 * Zips are cached by label, so an unchanged app is neither recompressed nor,
 * keyed by label, re-uploaded or redeployed.
 *
 * @example
 * const bundle = buildSourceBundle("examples/api");
 * // bundle.label -> "3f2a…" (64 hex), bundle.file -> "/tmp/webstack-releases/beanstalk-3f2a….zip"
 */
export function buildSourceBundle(folder: string, options: SourceBundleOptions = {}): SourceBundle {
    const sources = listFolder(folder);
    const packageJson = readPackageJson(folder);
    const start = chooseStart(folder, packageJson, sources, options.startCommand);
    const entries: BundleEntry[] = sources.map((source) => ({
        to: source.to,
        data: fs.readFileSync(source.from),
        executable: (fs.statSync(source.from).mode & 0o100) !== 0,
    }));
    if (start.procfile !== undefined) entries.push({ to: "Procfile", data: Buffer.from(start.procfile), executable: false });
    for (const [to, text] of Object.entries(options.extraFiles ?? {})) {
        if (entries.some((entry) => entry.to === to)) invalid("app.path", folder, `it has its own ${to}, which webstack writes`, `remove ${to} from the app folder`);
        entries.push({ to, data: Buffer.from(text), executable: false });
    }
    entries.sort(byPath);

    // The content hash reuses the release archive's canonical tar stream
    // (paths, executable bits, contents; no times, no owners).
    const label = createHash("sha256")
        .update(writeTar(entries.map((entry) => ({ path: entry.to, data: entry.data, executable: entry.executable }))))
        .digest("hex");
    if (label.length > VERSION_LABEL_MAX) throw new Error(`version label ${label} is longer than ${VERSION_LABEL_MAX} characters`);

    const cacheDir = options.cacheDir ?? defaultCacheDir();
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `beanstalk-${label}.zip`);
    if (!fs.existsSync(file)) {
        const zippable: Zippable = {};
        const mtime = fixedMtime();
        for (const entry of entries) {
            zippable[entry.to] = [entry.data, { mtime, os: UNIX, attrs: (REGULAR_FILE | (entry.executable ? 0o755 : 0o644)) << 16, level: 9 }];
        }
        // Write then rename, so a concurrent run never reads half a file.
        const partial = `${file}.${process.pid}.partial`;
        fs.writeFileSync(partial, zipSync(zippable));
        fs.renameSync(partial, file);
    }
    const zip = fs.readFileSync(file);
    if (zip.length > BUNDLE_MAX_BYTES) {
        invalid("app.path", folder, `its source bundle is ${Math.ceil(zip.length / 1000 / 1000)} MB, over Elastic Beanstalk's 500 MB limit`, "move large assets (media, data) to S3 or a static site, and keep build output out of the folder");
    }
    return {
        file,
        sha256: createHash("sha256").update(zip).digest("hex"),
        label,
        bytes: zip.length,
        files: entries.map((entry) => entry.to),
        startCommand: start.command,
    };
}
