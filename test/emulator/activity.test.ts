/**
 * Seeded behaviour (issue 11) and the activity endpoints: changelog/bulkfetch, issue comments, worklog/updated,
 * worklog/list, the truncated lists search/jql embeds, scope denial on the gateway, and that activityTruth() equals
 * what the endpoints serve.
 */
import { DEFAULT_SCOPES, latestVisible, startAtlassianEmulator, type AtlassianEmulator, type EmulatedSite } from "../support/atlassian-emulator";
import { basic, bearer, call, DAY, gatewayGet, gatewayPost, MINUTE, siteGet, sitePost } from "./helpers";

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
const WORKLOG_SCOPES = ["read:issue-worklog:jira", "read:issue-worklog.property:jira", "read:comment:jira", "read:group:jira", "read:project-role:jira", "read:user:jira", "read:avatar:jira"];
const ACTIVITY_SCOPES = [...DEFAULT_SCOPES, ...WORKLOG_SCOPES, "read:issue.changelog:jira", "read:comment.property:jira", "read:project:jira"];

let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ startTime: START, sites: [{ name: "acme", users: 600, issues: 150, auditRecords: 300 }], burst: { perSecond: 100_000 } });
  emu.clock.freeze();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.modes.maxResultsCap = {};
  emu.modes.embeddedLimits = { comment: 20, worklog: 20, changelog: 100 };
  emu.clock.set(START);
});

const acme = () => emu.site("acme");
const busiest = (site: EmulatedSite, kind: "comments" | "histories" | "worklogs") =>
  [...site.issues].sort((a, b) => site.activity.byIssue.get(b.id)![kind].length - site.activity.byIssue.get(a.id)![kind].length)[0];
const maxBy = (rows: { who: string; t: number }[]) => {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.who, Math.max(out.get(r.who) ?? -Infinity, r.t));
  return out;
};
const truthOf = (site: EmulatedSite, source: "changelog" | "comment" | "worklog") => {
  const out = new Map<string, number>();
  for (const [id, e] of site.activityTruth()) if (e.lastAction[source] !== null) out.set(id, e.lastAction[source]!);
  return out;
};

