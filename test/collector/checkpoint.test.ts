import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { collectConnector, type CollectionResult, type CollectorSettings } from "../../collector/collect";
import { LocalDirectorySink, readNdjsonGzip } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";

/**
 * A collection the hourly points quota stops checkpoints what it read; the next run (an hour later, by the emulator
 * clock) reuses it. 1,200 users are two `users/search` pages of 2,001 points each; with a 2,000-point hour each
 * page needs an hour of its own, and the groups and activity (more than 2,000 points) the first hour, so ≥ 3 runs.
 */

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 30, 10, 5);
const SITES = [
  { name: "acme", users: 1200, issues: 60, auditRecords: 150 },
  { name: "beta", users: 40, issues: 10, auditRecords: 20 },
];
let throttled: AtlassianEmulator;
let unthrottled: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  throttled = await startAtlassianEmulator({ sites: SITES, startTime: START, pointsPerHour: 2000 });
  // Same seed, options and start time: the same data, under the default 65,000-point hour (the ground truth).
  unthrottled = await startAtlassianEmulator({ sites: SITES, startTime: START });
  // Frozen: runs start at exact instants, so the ground-truth run can start at the same one.
  throttled.clock.freeze();
  unthrottled.clock.freeze();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-"));
});
afterAll(async () => {
  await throttled.close();
  await unthrottled.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setUp(emulator: AtlassianEmulator, name: string) {
  const { grant, tokenStore, settings } = await emulatorConnector(emulator, dir, name, { grant: { sites: ["acme", "beta"] }, license: false });
  const root = path.join(dir, name);
  const io = { tokenStore, sink: new LocalDirectorySink(root), runId: `test-${name}`, now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env } };
  return { settings, io, root, grant, tokenStore };
}

const nextHour = (emulator: AtlassianEmulator) => emulator.clock.set(Math.floor(emulator.clock.now() / HOUR) * HOUR + HOUR + 60_000);
const manifestOf = (root: string, result: CollectionResult) => JSON.parse(fs.readFileSync(path.join(root, result.snapshotPrefix, "manifest.json"), "utf8"));
const usersOf = async (root: string, result: CollectionResult) => {
  const rows: Record<string, unknown>[] = [];
  for await (const row of readNdjsonGzip<Record<string, unknown>>(fs.readFileSync(path.join(root, result.snapshotPrefix, "users.ndjson.gz")))) rows.push(row);
  return rows.sort((a, b) => String(a.accountId).localeCompare(String(b.accountId)));
};

/** Runs until complete (at most `max`), moving the emulator clock to the next hour between runs. */
async function collectOverHours(emulator: AtlassianEmulator, settings: CollectorSettings, io: Parameters<typeof collectConnector>[1], max = 8) {
  const results: CollectionResult[] = [];
  for (let i = 0; i < max; i++) {
    const result = await collectConnector(settings, io);
    results.push(result);
    if (result.complete) break;
    nextHour(emulator);
  }
  return results;
}

test("a site the points quota stops completes over several runs; the final snapshot equals one unthrottled run", async () => {
  const resumed = await setUp(throttled, "resumed");
  const results = await collectOverHours(throttled, resumed.settings, resumed.io);
  const final = results[results.length - 1];
  expect(final.complete).toBe(true);
  expect(results.length).toBeGreaterThanOrEqual(3);
  // Users resume where the last whole page ended: every stopped run's offset is a page boundary, never going back.
  const offsets = results.slice(0, -1).map((run) => manifestOf(resumed.root, run).checkpoint.users.offset as number);
  expect(offsets.every((o, i) => o % 1000 === 0 && (i === 0 || o >= offsets[i - 1]))).toBe(true);
  // Every stopped run checkpointed and said why; each run resumed from the one before.
  for (const [i, run] of results.slice(0, -1).entries()) {
    expect(run).toMatchObject({ complete: false, checkpointed: true, runs: i + 1, latestUpdated: false });
    expect(run.reasons.join("\n")).toMatch(/jira-quota-global-based/);
    const manifest = manifestOf(resumed.root, run);
    expect(manifest.checkpoint).toMatchObject({ schema: 1, runs: i + 1, auth: "oauth", cloudId: resumed.settings.cloudId, stoppedBy: "points-quota" });
    expect(manifest.checkpoint.resumedFrom).toBe(i === 0 ? null : results[i - 1].snapshotPrefix);
    if (i > 0) expect(run.resumedFrom).toBe(results[i - 1].snapshotPrefix);
  }
  const manifest = manifestOf(resumed.root, final);
  expect(manifest).toMatchObject({ complete: true, runs: results.length, resumedFrom: results[results.length - 2].snapshotPrefix, entities: { users: { fetched: SITES[0].users } } });
  expect(manifest.checkpoint).toBeUndefined();
  expect(manifest.points.acrossRuns).toBeGreaterThan(manifest.points.spent);
  // The checkpoint files hold no secret (the users' fields are the report's, as in users.ndjson.gz).
  const secrets = [resumed.settings.oauth!.clientSecret, resumed.grant.refreshToken, (await resumed.tokenStore.read())!.refreshToken];
  for (const run of results.slice(0, -1)) {
    const folder = path.join(resumed.root, run.snapshotPrefix);
    expect(fs.readdirSync(folder).sort()).toEqual(["activity.ndjson.gz", "checkpoint-groups.ndjson.gz", "checkpoint-users.ndjson.gz", "manifest.json", "people.ndjson.gz", "products.ndjson.gz", "seat-report.json", "subscriptions.json", "users.ndjson.gz"]);
    const text = fs.readdirSync(folder).map((f) => (f.endsWith(".gz") ? zlib.gunzipSync(fs.readFileSync(path.join(folder, f))).toString() : fs.readFileSync(path.join(folder, f), "utf8"))).join("\n");
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  }
  const latest = JSON.parse(fs.readFileSync(path.join(resumed.root, "connectors/resumed/latest.json"), "utf8"));
  expect(latest.snapshotPrefix).toBe(final.snapshotPrefix);

  // Ground truth: one unthrottled run of the same data, at the instant the resumed collection read the activity
  // (its report is as of then).
  expect(Date.parse(manifest.activityReadAt)).toBeLessThan(Date.parse(manifest.collectedAt));
  unthrottled.clock.set(Date.parse(manifest.activityReadAt));
  const single = await setUp(unthrottled, "single");
  const truth = await collectConnector(single.settings, single.io);
  expect(truth).toMatchObject({ complete: true, runs: 1, checkpointed: false });
  expect(await usersOf(resumed.root, final)).toEqual(await usersOf(single.root, truth));
  expect(final.report).toEqual(truth.report);

  // The next run starts afresh: the used checkpoint is superseded by the complete snapshot.
  nextHour(throttled);
  const after = await collectConnector(resumed.settings, resumed.io);
  expect(after.resumedFrom).toBeUndefined();
  expect(after.checkpointIgnored).toBeUndefined();
  expect(after.runs).toBe(1);
});

test("a checkpoint older than 24 h, or of another cloud ID, is not used and the run says why", async () => {
  nextHour(throttled);
  const stale = await setUp(throttled, "stale");
  const first = await collectConnector(stale.settings, stale.io);
  expect(first).toMatchObject({ complete: false, checkpointed: true });
  throttled.clock.advance(25 * HOUR);
  const second = await collectConnector(stale.settings, stale.io);
  expect(second.resumedFrom).toBeUndefined();
  expect(second.runs).toBe(1);
  expect(second.checkpointIgnored).toMatch(/first run started 25\.\d h ago \(more than 24 h\); starting over/);
  expect(manifestOf(stale.root, second).checkpointIgnored).toBe(second.checkpointIgnored);

  // The connector re-pointed at another site (another cloud ID), same storage: that checkpoint is not for it.
  nextHour(throttled);
  const moved = { ...stale.settings, site: "beta", cloudId: throttled.site("beta").cloudId };
  const third = await collectConnector(moved, stale.io);
  expect(third.checkpointIgnored).toBe(`checkpoint ignored: it was read from cloud ID ${stale.settings.cloudId}, this connector reads ${moved.cloudId}; starting over`);
  expect(third).toMatchObject({ complete: true, runs: 1 });
});

test("a burst 429 (not the quota) makes no checkpoint: the run is partial as before", async () => {
  nextHour(throttled);
  const burst = await setUp(unthrottled, "burst");
  unthrottled.faults.add({ match: { path: "/rest/api/3/users/search" }, times: Infinity, action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-burst-based" } });
  try {
    const result = await collectConnector(burst.settings, burst.io);
    expect(result).toMatchObject({ complete: false, checkpointed: false, runs: 1 });
    expect(result.reasons.join()).toMatch(/users: .*jira-burst-based/);
    const manifest = manifestOf(burst.root, result);
    expect(manifest.checkpoint).toBeUndefined();
    expect(manifest.files["checkpoint-users.ndjson.gz"]).toBeUndefined();
    expect(fs.existsSync(path.join(burst.root, result.snapshotPrefix, "checkpoint-users.ndjson.gz"))).toBe(false);
    expect(fs.existsSync(path.join(burst.root, "connectors/burst/checkpoint.json"))).toBe(false);
  } finally {
    unthrottled.faults.clear();
  }
});

test("API-token bulk reads keep no users file in a checkpoint (outside the points quota): a resumed run reads them again", async () => {
  nextHour(throttled);
  const bulk = await setUp(unthrottled, "bulk-quota");
  const site = unthrottled.site("acme");
  const settings: CollectorSettings = { ...bulk.settings, license: { email: site.admin.email, apiToken: site.admin.apiToken } };
  // A server that answers an API-token read with the quota's 429 anyway: the run still checkpoints what it read whole.
  unthrottled.faults.add({ match: { path: "/rest/api/3/users/search" }, times: Infinity, action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" } });
  let first: CollectionResult;
  try {
    first = await collectConnector(settings, bulk.io);
  } finally {
    unthrottled.faults.clear();
  }
  expect(first).toMatchObject({ complete: false, checkpointed: true, runs: 1 });
  const manifest = manifestOf(bulk.root, first);
  expect(manifest.checkpoint.users).toBeNull();
  expect(manifest.files["checkpoint-users.ndjson.gz"]).toBeUndefined();
  expect(fs.existsSync(path.join(bulk.root, first.snapshotPrefix, "checkpoint-users.ndjson.gz"))).toBe(false);

  unthrottled.clock.set(unthrottled.clock.now() + HOUR);
  const second = await collectConnector(settings, bulk.io);
  expect(second).toMatchObject({ complete: true, runs: 2, resumedFrom: first.snapshotPrefix });
  expect(manifestOf(bulk.root, second).entities.users.fetched).toBe(SITES[0].users);
  const ids = (await usersOf(bulk.root, second)).map((u) => u.accountId);
  expect(new Set(ids).size).toBe(SITES[0].users);
});
