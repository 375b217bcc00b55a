import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { runInProcess } from "../cli/helpers";

/**
 * Identity before credentials: a collection checks that the configured cloud ID is still the site's (tenant_info)
 * before any token is presented. A wrong or remapped cloud ID fails the run — never a "complete" snapshot of
 * another site — with a failed manifest, and the refresh token is not touched.
 */

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 20 }, { name: "globex", users: 10 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "identity-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("another site's cloud ID: the run fails naming both IDs, presents no token, and writes a failed manifest", async () => {
  const tokenStore = createFileStore({ path: path.join(dir, "token.json") });
  const grant = emulator.grant({ sites: ["acme"] });
  const now = new Date().toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: now, familyStartedAt: now });
  emulator.clearRequests();
  const wrong = emulator.site("globex").cloudId;
  const run = collectConnector(
    { connectorName: "acme", site: "acme", cloudId: wrong, oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret } },
    { tokenStore, sink: new LocalDirectorySink(dir), runId: "identity", atlassian: { env: emulator.env } },
  );
  await expect(run).rejects.toMatchObject({ code: "CLOUD_ID_MISMATCH", message: expect.stringContaining(`has cloud ID ${emulator.site("acme").cloudId}, but ${wrong} was configured`) });
  expect(emulator.requests.map((r) => r.path)).toEqual(["/_edge/tenant_info"]);
  expect((await tokenStore.read())?.refreshToken).toBe(grant.refreshToken);
  const snapshots = path.join(dir, "connectors/acme/snapshots");
  const [snapshot] = fs.readdirSync(snapshots);
  expect(JSON.parse(fs.readFileSync(path.join(snapshots, snapshot!, "manifest.json"), "utf8"))).toMatchObject({ complete: false, failed: true });
});

test("collect --cloud-id of another site: exit 1 with the mismatch, no snapshot marked complete", async () => {
  const out = path.join(dir, "cli");
  const acme = emulator.site("acme");
  const token = emulator.createApiToken("acme", { scopes: ["read:application-role:jira"], expiresInDays: 10 });
  const result = await runInProcess(["collect", "--out", out, "--site", "acme", "--cloud-id", emulator.site("globex").cloudId, "--scoped-api-token", token, "--scoped-token-email", acme.admin.email], emulator.env);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/has cloud ID .* but .* was configured/);
  expect(fs.existsSync(path.join(out, "connectors/acme/latest.json"))).toBe(false);
});
