/** Response shapes and paging of the Jira endpoints, plus the cap and 409 modes. */
import { startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { DAY, siteGet } from "./helpers";

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ startTime: START, sites: [{ name: "acme", users: 120, issues: 130, auditRecords: 250 }] });
  emu.clock.freeze();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.modes.maxResultsCap = {};
  emu.modes.usersSearchConflicts = 0;
});

const acme = () => emu.site("acme");

test("myself: {size, items} wrappers, items only when expanded", async () => {
  const plain = (await siteGet(emu, "/myself")).body;
  expect(plain.groups.items).toEqual([]);
  expect(plain.groups.size).toBeGreaterThan(0);
  const full = (await siteGet(emu, "/myself?expand=groups,applicationRoles")).body;
  expect(full.groups.items.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(["site-admins", "jira-admins"]));
  expect(full.applicationRoles.items.map((r: { key: string }) => r.key)).toContain("jira-software");
  expect(full).toMatchObject({ accountId: acme().admin.accountId, accountType: "atlassian", active: true, emailAddress: acme().admin.email, key: "", name: "" });
});

test("users/search: bare array, default 50, max 1000, every account type, some hidden e-mails", async () => {
  expect((await siteGet(emu, "/users/search")).body).toHaveLength(50);
  const all = (await siteGet(emu, "/users/search?maxResults=5000")).body as Record<string, unknown>[];
  expect(all).toHaveLength(120);
  expect(new Set(all.map((u) => u.accountType))).toEqual(new Set(["atlassian", "app", "customer"]));
  expect(all.some((u) => u.active === false)).toBe(true);
  expect(all.some((u) => u.accountType === "atlassian" && !("emailAddress" in u))).toBe(true);
  expect(all.filter((u) => u.accountType === "app").every((u) => typeof u.appType === "string")).toBe(true);
  expect((await siteGet(emu, "/users/search?startAt=110&maxResults=50")).body).toHaveLength(10);
  expect((await siteGet(emu, "/users/search?startAt=120")).body).toEqual([]);
  expect((await siteGet(emu, "/users?maxResults=3")).body).toHaveLength(3);
  expect((await siteGet(emu, "/users/search?maxResults=abc")).status).toBe(400);
});

test("silent maxResults cap mode and the users/search 409 mode", async () => {
  emu.modes.maxResultsCap = { "/rest/api/3/users/search": 7 };
  expect((await siteGet(emu, "/users/search?maxResults=100")).body).toHaveLength(7);
  emu.modes.usersSearchConflicts = 2;
  expect((await siteGet(emu, "/users/search")).status).toBe(409);
  expect((await siteGet(emu, "/users/search")).status).toBe(409);
  expect((await siteGet(emu, "/users/search")).status).toBe(200);
});

test("group/bulk: PageBean, maxResults capped at 50, filters", async () => {
  const page = (await siteGet(emu, "/group/bulk?maxResults=5")).body;
  expect(page).toEqual({ maxResults: 5, startAt: 0, total: acme().groups.length, isLast: false, values: expect.any(Array) });
  expect(Object.keys(page.values[0]).sort()).toEqual(["groupId", "name"]);
  expect((await siteGet(emu, "/group/bulk?maxResults=500")).body.maxResults).toBe(50);
  const admins = (await siteGet(emu, "/group/bulk?accessType=site-admin")).body;
  expect(admins.values.map((g: { name: string }) => g.name)).toEqual(["site-admins"]);
  const byName = (await siteGet(emu, "/group/bulk?groupName=jira-software-users&groupName=team-data")).body;
  expect(byName.values.map((g: { name: string }) => g.name).sort()).toEqual(["jira-software-users", "team-data"]);
  expect((await siteGet(emu, "/group/bulk?groupName=nope")).body).toMatchObject({ total: 0, isLast: true, values: [] });
});

