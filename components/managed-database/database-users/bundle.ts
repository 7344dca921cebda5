import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Engine } from "../engines";

/** The function's own files, shipped as they are (plain CommonJS). */
const HANDLER_FILES = ["handler.js", "secrets.js", "statements.js"];

/** The SQL client each engine's function needs; MySQL and MariaDB share mysql2. */
export const clientPackage: Record<Engine, string> = { postgres: "pg", mysql: "mysql2", mariadb: "mysql2" };

/**
 * The folder a package is installed in, found the way Node's resolver walks
 * up from `fromDir` through each `node_modules` (require.resolve cannot be
 * used: packages with an `exports` map, such as pg-connection-string, hide
 * their package.json from it).
 */
function packageRoot(name: string, fromDir: string): string {
    for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", name);
        if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
        if (path.dirname(dir) === dir) throw new Error(`database-users bundle: cannot find the package ${name} from ${fromDir}; is it installed?`);
    }
}

/**
 * Every package `name` needs at run time (its `dependencies`, transitively),
 * as package name -> installed folder, resolved from where `name` itself is
 * installed, so nested versions are found as Node would find them.
 * Optional and peer dependencies are left out (pg's optional pg-native and
 * mysql2's @types/node peer are not needed at run time).
 */
export function runtimePackages(name: string, fromDir: string = __dirname): Map<string, string> {
    const found = new Map<string, string>();
    const visit = (pkg: string, from: string) => {
        const root = packageRoot(pkg, from);
        const seen = found.get(pkg);
        if (seen !== undefined) {
            if (seen !== root) {
                // Two versions of one package cannot share node_modules/<name> in a flat zip.
                throw new Error(`database-users bundle: ${pkg} is installed twice (${seen}, ${root}); deduplicate node_modules (npm dedupe)`);
            }
            return;
        }
        found.set(pkg, root);
        const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, root);
    };
    visit(name, fromDir);
    return found;
}

/**
 * What the Lambda zip holds, as path in the zip -> file or folder on disk:
 * `index.js` (the handler; Lambda handler "index.handler"), its two helper
 * modules, and `node_modules/<package>` for the engine's client and its
 * transitive dependencies. The AWS SDK is not bundled: the Node.js runtime
 * provides it.
 */
export function bundleLayout(engine: Engine): Record<string, string> {
    const layout: Record<string, string> = {};
    for (const file of HANDLER_FILES) layout[file === "handler.js" ? "index.js" : file] = path.join(__dirname, file);
    for (const [pkg, root] of runtimePackages(clientPackage[engine])) layout[`node_modules/${pkg}`] = root;
    return layout;
}

/**
 * The zip as a Pulumi archive: files become FileAssets, package folders
 * FileArchives nested at their path (an AssetArchive maps names to assets
 * or archives; Pulumi docs, "Assets and archives"). Pulumi hashes the
 * contents, so the function's code changes only when these files do.
 */
export function bundleArchive(engine: Engine): pulumi.asset.AssetArchive {
    const entries: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
    for (const [inZip, onDisk] of Object.entries(bundleLayout(engine))) {
        entries[inZip] = fs.statSync(onDisk).isDirectory() ? new pulumi.asset.FileArchive(onDisk) : new pulumi.asset.FileAsset(onDisk);
    }
    return new pulumi.asset.AssetArchive(entries);
}
