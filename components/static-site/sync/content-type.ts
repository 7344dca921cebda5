import * as mime from "mime-types";

/** What S3 serves for files whose extension mime-types does not know. */
export const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * The Content-Type a file is served with, from its extension. Text types get
 * `; charset=utf-8` (mime-types adds it) so browsers never guess the encoding.
 */
export function contentTypeFor(path: string): string {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const type = mime.contentType(name) || FALLBACK_CONTENT_TYPE;
    // mime-types builds a new string per call; every file of a sync keeps
    // its type while the sync runs, so 100,000 files held 100,000 copies of a
    // dozen strings (5.5 MiB). One shared copy per distinct type instead.
    let shared = SHARED_TYPES.get(type);
    if (shared === undefined) SHARED_TYPES.set(type, (shared = type));
    return shared;
}

/** The distinct Content-Type values returned so far (a few dozen at most: one per type of file a site has). */
const SHARED_TYPES = new Map<string, string>();

/** True for the files that reference the others and must be published last. */
export function isHtml(contentType: string): boolean {
    return contentType.startsWith("text/html");
}
