import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink, readNdjsonGzip } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";

/** A collection against the emulator's seeded site, checked against the emulator's own ground truth. */

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 120, issues: 150, auditRecords: 400 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setUp(name: string) {
  const { site, grant, tokenStore, settings } = await emulatorConnector(emulator, dir, name);
  const sink = new LocalDirectorySink(path.join(dir, name));
  const io = { tokenStore, sink, runId: `test-${name}`, now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } };
  return { site, grant, tokenStore, settings, io, root: path.join(dir, name) };
}

const read = async (file: string) => {
  const rows: any[] = [];
  for await (const row of readNdjsonGzip(fs.readFileSync(file))) rows.push(row);
  return rows;
};

test("snapshot matches the emulator's ground truth: users, seat holders, product counts", async () => {
  const { site, grant, tokenStore, settings, io, root } = await setUp("acme");
  const result = await collectConnector(settings, io);
  expect(result).toMatchObject({ complete: true, reasons: [], latestUpdated: true });

  // Token first: the store holds the family's current token and the grant is alive.
  expect((await tokenStore.read())?.refreshToken).toBe(emulator.family(grant.familyId)?.currentRefreshToken);

  const snapshot = path.join(root, result.snapshotPrefix);
  const users = await read(path.join(snapshot, "users.ndjson.gz"));
  expect(users.map((u) => u.accountId).sort()).toEqual(site.users.map((u: { accountId: string }) => u.accountId).sort());

  for (const role of site.applicationRoles) {
    const expected = new Set<string>();
    for (const group of site.groups) {
      if (!role.groups.includes(group.name)) continue;
      for (const m of group.members) if (m.active && m.accountType === "atlassian") expected.add(m.accountId);
    }
    const product = result.report.products.find((p) => p.productKey === role.key)!;
    expect(product.seatsUsed).toBe(expected.size);
    expect(product.seatsUsed).toBe(role.userCount);
    expect(product.seatsPurchased).toBe(role.hasUnlimitedSeats ? null : role.numberOfSeats);
    const holdersInFile = users.filter((u) => u.products.some((p: { key: string }) => p.key === role.key) && u.active && u.accountType === "atlassian");
    expect(new Set(holdersInFile.map((u) => u.accountId))).toEqual(expected);
  }

  const manifest = JSON.parse(fs.readFileSync(path.join(snapshot, "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({ complete: true, connector: "acme", cloudId: site.cloudId, entities: { users: { fetched: site.users.length } } });
  const latest = JSON.parse(fs.readFileSync(path.join(root, "connectors/acme/latest.json"), "utf8"));
  expect(latest.snapshotPrefix).toBe(result.snapshotPrefix);

  // No secret in any snapshot file.
  const secrets = [settings.oauth!.clientSecret, settings.license!.apiToken, grant.refreshToken, (await tokenStore.read())!.refreshToken];
  const everything = fs.readdirSync(snapshot).map((f) => (f.endsWith(".gz") ? require("zlib").gunzipSync(fs.readFileSync(path.join(snapshot, f))).toString() : fs.readFileSync(path.join(snapshot, f), "utf8"))).join("\n");
  for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
});

test("the second run reads audit records only from the watermark on", async () => {
  const { settings, io, root } = await setUp("incremental");
  const first = await collectConnector(settings, io);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, first.snapshotPrefix, "manifest.json"), "utf8"));
  expect(manifest.watermark).toEqual(expect.any(String));
  expect(manifest.entities.auditRecords.fetched).toBeGreaterThan(0);
  emulator.clock.advance(24 * 3600 * 1000);
  emulator.clearRequests();
  const second = await collectConnector(settings, io);
  const audit = emulator.requests.filter((r) => r.path === "/rest/api/3/auditing/record");
  expect(Date.parse(audit[0].query.from)).toBe(Date.parse(manifest.watermark) - 5 * 60 * 1000);
  const secondManifest = JSON.parse(fs.readFileSync(path.join(root, second.snapshotPrefix, "manifest.json"), "utf8"));
  // Only the 5-minute overlap can be re-read; nothing older than the watermark.
  expect(secondManifest.entities.auditRecords.fetched).toBeLessThan(manifest.entities.auditRecords.fetched);
  // Older audit evidence is carried forward from the first snapshot, so a day later with no new activity nobody who
  // was active turns inactive (the bug: they did, because their audit records were before the watermark).
  const inactive = (r: typeof first) => r.report.products.map((p) => [p.productKey, p.inactiveHolders.map((h) => h.accountId).sort()]);
  const lastActivity = (r: typeof first) => r.report.products.flatMap((p) => p.inactiveHolders.map((h) => [h.accountId, h.lastActivityAt]));
  expect(first.report.products.some((p) => p.seatsUsed > 0)).toBe(true);
  expect(inactive(second)).toEqual(inactive(first));
  expect(lastActivity(second)).toEqual(lastActivity(first));
  expect(secondManifest.activityEvidenceSince).toBe(manifest.activityEvidenceSince);
  // Evidence reaches back to the first run's audit lookback, not just to the second run's watermark.
  expect(Date.parse(manifest.activityEvidenceSince)).toBe(Date.parse(manifest.collectedAt) - (settings.auditLookbackDays ?? settings.inactivityDays ?? 90) * 86_400_000);
});