describe("seeded behaviour", () => {
  test("profile shares on a 2,000-user site, and what each profile does", async () => {
    const big = await startAtlassianEmulator({ startTime: START, sites: [{ name: "big", users: 2000 }] });
    try {
      const site = big.site("big");
      const truth = site.activityTruth();
      const people = site.users.filter((u) => u.active && u.accountType === "atlassian");
      const share = (p: string) => people.filter((u) => truth.get(u.accountId)!.profile === p).length / people.length;
      expect(share("contributor")).toBeGreaterThan(0.55);
      expect(share("contributor")).toBeLessThan(0.75);
      expect(share("reader")).toBeGreaterThan(0.1);
      expect(share("reader")).toBeLessThan(0.2);
      expect(share("idle")).toBeGreaterThan(0.04);
      expect(share("idle")).toBeLessThan(0.12);
      expect(share("lapsed")).toBeGreaterThan(0.07);
      expect(share("lapsed")).toBeLessThan(0.17);
      expect(truth.get(site.admin.accountId)!.profile).toBe("contributor");
      expect(truth.get(site.member.accountId)!.profile).toBe("contributor");
      expect(truth.size).toBe(site.users.length);

      const jira = ["audit", "issue-created", "changelog", "comment", "worklog"] as const;
      const lastJira = (id: string) => latestVisible(truth.get(id)!, jira);
      for (const u of site.users) {
        const e = truth.get(u.accountId)!;
        const last = lastJira(u.accountId);
        const org = Object.values(e.orgLastActive ?? {}).filter((t): t is number => t !== null);
        if (u.accountType !== "atlassian") {
          expect({ id: u.accountId, profile: e.profile, org: e.orgLastActive }).toEqual({ id: u.accountId, profile: u.accountType, org: null });
          expect(last).toBeNull();
        } else if (!u.active) {
          expect({ profile: e.profile, org: e.orgLastActive }).toEqual({ profile: "inactive", org: {} });
          // Former staff only ever appear as creators of (old) issues.
          expect([e.lastAction.audit, e.lastAction.changelog, e.lastAction.comment, e.lastAction.worklog]).toEqual([null, null, null, null]);
        } else if (e.profile === "reader" || e.profile === "idle") {
          expect({ id: u.accountId, last }).toEqual({ id: u.accountId, last: null });
          if (e.profile === "reader" && org.length > 0) expect(Math.max(...org)).toBeGreaterThanOrEqual(START - 90 * DAY);
          if (e.profile === "idle") for (const t of org) expect(t).toBeLessThan(START - 90 * DAY);
        } else if (e.profile === "lapsed") {
          expect(last).toBeGreaterThanOrEqual(START - 170 * DAY);
          expect(last).toBeLessThanOrEqual(START - 100 * DAY + 5 * MINUTE);
          for (const t of org) expect(t).toBeLessThan(START - 90 * DAY);
        } else {
          expect(last).toBeGreaterThanOrEqual(START - 90 * DAY);
          expect(last).toBeLessThanOrEqual(START);
          // The org date is never earlier than the last Jira action.
          for (const t of org) expect(t).toBeGreaterThanOrEqual(last!);
        }
      }
      // Readers are visible through the org API only; most hold a product with a recent page view.
      const readers = people.filter((u) => truth.get(u.accountId)!.profile === "reader");
      const recentlySeen = readers.filter((u) => (latestVisible(truth.get(u.accountId)!, ["org"]) ?? 0) >= START - 90 * DAY);
      expect(recentlySeen.length / readers.length).toBeGreaterThan(0.7);

      // Bounded: at most 6 planned changelog/comment/worklog actions per person.
      const perPerson = new Map<string, number>();
      for (const a of [...site.activity.histories, ...site.activity.comments, ...site.activity.worklogs]) perPerson.set(a.author.accountId, (perPerson.get(a.author.accountId) ?? 0) + 1);
      expect(Math.max(...perPerson.values())).toBeLessThanOrEqual(6);
      // Every action is on an existing issue, after its creation, and the issue's `updated` covers it.
      const issues = new Map(site.issues.map((i) => [i.id, i]));
      for (const a of [...site.activity.histories.map((h) => ({ issueId: h.issueId, t: h.created })), ...site.activity.comments.map((c) => ({ issueId: c.issueId, t: c.updated })), ...site.activity.worklogs.map((w) => ({ issueId: w.issueId, t: w.updated }))]) {
        const issue = issues.get(a.issueId)!;
        expect(a.t).toBeGreaterThan(issue.created);
        expect(issue.updated).toBeGreaterThanOrEqual(a.t);
        expect(a.t).toBeLessThanOrEqual(START);
      }
    } finally {
      await big.close();
    }
  });

  test("a 10,000-user site: bounded action count (start-up time printed, not asserted)", async () => {
    const t0 = performance.now();
    const big = await startAtlassianEmulator({ startTime: START, sites: [{ name: "big", users: 10_000 }] });
    const ms = performance.now() - t0;
    try {
      const site = big.site("big");
      const people = site.users.filter((u) => u.active && u.accountType === "atlassian").length;
      const actions = site.activity.histories.length + site.activity.comments.length + site.activity.worklogs.length + site.auditRecords.length + site.issues.length;
      expect(actions / people).toBeLessThanOrEqual(6);
      expect(site.issues.length).toBe(1000); // default issue count: one per 10 users, at least 200
      const counts: Record<string, number> = {};
      for (const e of site.activityTruth().values()) counts[e.profile] = (counts[e.profile] ?? 0) + 1;
      console.log(`[emulator] 10k users: start-up ${ms.toFixed(0)} ms, ${actions} actions; profiles ${JSON.stringify(counts)}`);
    } finally {
      await big.close();
    }
  });

  test("same seed → same activity; truth is deterministic", async () => {
    const opts = { startTime: START, seed: 3, sites: [{ name: "acme", users: 150 }] };
    const [a, b] = await Promise.all([startAtlassianEmulator(opts), startAtlassianEmulator(opts)]);
    try {
      const flat = (s: EmulatedSite) => ({
        histories: s.activity.histories.map((h) => ({ ...h, author: h.author.accountId })),
        comments: s.activity.comments.map((c) => ({ ...c, author: c.author.accountId })),
        worklogs: s.activity.worklogs.map((w) => ({ ...w, author: w.author.accountId })),
        truth: [...s.activityTruth()],
      });
      expect(flat(a.site("acme"))).toEqual(flat(b.site("acme")));
      expect(a.site("acme").activity.histories.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("POST changelog/bulkfetch", () => {
  const allKeys = () => acme().issues.map((i) => i.key);

  test("cursor paging over several pages: every history once, oldest first then issue ID; truth matches", async () => {
    const seen: { issueId: string; id: string; created: number; author: string }[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await sitePost(emu, "/changelog/bulkfetch", { issueIdsOrKeys: allKeys(), maxResults: 50, ...(token ? { nextPageToken: token } : {}) });
      expect(r.status).toBe(200);
      const onPage = r.body.issueChangeLogs.flatMap((l: any) => l.changeHistories.map((h: any) => ({ issueId: l.issueId, id: h.id, created: Date.parse(h.created), author: h.author.accountId })));
      expect(onPage.length).toBeLessThanOrEqual(50);
      // One entry per issue on a page.
      expect(new Set(r.body.issueChangeLogs.map((l: any) => l.issueId)).size).toBe(r.body.issueChangeLogs.length);
      seen.push(...onPage.sort((a: any, b: any) => a.created - b.created || Number(a.issueId) - Number(b.issueId)));
      token = r.body.nextPageToken;
      pages++;
    } while (token);
    const all = acme().activity.histories;
    expect(pages).toBe(Math.ceil(all.length / 50));
    expect(pages).toBeGreaterThan(2);
    expect(seen.map((h) => h.id)).toEqual(all.map((h) => h.id));
    for (let i = 1; i < seen.length; i++) expect(seen[i].created >= seen[i - 1].created).toBe(true);
    // The latest history per author equals the truth.
    expect(maxBy(seen.map((h) => ({ who: h.author, t: h.created })))).toEqual(truthOf(acme(), "changelog"));
  });

  test("fieldIds filter, unknown issues omitted, IDs and keys mixed, a token only continues its own request", async () => {
    const issue = busiest(acme(), "histories");
    const r = await sitePost(emu, "/changelog/bulkfetch", { issueIdsOrKeys: [issue.id, issue.key.toLowerCase(), "NOPE-999"], fieldIds: ["status"] });
    expect(r.body.issueChangeLogs).toHaveLength(1);
    const items = r.body.issueChangeLogs[0].changeHistories.flatMap((h: any) => h.items);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i: any) => i.fieldId === "status")).toBe(true);
    const expected = acme().activity.byIssue.get(issue.id)!.histories.filter((h) => h.items.some((i) => i.fieldId === "status"));
    expect(r.body.issueChangeLogs[0].changeHistories.map((h: any) => h.id)).toEqual(expected.map((h) => h.id));
    const first = await sitePost(emu, "/changelog/bulkfetch", { issueIdsOrKeys: allKeys(), maxResults: 2 });
    const other = await sitePost(emu, "/changelog/bulkfetch", { issueIdsOrKeys: [issue.key], nextPageToken: first.body.nextPageToken });
    expect(other.status).toBe(400);
    expect(other.body.errorMessages).toEqual(["The provided next page token is invalid."]);
  });

  test("invalid bodies are 400 ErrorCollections", async () => {
    for (const body of [{}, { issueIdsOrKeys: [] }, { issueIdsOrKeys: Array.from({ length: 1001 }, (_, i) => `ENG-${i}`) }, { issueIdsOrKeys: ["ENG-1"], fieldIds: Array.from({ length: 11 }, (_, i) => `f${i}`) }, { issueIdsOrKeys: ["ENG-1"], maxResults: 10_001 }, { issueIdsOrKeys: "ENG-1" }, { issueIds: ["ENG-1"] }, "{oops"]) {
      const r = await sitePost(emu, "/changelog/bulkfetch", body);
      expect({ body, status: r.status, messages: r.body?.errorMessages?.length }).toEqual({ body, status: 400, messages: 1 });
    }
  });
});

describe("GET issue/{issueIdOrKey}/comment", () => {
  test("paging and ordering", async () => {
    const issue = busiest(acme(), "comments");
    const all = acme().activity.byIssue.get(issue.id)!.comments;
    expect(all.length).toBeGreaterThan(10);
    const ids: string[] = [];
    for (let startAt = 0; startAt < all.length; startAt += 4) {
      const r = await siteGet(emu, `/issue/${issue.key}/comment?startAt=${startAt}&maxResults=4`);
      expect(r.body).toMatchObject({ startAt, maxResults: 4, total: all.length });
      ids.push(...r.body.comments.map((c: any) => c.id));
    }
    expect(ids).toEqual(all.map((c) => c.id));
    const created = (await siteGet(emu, `/issue/${issue.id}/comment?orderBy=created`)).body.comments.map((c: any) => Date.parse(c.created));
    expect([...created].sort((a, b) => a - b)).toEqual(created);
    const newest = (await siteGet(emu, `/issue/${issue.id}/comment?orderBy=-created&maxResults=3`)).body;
    expect(newest.comments.map((c: any) => c.id)).toEqual([...all].reverse().slice(0, 3).map((c) => c.id));
    expect((await siteGet(emu, `/issue/${issue.id}/comment?maxResults=5000`)).body.maxResults).toBe(100);
    expect((await siteGet(emu, `/issue/${issue.id}/comment?orderBy=updated`)).status).toBe(400);
    expect((await siteGet(emu, `/issue/NOPE-1/comment`)).status).toBe(404);
    const c = newest.comments[0];
    expect(c).toMatchObject({ self: expect.stringContaining(`/rest/api/3/issue/${issue.id}/comment/${c.id}`), author: { accountId: all[all.length - 1].author.accountId }, body: { type: "doc", version: 1 } });
  });

  test("the latest comment per author over every issue equals the truth", async () => {
    const rows: { who: string; t: number }[] = [];
    for (const issue of acme().issues) {
      const r = await siteGet(emu, `/issue/${issue.id}/comment?orderBy=-created&maxResults=100`);
      expect(r.body.total).toBeLessThanOrEqual(100); // one page each on this site
      rows.push(...r.body.comments.map((c: any) => ({ who: c.author.accountId, t: Date.parse(c.updated) })));
    }
    expect(maxBy(rows)).toEqual(truthOf(acme(), "comment"));
  });
});

describe("worklogs", () => {
  const PATH = "/rest/api/3/worklog/updated";

  test("worklog/updated: nextPage chain (absolute URLs), oldest first; worklog/list gives the details; truth matches", async () => {
    emu.modes.maxResultsCap = { [PATH]: 25 };
    const all = acme().activity.worklogs;
    expect(all.length).toBeGreaterThan(50);
    const auth = basic(acme().admin.email, acme().admin.apiToken);
    let url = `${emu.url}/site/acme${PATH}?since=0`;
    const ids: number[] = [];
    let pages = 0;
    let previousLast: number | undefined;
    for (;;) {
      const r = await call(url, { auth });
      expect(r.status).toBe(200);
      const values = r.body.values as { worklogId: number; updatedTime: number; properties: unknown[] }[];
      expect(values.length).toBeLessThanOrEqual(25);
      const times = values.map((v) => v.updatedTime);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(r.body.since).toBe(Number(new URL(url).searchParams.get("since")));
      if (values.length) expect(r.body.until).toBe(times[times.length - 1]);
      // `since` is inclusive: the previous page's last item comes first again.
      if (previousLast !== undefined && values.length) expect(values[0].worklogId).toBe(previousLast);
      for (const v of values) if (v.worklogId !== ids[ids.length - 1]) ids.push(v.worklogId);
      previousLast = values[values.length - 1]?.worklogId;
      expect(r.body.nextPage).toBe(`${emu.url}/site/acme${PATH}?since=${r.body.until}`);
      pages++;
      if (r.body.lastPage) break;
      url = r.body.nextPage;
    }
    expect(pages).toBeGreaterThan(2);
    expect(ids).toEqual(all.map((w) => w.id));

    const details: any[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const r = await sitePost(emu, "/worklog/list", { ids: ids.slice(i, i + 1000) });
      details.push(...r.body);
    }
    expect(details.map((w) => Number(w.id))).toEqual(ids);
    expect(details[0]).toEqual(expect.objectContaining({ issueId: expect.any(String), author: expect.any(Object), updateAuthor: expect.any(Object), started: expect.any(String), created: expect.any(String), updated: expect.any(String), timeSpentSeconds: expect.any(Number) }));
    expect(maxBy(details.map((w) => ({ who: w.author.accountId, t: Date.parse(w.updated) })))).toEqual(truthOf(acme(), "worklog"));
  });

  test("worklog/updated leaves out worklogs updated during the minute before the request", async () => {
    const w = acme().activity.worklogs[Math.floor(acme().activity.worklogs.length / 2)];
    const idsAt = async (now: number) => {
      emu.clock.set(now);
      const r = await siteGet(emu, "/worklog/updated?since=0");
      return r.body.values.map((v: { worklogId: number }) => v.worklogId) as number[];
    };
    const within = await idsAt(w.updated + 59_999);
    expect(within).not.toContain(w.id);
    expect(within.length).toBeGreaterThan(0); // older ones are there
    expect(acme().activity.worklogs.filter((x) => within.includes(x.id)).every((x) => x.updated <= w.updated + 59_999 - MINUTE)).toBe(true);
    expect(await idsAt(w.updated + MINUTE)).toContain(w.id);
  });

  test("worklog/list: unknown IDs omitted, duplicates once, 400 for none or more than 1000", async () => {
    const [a, b] = acme().activity.worklogs;
    const r = await sitePost(emu, "/worklog/list", { ids: [b.id, a.id, a.id, 1] });
    expect(r.body.map((w: any) => w.id)).toEqual([String(a.id), String(b.id)]);
    expect((await sitePost(emu, "/worklog/list", { ids: [] })).status).toBe(400);
    expect((await sitePost(emu, "/worklog/list", { ids: Array.from({ length: 1001 }, (_, i) => i + 1) })).status).toBe(400);
    expect((await sitePost(emu, "/worklog/list", { ids: ["10000"] })).status).toBe(400);
  });
});

describe("search/jql embedded lists", () => {
  const byKey = (key: string, fields: string, extra = "") => siteGet(emu, `/search/jql?jql=${encodeURIComponent(`key = ${key}`)}&fields=${fields}${extra}`);

  test("comments truncated at 20 (oldest), total the real count; worklogs and changelog follow modes.embeddedLimits", async () => {
    const issue = busiest(acme(), "comments");
    const act = acme().activity.byIssue.get(issue.id)!;
    expect(act.comments.length).toBeGreaterThan(20);
    const comment = (await byKey(issue.key, "comment")).body.issues[0].fields.comment;
    expect(comment).toMatchObject({ startAt: 0, maxResults: 20, total: act.comments.length, self: expect.stringContaining(`/issue/${issue.id}/comment`) });
    expect(comment.comments.map((c: any) => c.id)).toEqual(act.comments.slice(0, 20).map((c) => c.id));

    const wIssue = busiest(acme(), "worklogs");
    const wAct = acme().activity.byIssue.get(wIssue.id)!;
    expect(wAct.worklogs.length).toBeGreaterThanOrEqual(3);
    emu.modes.embeddedLimits.worklog = 2;
    const worklog = (await byKey(wIssue.key, "worklog")).body.issues[0].fields.worklog;
    expect(worklog).toMatchObject({ startAt: 0, maxResults: 2, total: wAct.worklogs.length });
    expect(worklog.worklogs.map((w: any) => w.id)).toEqual(wAct.worklogs.slice(0, 2).map((w) => String(w.id)));

    const hIssue = busiest(acme(), "histories");
    const hAct = acme().activity.byIssue.get(hIssue.id)!;
    const full = (await byKey(hIssue.key, "summary", "&expand=changelog")).body.issues[0];
    expect(full.changelog).toMatchObject({ startAt: 0, total: hAct.histories.length, maxResults: Math.min(100, hAct.histories.length) });
    emu.modes.embeddedLimits.changelog = 3;
    const cut = (await byKey(hIssue.key, "summary", "&expand=changelog")).body.issues[0].changelog;
    expect(cut).toMatchObject({ startAt: 0, maxResults: 3, total: hAct.histories.length });
    expect(cut.histories.map((h: any) => h.id)).toEqual(hAct.histories.slice(-3).map((h) => h.id));
  });

  test("*all and *navigable include comment and worklog; no changelog unless expanded; pages stay at most 100", async () => {
    for (const f of ["*all", "*navigable"]) {
      const r = await siteGet(emu, `/search/jql?jql=${encodeURIComponent("project is not EMPTY")}&fields=${encodeURIComponent(f)}&maxResults=500`);
      expect(r.body.issues).toHaveLength(100);
      expect(Object.keys(r.body.issues[0].fields)).toEqual(expect.arrayContaining(["comment", "worklog", "summary", "creator"]));
      expect(r.body.issues[0]).not.toHaveProperty("changelog");
    }
    const r = await siteGet(emu, `/search/jql?jql=${encodeURIComponent("project is not EMPTY")}&maxResults=500&expand=changelog`);
    expect(r.body.issues.length).toBeLessThanOrEqual(100);
    // The issues' `updated` is never before their latest action (the search sees the action's time).
    for (const issue of acme().issues) {
      const act = acme().activity.byIssue.get(issue.id)!;
      const latest = Math.max(issue.created, ...act.histories.map((h) => h.created), ...act.comments.map((c) => c.updated), ...act.worklogs.map((w) => w.updated));
      expect(issue.updated).toBeGreaterThanOrEqual(latest);
    }
  });
});

describe("gateway: granular scopes and points", () => {
  test("the default 13 scopes get the scope-mismatch 401 on every activity endpoint; the right scopes get 200", async () => {
    const narrow = bearer(emu.grant({ scopes: DEFAULT_SCOPES }).accessToken);
    const wide = bearer(emu.grant({ scopes: ACTIVITY_SCOPES }).accessToken);
    const issue = acme().issues[0].key;
    const calls = [
      (auth: string) => gatewayPost(emu, "/changelog/bulkfetch", { issueIdsOrKeys: [issue] }, auth),
      (auth: string) => gatewayGet(emu, `/issue/${issue}/comment`, auth),
      (auth: string) => gatewayGet(emu, "/worklog/updated?since=0", auth),
      (auth: string) => gatewayPost(emu, "/worklog/list", { ids: [acme().activity.worklogs[0].id] }, auth),
    ];
    for (const [i, request] of calls.entries()) {
      const denied = await request(narrow);
      expect({ i, status: denied.status, body: denied.body, category: denied.headers.get("x-failure-category") }).toEqual({
        i,
        status: 401,
        body: { code: 401, message: "Unauthorized; scope does not match" },
        category: "FAILURE_CLIENT_SCOPE_CHECK",
      });
      expect({ i, status: (await request(wide)).status }).toEqual({ i, status: 200 });
    }
    // The embedded lists of search/jql need only the search scopes [A].
    const r = await gatewayGet(emu, `/search/jql?jql=${encodeURIComponent(`key = ${issue}`)}&fields=comment,worklog&expand=changelog`, narrow);
    expect(r.status).toBe(200);
    expect(r.body.issues[0]).toHaveProperty("changelog");
  });

  test("points: 1 per request plus 1 per object returned, like the other routes", async () => {
    const wide = bearer(emu.grant({ scopes: ACTIVITY_SCOPES }).accessToken);
    const ids = acme().activity.worklogs.slice(0, 7).map((w) => w.id);
    const remaining = async () => Number((await gatewayPost(emu, "/worklog/list", { ids }, wide)).headers.get("x-ratelimit-remaining"));
    const first = await remaining();
    const second = await remaining();
    expect(first - second).toBe(1 + 7);
  });
});

describe("truth of the older sources", () => {
  test("audit authors and issue creators as served by auditing/record and search/jql equal the truth", async () => {
    const records = (await siteGet(emu, "/auditing/record?limit=1000")).body.records as { authorAccountId: string; created: string }[];
    expect(records).toHaveLength(300);
    const truth = acme().activityTruth();
    const audit = new Map([...truth].filter(([, e]) => e.lastAction.audit !== null).map(([id, e]) => [id, e.lastAction.audit!]));
    expect(maxBy(records.map((r) => ({ who: r.authorAccountId, t: Date.parse(r.created) })))).toEqual(audit);
    const issues = (await siteGet(emu, `/search/jql?jql=${encodeURIComponent("created >= -365d")}&fields=creator,created&maxResults=100`)).body;
    const more = (await siteGet(emu, `/search/jql?jql=${encodeURIComponent("created >= -365d")}&fields=creator,created&maxResults=100&nextPageToken=${issues.nextPageToken}`)).body;
    const all = [...issues.issues, ...more.issues];
    expect(all).toHaveLength(150);
    const created = new Map([...truth].filter(([, e]) => e.lastAction["issue-created"] !== null).map(([id, e]) => [id, e.lastAction["issue-created"]!]));
    expect(maxBy(all.map((i: any) => ({ who: i.fields.creator.accountId, t: Date.parse(i.fields.created) })))).toEqual(created);
    // Readers and idle people never authored a record or created an issue.
    for (const r of records) expect(["contributor", "lapsed"]).toContain(truth.get(r.authorAccountId)!.profile);
  });
});

describe("org last-active dates", () => {
  test("every account's product_access equals the truth (UTC days); 404 outside the directory", async () => {
    const site = acme();
    const truth = site.activityTruth();
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const sample = site.users.filter((_, i) => i % 7 === 0 || i < 3);
    for (const u of sample) {
      const r = await call(`${emu.apiUrl}/admin/v1/orgs/${site.orgId}/directory/users/${encodeURIComponent(u.accountId)}/last-active-dates`, { auth: bearer(site.orgApiKey) });
      const org = truth.get(u.accountId)!.orgLastActive;
      if (org === null) {
        expect({ id: u.accountId, status: r.status }).toEqual({ id: u.accountId, status: 404 });
        continue;
      }
      const expected = Object.entries(org).flatMap(([key, t]) => (t === null ? [] : [{ key, last_active: day(t) }]));
      expect({ id: u.accountId, got: r.body.data.product_access.map((p: any) => ({ key: p.key, last_active: p.last_active })) }).toEqual({ id: u.accountId, got: expected });
    }
    const unauth = await call(`${emu.apiUrl}/admin/v1/orgs/${site.orgId}/directory/users/${site.admin.accountId}/last-active-dates`, { auth: bearer("nope") });
    expect(unauth.status).toBe(401);
  });
});
