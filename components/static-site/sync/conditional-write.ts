/**
 * S3's answers to a conditional write or delete that lost: 412 Precondition
 * Failed when the If-None-Match / If-Match condition does not hold, and 409
 * ConditionalRequestConflict when another write to the same key raced it.
 * Both mean "someone else wrote this key": retrying blindly would be wrong.
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 * and .../conditional-deletes.html (PutObject and DeleteObject accept
 * If-None-Match "*" and If-Match <etag> on general purpose buckets).
 */
export function isConditionFailure(error: unknown): boolean {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as Error)?.name;
    return status === 412 || status === 409 || name === "PreconditionFailed" || name === "ConditionalRequestConflict";
}

/** True for S3's "no such key" (404, or NoSuchKey by name). */
export function isNotFound(error: unknown): boolean {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as Error)?.name;
    return status === 404 || name === "NoSuchKey" || name === "NotFound";
}
