/** users/search read ahead during the memberships: a read-ahead cut short is continued by the stream, nothing lost. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createFileStore } from "../../token-store";
import { collectConnector, type CollectorSettings } from "../../collector/collect";
import { LocalDirectorySink, readNdjsonGzip } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 250, issues: 10, auditRecords: 20 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "user-prefetch-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function collect(name: string) {
  const { tokenStore, settings } = await emulatorConnector(emulator, dir, name);
  return collectConnector(settings, { tokenStore, sink: new LocalDirectorySink(dir), runId: name, atlassian: { env: emulator.env, retry: { baseDelayMs: 5, maxDelayMs: 20 } } });
}

test("a read-ahead that reached the end: every page is requested once, none again by the stream", async () => {
  emulator.modes.maxResultsCap = { "/rest/api/3/users/search": 100 };
  emulator.clearRequests();
  const result = await collect("whole");
  expect(result.complete).toBe(true);
  const listing = emulator.requests.filter((r) => r.path === "/rest/api/3/users/search");
  expect(listing.map((r) => `${r.query.startAt ?? "0"} ${r.status}`)).toEqual(["0 200", "100 200", "200 200", "250 200"]);
});

test("a read-ahead that fails after its first page: the stream goes on from there and every user is written once", async () => {
  const site = emulator.site("acme");
  emulator.modes.maxResultsCap = { "/rest/api/3/users/search": 100 };
  // The second page fails every attempt of the read-ahead (1 + 4 retries), then answers the stream.
  emulator.faults.add({ match: { host: "site", path: "/rest/api/3/users/search" }, after: 1, times: 5, action: { kind: "status", status: 503 } });
  const tokenStore = createFileStore({ path: path.join(dir, "token.json") });
  const grant = emulator.grant();
  const now = new Date(emulator.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: now, familyStartedAt: now });
  const settings: CollectorSettings = {
    connectorName: "acme",
    site: "acme",
    cloudId: site.cloudId,
    oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
    license: { email: site.admin.email, apiToken: site.admin.apiToken },
  };
  emulator.clearRequests();
  const retry = { baseDelayMs: 5, maxDelayMs: 20 };
  const result = await collectConnector(settings, { tokenStore, sink: new LocalDirectorySink(dir), runId: "prefetch", atlassian: { env: emulator.env, retry } });
  expect(result.complete).toBe(true);
  const listing = emulator.requests.filter((r) => r.path === "/rest/api/3/users/search");
  expect(listing.map((r) => `${r.query.startAt ?? "0"} ${r.status}`)).toEqual(["0 200", ...Array(5).fill("100 503"), "100 200", "200 200", "250 200"]);
  const users: { accountId: string }[] = [];
  for await (const row of readNdjsonGzip(fs.readFileSync(path.join(dir, result.snapshotPrefix, "users.ndjson.gz")))) users.push(row as { accountId: string });
  expect(users.map((u) => u.accountId).sort()).toEqual(site.users.map((u) => u.accountId).sort());
});
