import { createHash } from "node:crypto";

/** The account id every harness look-up and ARN uses. */
export const FAKE_ACCOUNT_ID = "123456789012";

/** A short, stable hex digest: the same input always gives the same fake id. */
export function stableHex(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A fake ARN for a resource of `service` in `region` (empty for global services). */
export function fakeArn(service: string, region: string, resource: string): string {
    return `arn:aws:${service}:${region}:${FAKE_ACCOUNT_ID}:${resource}`;
}
