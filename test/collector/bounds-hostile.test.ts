import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectConnector, type CollectorIo, type CollectorSettings } from "../../collector/collect";
import { LocalDirectorySink, readNdjsonGzip } from "../../collector/snapshot";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { emulatorConnector } from "../support/emulator-connector";
import { hostileSetup, type HostileCase } from "../support/hostile-atlassian";

/**
 * Bounded work whatever the server says (README "Bounds"): each hostile answer ends one listing, the run is partial
 * with a reason naming the bound, the snapshot is written, and the number of requests (hence pages and items held)
 * stays capped. Real HTTP to the emulator on loopback; no wall clock.
 */

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 40, issues: 30, auditRecords: 60 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bounds-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => emulator.faults.clear());

async function run(name: string, options: { hostile?: HostileCase; settings?: Partial<CollectorSettings>; io?: Partial<CollectorIo> } = {}) {
  const connector = await emulatorConnector(emulator, dir, name);
  const { tokenStore } = connector;
  const root = path.join(dir, name);
  const setup = options.hostile ? hostileSetup(options.hostile) : undefined;
  for (const rule of setup?.rules ?? []) emulator.faults.add(rule);
  emulator.clearRequests();
  const settings: CollectorSettings = { ...connector.settings, ...options.settings };
  const io: CollectorIo = { tokenStore, sink: new LocalDirectorySink(root), runId: `test-${name}`, now: () => new Date(emulator.clock.now()), atlassian: { env: emulator.env }, ...options.io };
  const result = await collectConnector(settings, io);
  const snapshot = path.join(root, result.snapshotPrefix);
  const manifest = JSON.parse(fs.readFileSync(path.join(snapshot, "manifest.json"), "utf8"));
  const seatReport = JSON.parse(fs.readFileSync(path.join(snapshot, "seat-report.json"), "utf8"));
  const requests = (pattern: RegExp) => emulator.requests.filter((r) => pattern.test(r.path)).length;
  return { result, manifest, seatReport, snapshot, root, requests, setup };
}

const users = async (snapshot: string) => {
  let count = 0;
  for await (const row of readNdjsonGzip(fs.readFileSync(path.join(snapshot, "users.ndjson.gz")))) void row, count++;
  return count;
};

function expectPartial(out: Awaited<ReturnType<typeof run>>, reason: RegExp) {
  expect(out.result.complete).toBe(false);
  expect(out.result.latestUpdated).toBe(false);
  expect(out.result.reasons.some((r) => reason.test(r))).toBe(true);
  expect(out.manifest).toMatchObject({ complete: false });
  expect(out.manifest.reasons.some((r: string) => reason.test(r))).toBe(true);
  expect(fs.existsSync(path.join(out.root, "connectors", out.result.snapshotPrefix.split("/")[1]!, "latest.json"))).toBe(false);
}

test("group/member page one with total = 10^9: refused before any plan, the group left out, the run partial", async () => {
  const out = await run("gm-total", { hostile: "group-member-total-1e9" });
  expectPartial(out, /^group membership: .*group\/member: page one reports a total of 1000000000 items, beyond the bound limits\.groupMembers\.maxItems = 500000/);
  // One request per granting group: no page beyond page one was planned, let alone fetched.
  const groups = new Set(emulator.site("acme").applicationRoles.flatMap((r: { groups: string[] }) => r.groups)).size;
  expect(out.requests(/group\/member$/)).toBe(groups);
  expect(out.manifest.entities.groupMembers).toBeDefined();
});

test("auditing/record page one with total = 10^9: refused, audit marked failed, the watermark does not move", async () => {
  const out = await run("audit-total", { hostile: "audit-total-1e9" });
  expectPartial(out, /^audit: .*auditing\/record: page one reports a total of 1000000000 items, beyond the bound limits\.auditRecords\.maxItems/);
  expect(out.requests(/auditing\/record$/)).toBe(1);
  expect(out.manifest.evidence).toContainEqual({ source: "audit", status: "failed" });
});

test("search/jql with a new cursor and new issues on every page: ends at limits.issues.maxItems", async () => {
  const out = await run("jql-endless", { hostile: "jql-endless-cursor", settings: { limits: { issues: { maxItems: 2_000 } } } });
  expectPartial(out, /^issue: .*search\/jql: 2\d{3} issues read and the search goes on, beyond the bound limits\.issues\.maxItems = 2000/);
  // 100 issues a page: 20 pages reach the bound, and each of the 4 window chains stops at its next page.
  expect(out.requests(/search\/jql$/)).toBeLessThanOrEqual(2_000 / 100 + 4);
  expect(out.manifest.entities.issues.fetched).toBeLessThanOrEqual(2_000 + 4 * 100);
});

test("search/jql with a cursor that repeats: each chain stops at the repeat, the run partial", async () => {
  const out = await run("jql-repeat", { hostile: "jql-repeating-cursor" });
  expectPartial(out, /^issue: .*search\/jql: the server repeated a nextPageToken/);
  // Each window chain: page one names the token, page two repeats it → stop. At most 2 requests per chain.
  expect(out.requests(/search\/jql$/)).toBeLessThanOrEqual(2 * 4);
});

