/**
 * "Zero requests into a known limit", judged by the emulator (its limit ledger), not by the client's own counters:
 * a whole collection under a 429 every Nth request (successes carry no rate-limit headers, so the client cannot
 * pace) plus injected 5xx whose retries would otherwise go out during a pause another request learned.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectConnector } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";

jest.setTimeout(120_000);

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 400, issues: 60, auditRecords: 300 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "known-limit-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.modes.rateLimitEveryNth = null;
  emulator.limitLedger.reset();
  emulator.limitLedger.overlapMs = 250; // well under the 600 ms a 5xx retry waits, see limit-ledger.ts
  emulator.clock.advance(10_000);
});

async function collect(name: string) {
  const { tokenStore, settings } = await emulatorConnector(emulator, dir, name);
  // Short, jitter-free backoff: a 5xx retry comes well inside a 1–2 s Retry-After window unless the gate holds it.
  const retry = { baseDelayMs: 600, jitterMin: 1, jitterMax: 1 };
  const sink = new LocalDirectorySink(path.join(dir, name));
  const result = await collectConnector(settings, { tokenStore, sink, runId: name, atlassian: { env: emulator.env, retry } });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, name, result.snapshotPrefix, "manifest.json"), "utf8"));
  return { result, manifest, snapshot: path.join(dir, name, result.snapshotPrefix) };
}

/** 5xx on the busiest routes, early enough that each has later requests to retry into. */
function injectServerErrors() {
  for (const [route, status, after] of [["/rest/api/3/group/member", 503, 2], ["/rest/api/3/users/search", 502, 0], ["/rest/api/3/auditing/record", 500, 1], ["/rest/api/3/search/jql", 503, 0]] as const) {
    emulator.faults.add({ match: { host: "site", path: route }, after, times: 2, action: { kind: "status", status } });
  }
}

const serverErrors = () => emulator.requests.filter((r) => r.status >= 500).length;

test("a 429 every 5th request with Retry-After, plus 5xx: the emulator sees no request inside a window it announced", async () => {
  emulator.modes.rateLimitEveryNth = { every: 5, retryAfterSeconds: 1 };
  injectServerErrors();
  emulator.clearRequests();
  const { result, manifest } = await collect("every-7th");
  expect(result.complete).toBe(true);
  const ledger = emulator.limitLedger.totals;
  expect(ledger.announced).toBeGreaterThanOrEqual(4);
  expect(serverErrors()).toBeGreaterThanOrEqual(6);
  expect(emulator.limitLedger.violations).toEqual([]);
  expect(ledger.duringKnownLimit).toBe(0);
  // The client's own judgement agrees, and the manifest carries both figures.
  expect(result.stats.sentDuringKnownLimit).toBe(0);
  expect(manifest.requests).toMatchObject({ sentDuringKnownLimit: 0, inFlightAtRateLimit: result.stats.inFlightAtRateLimit });
  expect(result.stats.rateLimited).toBe(ledger.announced);
});

test("429s without Retry-After: the run completes and sends nothing during the pauses it chose", async () => {
  emulator.modes.rateLimitEveryNth = { every: 7, retryAfterSeconds: null };
  injectServerErrors();
  const { result, manifest } = await collect("every-7th-no-wait");
  expect(result.complete).toBe(true);
  expect(result.stats.rateLimited).toBeGreaterThanOrEqual(3);
  expect(emulator.limitLedger.totals.announced).toBe(0);
  expect(result.stats.sentDuringKnownLimit).toBe(0);
  expect(manifest.requests.sentDuringKnownLimit).toBe(0);
});

test("the approximate license counts go through the gate: a retry waits out a 429 its sibling received", async () => {
  const base = "/rest/api/3/license/approximateLicenseCount/product";
  const roles = emulator.site("acme").applicationRoles.map((r) => r.key);
  expect(roles.length).toBeGreaterThanOrEqual(2);
  // The same route (one endpoint template): the first product's count is refused for 2 s, the second's fails once.
  emulator.faults.add({ match: { host: "site", path: `${base}/${roles[0]}` }, action: { kind: "rate-limit", retryAfterSeconds: 2 } });
  emulator.faults.add({ match: { host: "site", path: `${base}/${roles[1]}` }, action: { kind: "status", status: 503 } });
  emulator.clearRequests();
  const { snapshot } = await collect("license-counts");
  const counts = emulator.requests.filter((r) => r.path.startsWith(base));
  const limited = counts.find((r) => r.status === 429)!;
  const retried = counts.filter((r) => r.path === `${base}/${roles[1]}`);
  expect(retried.map((r) => r.status)).toEqual([503, 200]);
  // Without the gate the retry would follow the 503 after 600 ms, inside the 2 s window.
  expect(emulator.limitLedger.totals).toMatchObject({ announced: 1, duringKnownLimit: 0 });
  expect(retried[1].at - limited.at).toBeGreaterThanOrEqual(2000);
  const subscriptions = JSON.parse(fs.readFileSync(path.join(snapshot, "subscriptions.json"), "utf8"));
  for (const key of roles) expect(subscriptions.approximateCounts[key]).not.toBeNull();
});