test("group/member: PageBean with self/nextPage that can be followed; inactive users opt-in", async () => {
  const group = acme().groupsByName.get("jira-software-users")!;
  const active = group.members.filter((u) => u.active).length;
  const first = (await siteGet(emu, `/group/member?groupId=${group.groupId}&maxResults=10`)).body;
  expect(first).toMatchObject({ startAt: 0, maxResults: 10, total: active, isLast: false });
  expect(first.self).toContain(`${emu.url}/site/acme/rest/api/3/group/member?groupId=${group.groupId}`);
  const next = await fetch(first.nextPage, { headers: { Authorization: `Basic ${Buffer.from(`${acme().admin.email}:${acme().admin.apiToken}`).toString("base64")}` } });
  expect(((await next.json()) as { startAt: number }).startAt).toBe(10);
  const withInactive = (await siteGet(emu, `/group/member?groupname=jira-software-users&includeInactiveUsers=true`)).body;
  expect(withInactive.total).toBe(group.members.length);
  expect((await siteGet(emu, `/group/member?groupId=${group.groupId}&maxResults=500`)).body.maxResults).toBe(50);
  expect((await siteGet(emu, "/group/member")).status).toBe(400);
  expect((await siteGet(emu, `/group/member?groupId=${group.groupId}&groupname=x`)).status).toBe(400);
  expect((await siteGet(emu, "/group/member?groupname=no-such-group")).status).toBe(404);
});

test("application roles, licence and approximate counts are mutually consistent", async () => {
  const roles = (await siteGet(emu, "/applicationrole")).body as Record<string, any>[];
  expect(roles.map((r) => r.key)).toEqual(["jira-software", "jira-servicedesk", "jira-product-discovery"]);
  for (const role of roles) {
    const members = new Set(role.groups.flatMap((g: string) => acme().groupsByName.get(g)!.members.filter((u) => u.active && u.accountType === "atlassian")));
    expect(role.userCount).toBe(members.size);
    expect(role.numberOfSeats).toBeGreaterThanOrEqual(role.userCount);
    expect(role.remainingSeats).toBe(role.numberOfSeats - role.userCount);
    expect(role.defaultGroupsDetails[0]).toEqual({ groupId: expect.any(String), name: role.defaultGroups[0], self: expect.stringContaining("/rest/api/3/group?groupId=") });
    const count = (await siteGet(emu, `/license/approximateLicenseCount/product/${role.key}`)).body;
    expect(count).toEqual({ key: `license.${role.key}.approximateUserCount`, value: String(role.userCount) });
  }
  expect((await siteGet(emu, "/applicationrole/jira-servicedesk")).body.key).toBe("jira-servicedesk");
  const total = (await siteGet(emu, "/license/approximateLicenseCount")).body;
  expect(total.key).toBe("license.totalApproximateUserCount");
  expect(typeof total.value).toBe("string");
  expect(Number(total.value)).toBeGreaterThanOrEqual(Math.max(...roles.map((r) => r.userCount)));
  expect((await siteGet(emu, "/instance/license")).body.applications).toContainEqual({ id: "jira-software", plan: "PAID" });
});

