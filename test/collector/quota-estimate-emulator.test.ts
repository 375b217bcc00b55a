import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AtlassianClient } from "../../atlassian";
import { estimateOauthCollection } from "../../atlassian/quota/quota-estimate";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { joinProducts } from "../../providers/jira-connection/validate";
import { getApplicationRoles, getInstanceLicense } from "../../atlassian";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";

/**
 * The OAuth points estimate `check` and `pulumi up` print, against what the emulator's hourly quota actually charges
 * for one OAuth-only collection: a lower bound (audit records and issues are unknown before a run), and the
 * manifest's own tally equals the emulator's charge.
 */

let emulator: AtlassianEmulator;
let dir: string;
const START = Date.UTC(2026, 5, 1, 12, 5);
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 3_000 }], startTime: START });
  emulator.clock.freeze();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quota-estimate-"));
}, 60_000);
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("estimate ≤ points the emulator charged for one OAuth-only collection = the manifest's tally", async () => {
  const site = emulator.site("acme");
  // The seat counts validation reads (through the admin's classic token: no points).
  const jira = new AtlassianClient({ env: emulator.env }).jira({ kind: "api-token", site: "acme", email: site.admin.email, apiToken: site.admin.apiToken });
  const products = joinProducts(await getApplicationRoles(jira), await getInstanceLicense(jira));
  const estimate = estimateOauthCollection(products);

  const before = emulator.pointsQuota();
  const tokenStore = createFileStore({ path: path.join(dir, "token.json") });
  const now = new Date(emulator.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: emulator.grant().refreshToken, rotatedAt: now, familyStartedAt: now });
  const result = await collectConnector(
    { connectorName: "acme", site: "acme", cloudId: site.cloudId, oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret } },
    { tokenStore, sink: new LocalDirectorySink(dir), runId: "quota-estimate", now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } },
  );
  expect(result.complete).toBe(true);
  const charged = before.remaining - emulator.pointsQuota().remaining;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, result.snapshotPrefix, "manifest.json"), "utf8"));
  expect(manifest.points).toMatchObject({ charged: true, spent: charged });
  expect(estimate.points).toBeGreaterThan(0);
  expect(estimate.points).toBeLessThanOrEqual(charged);
  // A useful bound, not a token one: users and group members dominate a collection's cost.
  expect(estimate.points).toBeGreaterThan(charged * 0.5);
});
