import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { credentialsFor } from "../../components/static-site/sync";

/** One AssumeRole call as a fake STS (awsQuery protocol) saw it. */
interface SeenCall {
    /** The access key id that signed the request (SigV4 `Credential=`). */
    signedBy: string;
    params: URLSearchParams;
}

/**
 * A loopback STS answering AssumeRole: each role ARN's session keys are
 * derived from the ARN, so the test can follow the chain by the signatures.
 */
function startFakeSts(): Promise<{ endpoint: string; calls: SeenCall[]; close: () => Promise<void> }> {
    const calls: SeenCall[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            const params = new URLSearchParams(body);
            const signedBy = /Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? "";
            calls.push({ signedBy, params });
            const role = params.get("RoleArn") ?? "";
            const key = `ASIA${role.split("/").pop()!.toUpperCase()}`;
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>secret-${key}</SecretAccessKey><SessionToken>token-${key}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>${role}/session</Arn><AssumedRoleId>AROA:session</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        });
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () =>
            resolve({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise((done) => server.close(() => done())) }),
        ),
    );
}

describe("Site sync credentials: aws:assumeRoles chain (loopback STS)", () => {
    let sts: Awaited<ReturnType<typeof startFakeSts>>;
    let directory: string;
    before(async () => {
        sts = await startFakeSts();
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-roles-"));
        fs.writeFileSync(path.join(directory, "credentials"), "[ci]\naws_access_key_id = AKIACIPROFILE\naws_secret_access_key = ci-secret\n");
    });
    after(async () => {
        await sts.close();
        fs.rmSync(directory, { recursive: true, force: true });
    });

    it("assumes each role in order with the previous identity, starting from the stack's profile", async () => {
        const provider = credentialsFor(
            {
                stackKeys: true,
                profile: "ci",
                sharedCredentialsFiles: [path.join(directory, "credentials")],
                endpoints: { sts: sts.endpoint },
                assumeRoles: [
                    { roleArn: "arn:aws:iam::111111111111:role/hop", externalId: "ext-1", durationSeconds: 900 },
                    { roleArn: "arn:aws:iam::222222222222:role/deployer", sessionName: "site" },
                ],
            },
            "eu-west-1",
        );
        const identity = await provider!();
        assert.deepEqual([identity.accessKeyId, identity.secretAccessKey, identity.sessionToken], ["ASIADEPLOYER", "secret-ASIADEPLOYER", "token-ASIADEPLOYER"]);
        assert.deepEqual(
            sts.calls.map((call) => [call.signedBy, call.params.get("RoleArn"), call.params.get("RoleSessionName"), call.params.get("ExternalId"), call.params.get("DurationSeconds")]),
            [
                ["AKIACIPROFILE", "arn:aws:iam::111111111111:role/hop", "webstack-site-sync", "ext-1", "900"],
                ["ASIAHOP", "arn:aws:iam::222222222222:role/deployer", "site", null, null],
            ],
        );
        // A second client of the same sync reuses the session instead of assuming again.
        await provider!();
        assert.equal(sts.calls.length, 2);
    });
});
