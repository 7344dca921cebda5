import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Writes `files` (relative path → content) into a fresh temporary folder and returns its path. */
export function siteFolder(files: Record<string, string>): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-site-"));
    for (const [relative, content] of Object.entries(files)) {
        const file = path.join(folder, ...relative.split("/"));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
    return folder;
}

/** A small built site: pages, a 404 page and a fingerprinted asset. */
export function typicalSite(): string {
    return siteFolder({
        "index.html": "<!doctype html><title>home</title><script src=/assets/app.3f9a1c2b.js></script>",
        "404.html": "<!doctype html><title>not found</title>",
        "docs/index.html": "<!doctype html><title>docs</title>",
        "assets/app.3f9a1c2b.js": "console.log('app')",
    });
}