test("search/jql cycling the same issues under fresh cursors: a chain stops after 50 pages with nothing new", async () => {
  let token = 0;
  const same = Array.from({ length: 100 }, (_, i) => ({ id: String(90_000 + i), key: `CYC-${i}`, fields: { comment: { comments: [], total: 0, startAt: 0, maxResults: 0 } } }));
  emulator.faults.add({ match: { path: /\/rest\/api\/3\/search\/jql$/ }, times: Infinity, action: { kind: "json", body: () => ({ issues: same, isLast: false, nextPageToken: `fresh-${token++}` }) } });
  const out = await run("jql-cycle");
  expectPartial(out, /^issue: .*search\/jql: 50 pages in a row brought no issue not already read; the listing was stopped there/);
  // Each of the 4 chains: its first page (or the first chain's) brings the 100 issues, then at most 50 pages more.
  expect(out.requests(/search\/jql$/)).toBeLessThanOrEqual(4 * 51);
  expect(out.manifest.evidence).toContainEqual({ source: "issue", status: "failed" });
});

test("changelog/bulkfetch with a fresh cursor forever: each chain ends at limits.changelogs.maxPages", async () => {
  let token = 0;
  emulator.faults.add({ match: { path: /\/rest\/api\/3\/changelog\/bulkfetch$/ }, times: Infinity, action: { kind: "json", body: () => ({ issueChangeLogs: [], nextPageToken: `c-${token++}` }) } });
  const out = await run("changelog-endless", { settings: { limits: { changelogs: { maxPages: 2 } } } });
  expectPartial(out, /^changelog: .*changelog\/bulkfetch: 2 pages read and the listing goes on, beyond the bound limits\.changelogs\.maxPages = 2/);
  expect(out.requests(/changelog\/bulkfetch$/)).toBe(2);
});

test.each(["body-400mb-chunked", "body-400mb-declared"] as const)("users/search answering a 400 MB body (%s): not read past the cap", async (hostile) => {
  const out = await run(`big-${hostile}`, { hostile });
  expectPartial(out, /^users: .*users\/search: the response body is larger than the cap of 20971520 bytes \(maxResponseBytes\)/);
  // Not retried (one request), and the server streamed no more than the cap and socket buffers before the client left.
  expect(out.requests(/users\/search$/)).toBe(1);
  await new Promise((resolve) => setImmediate(resolve));
  expect(out.setup!.streamed!.bytes).toBeLessThan(hostile === "body-400mb-declared" ? 8 * 2 ** 20 : 40 * 2 ** 20);
  expect(await users(out.snapshot)).toBe(0);
});

test("users/search with every page full, forever: ends at limits.users.maxItems with the users read written", async () => {
  const out = await run("users-endless", { hostile: "users-endless-full-pages", settings: { limits: { users: { maxItems: 5_000 } } } });
  expectPartial(out, /^users: .*users\/search: 5000 items read and the listing goes on, beyond the bound limits\.users\.maxItems = 5000/);
  expect(out.requests(/users\/search$/)).toBe(5);
  expect(await users(out.snapshot)).toBe(5_000);
  expect(out.manifest.entities.users.fetched).toBe(5_000);
});

test("users/search with tiny pages: ends at limits.users.maxPages", async () => {
  const out = await run("users-pages", {
    hostile: "users-endless-full-pages",
    settings: { limits: { users: { maxPages: 3 } } },
  });
  expectPartial(out, /limits\.users\.maxPages = 3/);
  expect(out.requests(/users\/search$/)).toBe(3);
});

test("the run deadline reached mid-listing: reads stop, the snapshot is written partial with the reason first", async () => {
  // A controlled clock for the pipeline: it jumps past the deadline when the second users page arrives.
  let clock = 1_000_000;
  let usersPages = 0;
  const deadline = clock + 120_000;
  const out = await run("deadline", {
    hostile: "deadline-mid-users",
    io: {
      deadline,
      atlassian: {
        env: emulator.env,
        now: () => clock,
        onResponse: (event) => {
          if (/users\/search/.test(event.operation) && ++usersPages === 2) clock = deadline;
        },
      },
    },
  });
  expectPartial(out, /^run deadline reached after 120 s/);
  expect(out.result.reasons[0]).toMatch(/^run deadline reached after 120 s: reads not finished by then are missing/);
  expect(out.result.reasons).toContainEqual(expect.stringMatching(/^users: .*not started, the run deadline \(.*\) was reached/));
  // No request after the deadline: exactly the two pages that were read, both written.
  expect(out.requests(/users\/search$/)).toBe(2);
  expect(await users(out.snapshot)).toBe(2_000);
  expect(out.manifest.deadline).toEqual({ at: new Date(deadline).toISOString(), reached: true });
  // The seat report says partial too, with the same reason.
  expect(JSON.stringify(out.seatReport)).toContain("run deadline reached after 120 s");
});

test("a deadline that is not reached changes nothing: complete, and the manifest says so", async () => {
  const out = await run("deadline-ok", { io: { deadline: Date.now() + 3_600_000 } });
  expect(out.result).toMatchObject({ complete: true, reasons: [] });
  expect(out.manifest.deadline).toMatchObject({ reached: false });
});