test("hourly points quota exhausted → the snapshot is partial, latest is not moved, the grant survives", async () => {
  const { settings, io, root, grant } = await setUp("quota");
  const first = await collectConnector(settings, io);
  expect(first.complete).toBe(true);
  emulator.faults.add({
    match: { path: "/rest/api/3/users/search" },
    times: Infinity,
    action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" },
  });
  try {
    emulator.clearRequests();
    const second = await collectConnector(settings, io);
    expect(second.complete).toBe(false);
    expect(second.reasons.join()).toMatch(/users: .*jira-quota-global-based/);
    expect(second.latestUpdated).toBe(false);
    // It stopped instead of hammering: one attempt at the rate-limited endpoint.
    expect(emulator.requests.filter((r) => r.path === "/rest/api/3/users/search")).toHaveLength(1);
    const latest = JSON.parse(fs.readFileSync(path.join(root, "connectors/quota/latest.json"), "utf8"));
    expect(latest.snapshotPrefix).toBe(first.snapshotPrefix);
    expect(emulator.family(grant.familyId)?.revoked).toBe(false);
  } finally {
    emulator.faults.clear();
  }
});

test("persistent 5xx → the run fails cleanly with the reason in a failed manifest", async () => {
  const { settings, io, root } = await setUp("failing");
  emulator.faults.add({ match: { path: "/rest/api/3/applicationrole" }, times: Infinity, action: { kind: "status", status: 502 } });
  try {
    await expect(collectConnector(settings, { ...io, atlassian: { env: emulator.env, retry: { baseDelayMs: 1, maxDelayMs: 2 } } })).rejects.toThrow(/did not answer/);
  } finally {
    emulator.faults.clear();
  }
  const snapshots = fs.readdirSync(path.join(root, "connectors/failing/snapshots"));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "connectors/failing/snapshots", snapshots[0], "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({ complete: false, failed: true, reasons: expect.arrayContaining([expect.stringMatching(/AtlassianUnavailableError: .*HTTP 502/)]) });
  expect(fs.existsSync(path.join(root, "connectors/failing/latest.json"))).toBe(false);
});

test("points: OAuth-only collection spends quota points; with license credentials bulk reads are exempt", async () => {
  const withLicense = await setUp("points-license");
  const exempt = await collectConnector(withLicense.settings, withLicense.io);
  const noLicense = await setUp("points-oauth");
  const { license: _license, ...oauthOnly } = noLicense.settings;
  const charged = await collectConnector(oauthOnly, noLicense.io);
  const manifestOf = (root: string, prefix: string) => JSON.parse(fs.readFileSync(path.join(root, prefix, "manifest.json"), "utf8"));
  expect(manifestOf(withLicense.root, exempt.snapshotPrefix).points).toMatchObject({ charged: false, spent: 0 });
  const points = manifestOf(noLicense.root, charged.snapshotPrefix).points;
  // users/search: 1 per page + 2 per user (identity objects).
  expect(points.byKind["users-search"].points).toBeGreaterThanOrEqual(2 * emulator.site("acme").users.length);
  expect(charged.report.products.map((p) => p.seatsUsed)).toEqual(exempt.report.products.map((p) => p.seatsUsed));
});

test("malformed response → a clear failure naming the operation", async () => {
  const { settings, io } = await setUp("malformed");
  emulator.faults.add({ match: { path: "/rest/api/3/instance/license" }, action: { kind: "malformed-json" } });
  try {
    await expect(collectConnector(settings, io)).rejects.toThrow(/GET \/rest\/api\/3\/instance\/license with an unexpected response \(HTTP 200 with a body that is not JSON/);
  } finally {
    emulator.faults.clear();
  }
});

test("429 storms with and without Retry-After, and 5xx then success → still a complete, correct snapshot", async () => {
  const { settings, io } = await setUp("storm");
  const baseline = await collectConnector(settings, io);
  emulator.faults.add({ match: { path: "/rest/api/3/group/member" }, times: 6, action: { kind: "rate-limit", retryAfterSeconds: 0 } });
  emulator.faults.add({ match: { path: "/rest/api/3/users/search" }, times: 2, action: { kind: "rate-limit", retryAfterSeconds: null } });
  emulator.faults.add({ match: { path: "/rest/api/3/auditing/record" }, times: 2, action: { kind: "status", status: 503 } });
  try {
    const stormy = await collectConnector(settings, { ...io, atlassian: { env: emulator.env, retry: { baseDelayMs: 1, maxDelayMs: 5 } } });
    expect(stormy.complete).toBe(true);
    expect(stormy.stats.rateLimited).toBe(8);
    expect(stormy.stats.serverErrors).toBe(2);
    expect(stormy.report.products.map((p) => [p.productKey, p.seatsUsed])).toEqual(baseline.report.products.map((p) => [p.productKey, p.seatsUsed]));
  } finally {
    emulator.faults.clear();
  }
});

test("a snapshot file that cannot be stored fails the run once every other write has settled: a failed manifest, no latest", async () => {
  const { settings, io, root } = await setUp("store-fails");
  // The seat report's stream fails at its commit, while the users, activity and fleet files are being stored too.
  class SeatReportFails extends LocalDirectorySink {
    override writeStream(key: string, contentType: string) {
      if (!key.endsWith("/seat-report.json")) return super.writeStream(key, contentType);
      return new Writable({ write: (_chunk, _encoding, callback) => callback(new Error("disk full (test)")) });
    }
  }
  const sink = new SeatReportFails(root);
  await expect(collectConnector(settings, { ...io, sink })).rejects.toThrow("disk full (test)");
  const snapshots = fs.readdirSync(path.join(root, "connectors/store-fails/snapshots"));
  expect(snapshots).toHaveLength(1);
  const folder = path.join(root, "connectors/store-fails/snapshots", snapshots[0]!);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({ complete: false, failed: true });
  expect(manifest.reasons.join()).toContain("disk full (test)");
  expect(fs.existsSync(path.join(folder, "seat-report.json"))).toBe(false);
  expect(fs.existsSync(path.join(root, "connectors/store-fails/latest.json"))).toBe(false);
});
