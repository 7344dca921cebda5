import * as fs from "node:fs";
import * as path from "node:path";
import { invalid } from "../../internal/errors";
import { listFolder, packArchive, ReleaseArchive } from "../release/release-archive";

/** The instance scripts: the release switch and its helpers (payload/) and webstack's deploy script (boot/). */
const PAYLOAD_DIR = path.join(__dirname, "..", "payload");
const BOOT_DIR = path.join(__dirname, "..", "boot");

/**
 * Packed once per program run: the scripts are part of the installed
 * package, the same for every WebTier in the stack, so a second web tier
 * reuses the first one's archive instead of reading and hashing them again.
 */
let packed: ReleaseArchive | undefined;

/** Packs the scripts the instance runs; they travel as their own archive, named by hash like a release. */
export function packInstanceScripts(): ReleaseArchive {
    if (packed && fs.existsSync(packed.file)) return packed;
    for (const dir of [PAYLOAD_DIR, BOOT_DIR]) {
        if (!fs.existsSync(dir)) invalid("webstack installation", dir, "the WebTier instance scripts are missing", "reinstall aws-webstack; its package ships components/web-tier/payload and boot");
    }
    packed = packArchive([...listFolder(PAYLOAD_DIR, "payload"), ...listFolder(BOOT_DIR, "boot")]);
    return packed;
}
