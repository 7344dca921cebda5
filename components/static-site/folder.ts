import * as fs from "node:fs";
import * as path from "node:path";
import { invalid } from "../internal/errors";
import { CacheRule } from "./sync/cache-rules";
import { createFileFilter } from "./sync/file-filter";
import { checkLinksStayInside } from "./sync/list-files";
import { scanFolder } from "./sync/scan-folder";

/** What the folder checks need to know about the site. */
export interface SiteFolder {
    folder: string;
    mode: "static" | "spa";
    indexDocument: string;
    notFoundPage: string;
}

/**
 * Checks, synchronously and before any resource is registered, that the
 * folder can be published: it exists, holds files, and holds the pages the
 * mode serves (CloudFront would otherwise answer those requests with S3's
 * bare 403), and holds no symbolic link that would publish a file from
 * outside it. Throws a ConfigError naming `path` or `notFoundPage`.
 */
export function checkSiteFolder(site: SiteFolder): void {
    const stat = fs.statSync(site.folder, { throwIfNoEntry: false });
    if (!stat) {
        invalid("path", site.folder, "the folder does not exist", "build the site first (or set build), and point path at its output folder");
    }
    if (!stat.isDirectory()) {
        invalid("path", site.folder, "it is a file, not a folder", "point path at the folder that holds index.html");
    }
    if (fs.readdirSync(site.folder).length === 0) {
        invalid(
            "path",
            site.folder,
            "the folder is empty; publishing it would delete every page of the site",
            "check that the build ran and wrote its output there",
        );
    }
    // The sync refuses such links too, but only when it runs, after the
    // resources exist; the same walk here fails the plan instead. The filter
    // is the sync's default one (StaticSite passes no exclude), so a link
    // that would not be published (.env, .git/) is left alone by both.
    checkLinksStayInside(site.folder, createFileFilter({}), "path");
    if (!isFile(path.join(site.folder, site.indexDocument))) {
        invalid("path", site.folder, `the folder has no ${site.indexDocument}, which is served for "/"`, `add ${site.indexDocument}, or point path at the build output that has it`);
    }
    if (site.mode === "static" && !isFile(path.join(site.folder, ...site.notFoundPage.split("/")))) {
        invalid(
            "notFoundPage",
            site.notFoundPage,
            `static mode serves it for missing pages, and ${path.join(site.folder, site.notFoundPage)} does not exist`,
            'add the page to the build, set notFoundPage to one that exists, or use mode: "spa"',
        );
    }
}

function isFile(file: string): boolean {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * The digest of the release the folder holds: the sync engine's own digest
 * (paths, bytes, Content-Type and Cache-Control of every published file),
 * so it equals the `manifestDigest` a sync of this folder reports. It is the
 * sync resource's input: Pulumi updates the resource exactly when it changes.
 */
export async function folderDigest(folder: string, cacheRules: CacheRule[]): Promise<{ digest: string; fileCount: number; totalBytes: number }> {
    const release = await scanFolder({ folder, cacheRules });
    return { digest: release.digest, fileCount: release.fileCount, totalBytes: release.totalBytes };
}