test("auditing/record: offset/limit envelope, newest first, Jira timestamps, from/to and filter", async () => {
  const page = (await siteGet(emu, "/auditing/record?offset=200&limit=100")).body;
  expect(page).toMatchObject({ offset: 200, limit: 100, total: 250 });
  expect(page.records).toHaveLength(50);
  const all = (await siteGet(emu, "/auditing/record")).body;
  expect(all.limit).toBe(1000);
  const created = all.records.map((r: { created: string }) => r.created);
  expect(created[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  expect([...created].sort().reverse()).toEqual(created);
  expect(Date.parse(created[created.length - 1])).toBeGreaterThanOrEqual(START - 180 * DAY);
  expect(all.records[0]).toEqual(expect.objectContaining({ id: expect.any(Number), authorAccountId: expect.any(String), objectItem: expect.any(Object) }));
  const from = new Date(START - 30 * DAY).toISOString();
  const recent = (await siteGet(emu, `/auditing/record?from=${from}`)).body;
  expect(recent.total).toBe(all.records.filter((r: { created: string }) => Date.parse(r.created) >= START - 30 * DAY).length);
  expect((await siteGet(emu, `/auditing/record?from=${from}&to=${from}`)).body.total).toBe(0);
  const target = all.records.find((r: any) => r.objectItem.typeName === "USER").objectItem.name as string;
  const about = (await siteGet(emu, `/auditing/record?filter=${encodeURIComponent(`${target} user`)}`)).body;
  expect(about.total).toBeGreaterThan(0);
  expect(about.records.every((r: any) => r.objectItem.name === target)).toBe(true);
  expect((await siteGet(emu, "/auditing/record?from=yesterday")).status).toBe(400);
});

test("search/jql: bounded JQL, fields, cursor paging without total", async () => {
  const unbounded = await siteGet(emu, `/search/jql?jql=${encodeURIComponent("order by key desc")}`);
  expect(unbounded.status).toBe(400);
  expect(unbounded.body.errorMessages[0]).toMatch(/Unbounded/);
  const jql = encodeURIComponent("updated >= -60d ORDER BY updated DESC");
  const seen: any[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await siteGet(emu, `/search/jql?jql=${jql}&fields=creator,reporter,assignee,updated,created&maxResults=20${token ? `&nextPageToken=${token}` : ""}`);
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty("total");
    seen.push(...r.body.issues);
    token = r.body.nextPageToken;
    expect(r.body.isLast).toBe(token === undefined);
    pages++;
  } while (token);
  const expected = acme().issues.filter((i) => i.updated >= START - 60 * DAY);
  expect(seen).toHaveLength(expected.length);
  expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 20)));
  const times = seen.map((i) => Date.parse(i.fields.updated));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(Object.keys(seen[0].fields).sort()).toEqual(["assignee", "created", "creator", "reporter", "updated"]);
  expect(seen[0].fields.creator).toMatchObject({ accountId: expect.any(String), displayName: expect.any(String), active: expect.any(Boolean) });
  expect(seen[0].key).toMatch(/^[A-Z]+-\d+$/);
});

test("search/jql: date literals, project and user clauses, default fields", async () => {
  const day = new Date(START - 10 * DAY).toISOString().slice(0, 10);
  const r = await siteGet(emu, `/search/jql?jql=${encodeURIComponent(`updated >= "${day}" AND project in (ENG, OPS)`)}&maxResults=100`);
  const expected = acme().issues.filter((i) => i.updated >= Date.parse(day) && ["ENG", "OPS"].includes(i.project.key));
  expect(r.body.issues.map((i: { key: string }) => i.key).sort()).toEqual(expected.map((i) => i.key).sort());
  expect(r.body.issues[0]?.fields ?? {}).toEqual({});
  const mine = await siteGet(emu, `/search/jql?jql=${encodeURIComponent("assignee = currentUser() OR assignee is EMPTY")}&maxResults=100&fields=assignee`);
  const admin = acme().admin.accountId;
  expect(mine.body.issues.every((i: any) => i.fields.assignee === null || i.fields.assignee.accountId === admin)).toBe(true);
  expect((await siteGet(emu, `/search/jql?jql=${encodeURIComponent("nosuchfield = 1")}`)).status).toBe(400);
  expect((await siteGet(emu, `/search/jql?jql=updated%3E%3D-1d&nextPageToken=garbage`)).status).toBe(400);
});

test("serverInfo conforms and follows the clock", async () => {
  const info = (await siteGet(emu, "/serverInfo")).body;
  expect(info).toMatchObject({ baseUrl: `${emu.url}/site/acme`, deploymentType: "Cloud", serverTime: new Date(emu.clock.now()).toISOString().replace("Z", "+0000") });
});
