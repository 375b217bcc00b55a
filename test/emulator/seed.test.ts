/** Seeded data: deterministic per seed, realistic mix, and fast enough for 100k users. */
import { startAtlassianEmulator, type AtlassianEmulator, type EmulatedSite } from "../support/atlassian-emulator";
import { basic, call, DAY } from "./helpers";

const START = Date.UTC(2025, 0, 15);

/** The seeded content of a site, minus per-run secrets (API tokens and org keys are random by design). */
function content(site: EmulatedSite) {
  return {
    cloudId: site.cloudId,
    orgId: site.orgId,
    users: site.users.map((u) => ({ ...u, groups: u.groups.map((g) => g.name) })),
    groups: site.groups.map((g) => ({ ...g, members: g.members.map((u) => u.accountId) })),
    roles: site.applicationRoles,
    license: site.license,
    audit: site.auditRecords,
    issues: site.issues.map((i) => ({ ...i, creator: i.creator.accountId, reporter: i.reporter.accountId, assignee: i.assignee?.accountId ?? null })),
    histories: site.activity.histories.map((h) => ({ ...h, author: h.author.accountId })),
    comments: site.activity.comments.map((c) => ({ ...c, author: c.author.accountId })),
    worklogs: site.activity.worklogs.map((w) => ({ ...w, author: w.author.accountId })),
    truth: [...site.activityTruth()],
    admin: site.admin.accountId,
    member: site.member.accountId,
  };
}

test("same seed → same data (and same HTTP bodies); another seed → different data", async () => {
  const options = { startTime: START, sites: [{ name: "acme", users: 300 }] };
  const [a, b, c] = await Promise.all([
    startAtlassianEmulator({ ...options, seed: 7 }),
    startAtlassianEmulator({ ...options, seed: 7 }),
    startAtlassianEmulator({ ...options, seed: 8 }),
  ]);
  try {
    expect(content(a.site("acme"))).toEqual(content(b.site("acme")));
    expect(content(c.site("acme")).users[5].accountId).not.toBe(content(a.site("acme")).users[5].accountId);
    const body = async (emu: AtlassianEmulator) => {
      const s = emu.site("acme");
      const r = await call(`${emu.url}/site/acme/rest/api/3/users/search?maxResults=1000`, { auth: basic(s.admin.email, s.admin.apiToken) });
      return r.text.split(emu.url).join("");
    };
    expect(await body(a)).toBe(await body(b));
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

test("user mix, admin/member accounts, activity windows", async () => {
  const emu = await startAtlassianEmulator({ startTime: START, sites: [{ name: "acme", users: 4000, issues: 400, auditRecords: 400 }] });
  try {
    const site = emu.site("acme");
    const share = (pred: (u: EmulatedSite["users"][number]) => boolean) => site.users.filter(pred).length / site.users.length;
    expect(share((u) => u.accountType === "atlassian")).toBeCloseTo(0.85, 1);
    expect(share((u) => u.accountType === "app")).toBeCloseTo(0.08, 1);
    expect(share((u) => u.accountType === "customer")).toBeCloseTo(0.07, 1);
    expect(share((u) => !u.active)).toBeCloseTo(0.1, 1);
    expect(share((u) => u.accountType === "atlassian" && !u.emailVisible) / share((u) => u.accountType === "atlassian")).toBeCloseTo(0.2, 1);
    const groupsOf = (i: number) => site.users[i].groups.map((g) => g.name);
    expect(groupsOf(0)).toEqual(expect.arrayContaining(["site-admins", "jira-admins", "jira-software-users"]));
    expect(groupsOf(1)).not.toEqual(expect.arrayContaining(["site-admins"]));
    expect(groupsOf(1)).not.toContain("jira-admins");
    expect(site.groups.map((g) => g.name)).toEqual(expect.arrayContaining(["jira-software-users", "jira-servicemanagement-users", "jira-product-discovery-users"]));
    expect(site.admin).toMatchObject({ accountId: site.users[0].accountId, email: site.users[0].email });
    expect(site.member).toMatchObject({ accountId: site.users[1].accountId });
    const times = [...site.auditRecords.map((r) => Date.parse(r.created)), ...site.issues.flatMap((i) => [i.created, i.updated])];
    expect(Math.min(...times)).toBeGreaterThanOrEqual(START - 180 * DAY);
    expect(Math.max(...times)).toBeLessThanOrEqual(START);
    expect(site.issues.every((i) => i.updated >= i.created)).toBe(true);
    expect(site.auditRecords.some((r) => r.objectItem.typeName === "USER" && site.usersById.has(r.objectItem.name))).toBe(true);
  } finally {
    await emu.close();
  }
});

test("100k users start in a few seconds (timing printed, not asserted)", async () => {
  const t0 = performance.now();
  const emu = await startAtlassianEmulator({ sites: [{ name: "bigcorp", users: 100_000 }] });
  const startup = performance.now() - t0;
  try {
    const s = emu.site("bigcorp");
    const t1 = performance.now();
    const r = await call(`${emu.url}/site/bigcorp/rest/api/3/users/search?startAt=99000&maxResults=1000`, { auth: basic(s.admin.email, s.admin.apiToken) });
    const page = performance.now() - t1;
    expect(r.body).toHaveLength(1000);
    console.log(`[emulator] 100k users: start-up ${startup.toFixed(0)} ms, last users/search page ${page.toFixed(0)} ms`);
  } finally {
    await emu.close();
  }
});
