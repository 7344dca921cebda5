import assert from "node:assert/strict";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { breakDeployLock, encodeManifest, emptyManifest, LOCK_PATH, MANIFEST_PATH, readManifest, syncFolder } from "../../components/static-site/sync";
import { gate, tempFolders, writeFiles } from "./sync-fixtures";
import { MotoSandbox, motoUnavailable, startMotoSandbox } from "./moto-sandbox";

/**
 * Issue 11 item 3: two syncs of the same bucket at once. Run against moto,
 * which enforces S3's conditional writes (s3rver ignores them on PUT).
 */
describe("two deploys of the same bucket (deploy lock + If-Match manifest, on moto)", function () {
    this.timeout(60_000);
    let moto: MotoSandbox;
    const folders = tempFolders();
    let bucketCount = 0;

    before(async function () {
        const why = motoUnavailable();
        if (why) {
            // Locally a missing tool skips; in CI it must be there.
            if (process.env.CI === "true") throw new Error(`the deploy-lock tests need moto: ${why}`);
            this.skip();
        }
        moto = await startMotoSandbox();
    });
    after(async () => {
        await moto?.stop();
        await folders.cleanup();
    });

    async function newBucket(): Promise<string> {
        const name = `lock-test-${++bucketCount}`;
        await moto.createBucket(name);
        return name;
    }
    async function keysOf(bucket: string): Promise<string[]> {
        const listed = await moto.client.send(new ListObjectsV2Command({ Bucket: bucket }));
        return (listed.Contents ?? []).map((o) => o.Key!).sort();
    }
    async function text(bucket: string, key: string): Promise<string> {
        const response = await moto.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return response.Body!.transformToString();
    }
    async function exists(bucket: string, key: string): Promise<boolean> {
        return moto.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
            () => true,
            () => false,
        );
    }
    const isContentPut = (command: string, key: string | undefined) => command === "PutObjectCommand" && !key?.includes(".webstack/");

    const buildA = { "index.html": "<script src=a.js>A</script>", "a.js": "a", "shared.css": "A" };
    const buildB = { "index.html": "<script src=b.js>B</script>", "b.js": "b", "shared.css": "B" };

    it("refuses a second deploy while the first runs, naming it, and the bucket holds exactly the first's release", async () => {
        const bucket = await newBucket();
        const [folderA, folderB] = [await folders.make(buildA), await folders.make(buildB)];
        const clientA = moto.newClient();
        const held = gate(clientA, isContentPut);
        const deployA = syncFolder({ client: clientA, bucket, folder: folderA, deployer: "deploy-A (ci job 41)" });
        await held.reached; // A has the lock and is uploading

        await assert.rejects(
            syncFolder({ client: moto.newClient(), bucket, folder: folderB, deployer: "deploy-B" }),
            (error: Error) => {
                assert.match(error.message, /Another deploy is publishing to s3:\/\/lock-test-\d+\//);
                assert.match(error.message, /held by deploy-A \(ci job 41\) \(host [^,]+, pid \d+\), started \d{4}-\d\d-\d\dT/);
                assert.match(error.message, /aws s3 rm s3:\/\/lock-test-\d+\/\.webstack\/lock\.json/);
                return true;
            },
        );
        held.open();
        await deployA;

        assert.deepEqual(await keysOf(bucket), [".webstack/manifest.json.gz", "a.js", "index.html", "shared.css"], "no byte of B, lock released");
        assert.equal(await text(bucket, "shared.css"), "A");
        const manifest = await readManifest(moto.client, bucket, "");
        assert.deepEqual(Object.keys(manifest!.files).sort(), ["a.js", "index.html", "shared.css"]);
        // B, run again once A is done, publishes and removes A's leftovers.
        const resultB = await syncFolder({ client: moto.newClient(), bucket, folder: folderB });
        assert.deepEqual(resultB.deleted, ["a.js"]);
        assert.equal(await text(bucket, "shared.css"), "B");
    });

    it("a deploy that published between this sync's read and its lock is planned again: nothing of it is orphaned", async () => {
        const bucket = await newBucket();
        const [folderA, folderB] = [await folders.make(buildA), await folders.make(buildB)];
        await syncFolder({ client: moto.client, bucket, folder: folderA });
        // A reads the manifest and plans; just before A takes the lock, B publishes in full.
        await writeFiles(folderA, { "index.html": "<script src=a.js>A2</script>" });
        const clientA = moto.newClient();
        gate(
            clientA,
            (command, key) => command === "PutObjectCommand" && key === LOCK_PATH,
            async () => void (await syncFolder({ client: moto.newClient(), bucket, folder: folderB })),
        );
        const resultA = await syncFolder({ client: clientA, bucket, folder: folderA });

        assert.ok(resultA.deleted.includes("b.js"), "b.js, uploaded by B meanwhile, is deleted by A, not orphaned");
        assert.deepEqual(await keysOf(bucket), [".webstack/manifest.json.gz", "a.js", "index.html", "shared.css"]);
        assert.equal(await text(bucket, "shared.css"), "A");
        assert.deepEqual(Object.keys((await readManifest(moto.client, bucket, ""))!.files).sort(), ["a.js", "index.html", "shared.css"]);
    });

    it("never replaces a manifest another writer changed during the sync (If-Match), and names that writer", async () => {
        const bucket = await newBucket();
        const folderA = await folders.make(buildA);
        await syncFolder({ client: moto.client, bucket, folder: folderA });
        await writeFiles(folderA, { "index.html": "<p>A2</p>" });
        const clientA = moto.newClient();
        // While A uploads, something that ignores the lock (an older webstack, a script) rewrites the manifest.
        gate(clientA, isContentPut, async () => {
            await moto.client.send(
                new PutObjectCommand({
                    Bucket: bucket,
                    Key: MANIFEST_PATH,
                    Body: encodeManifest(emptyManifest()),
                    Metadata: { "deployed-by": "old-script@laptop" },
                }),
            );
        });
        await assert.rejects(syncFolder({ client: clientA, bucket, folder: folderA }), (error: Error) => {
            assert.match(error.message, /\.webstack\/manifest\.json\.gz was replaced while this sync was running, by old-script@laptop \(written \d{4}-/);
            return true;
        });
        assert.deepEqual(Object.keys((await readManifest(moto.client, bucket, ""))!.files), [], "the other writer's manifest is left as it was");
        assert.equal(await exists(bucket, LOCK_PATH), false, "a failed sync releases its lock");
    });

    it("takes over the lock of a crashed deploy once its lease has run out", async () => {
        const bucket = await newBucket();
        const folder = await folders.make(buildA);
        const crashed = { id: "x", deployer: "crashed@ci", host: "ci", pid: 1, startedAt: "2026-01-01T00:00:00.000Z", expiresAt: new Date(Date.now() - 1000).toISOString() };
        await moto.client.send(new PutObjectCommand({ Bucket: bucket, Key: LOCK_PATH, Body: JSON.stringify(crashed) }));
        const result = await syncFolder({ client: moto.client, bucket, folder });
        assert.equal(result.uploaded.length, 3);
        assert.equal(await exists(bucket, LOCK_PATH), false);
    });

    it("a live lock blocks until broken by hand (breakDeployLock, or deleting the object)", async () => {
        const bucket = await newBucket();
        const folder = await folders.make(buildA);
        const live = { id: "y", deployer: "stuck@ci", host: "ci-7", pid: 99, startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 600_000).toISOString() };
        await moto.client.send(new PutObjectCommand({ Bucket: bucket, Key: LOCK_PATH, Body: JSON.stringify(live) }));
        await assert.rejects(syncFolder({ client: moto.client, bucket, folder }), /held by stuck@ci \(host ci-7, pid 99\)/);
        assert.deepEqual(await keysOf(bucket), [LOCK_PATH], "nothing was written");
        assert.equal((await breakDeployLock(moto.client, bucket, ""))?.deployer, "stuck@ci");
        assert.equal((await syncFolder({ client: moto.client, bucket, folder })).uploaded.length, 3);
    });

    it("renews its lease while it runs, so a long deploy is not taken over", async () => {
        const bucket = await newBucket();
        const [folderA, folderB] = [await folders.make(buildA), await folders.make(buildB)];
        const clientA: S3Client = moto.newClient();
        const held = gate(clientA, isContentPut);
        const deployA = syncFolder({ client: clientA, bucket, folder: folderA, lockLeaseSeconds: 1, deployer: "slow-A" });
        await held.reached;
        await new Promise((resolve) => setTimeout(resolve, 2500)); // 2.5 leases
        await assert.rejects(syncFolder({ client: moto.newClient(), bucket, folder: folderB }), /held by slow-A/);
        held.open();
        await deployA;
        assert.equal(await text(bucket, "shared.css"), "A");
    });
});
