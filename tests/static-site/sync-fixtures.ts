/** Helpers shared by the sync fault tests: temporary folders, and a client whose chosen requests wait at a gate. */
import { S3Client } from "@aws-sdk/client-s3";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Temporary folders of site files, removed by cleanup(). */
export function tempFolders() {
    const created: string[] = [];
    return {
        async make(files: Record<string, string>): Promise<string> {
            const folder = await fs.mkdtemp(path.join(os.tmpdir(), "webstack-sync-fault-"));
            created.push(folder);
            await writeFiles(folder, files);
            return folder;
        },
        async cleanup() {
            for (const folder of created) await fs.rm(folder, { recursive: true, force: true });
        },
    };
}

export async function writeFiles(folder: string, files: Record<string, string>): Promise<void> {
    for (const [relative, content] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(folder, relative)), { recursive: true });
        await fs.writeFile(path.join(folder, relative), content);
    }
}

/**
 * Hold the requests of `client` that `matches` selects until open() is
 * called (or run `before` first, once): the way to freeze a deploy at a
 * chosen point while another one runs. `reached` resolves when the first
 * held request arrives.
 */
export function gate(client: S3Client, matches: (command: string, key: string | undefined) => boolean, before?: () => Promise<void>) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let arrive!: () => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    let ranBefore = false;
    client.middlewareStack.add(
        (next, context) => async (args) => {
            if (matches(context.commandName ?? "", (args.input as { Key?: string }).Key)) {
                arrive();
                if (before && !ranBefore) {
                    ranBefore = true;
                    await before();
                } else if (!before) {
                    await opened;
                }
            }
            return next(args);
        },
        { step: "initialize", name: "webstackTestGate" },
    );
    return { open, reached };
}
