import * as mime from "mime-types";

/** What S3 serves for files whose extension mime-types does not know. */
export const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * The Content-Type a file is served with, from its extension. Text types get
 * `; charset=utf-8` (mime-types adds it) so browsers never guess the encoding.
 */
export function contentTypeFor(path: string): string {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return mime.contentType(name) || FALLBACK_CONTENT_TYPE;
}

/** True for the files that reference the others and must be published last. */
export function isHtml(contentType: string): boolean {
    return contentType.startsWith("text/html");
}
