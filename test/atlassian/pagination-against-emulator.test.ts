import { AtlassianClient, bulkGroups, collectItems, groupMembers, searchIssues, searchUsers, auditRecords } from "../../atlassian";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";

/** Pagination edges over real HTTP: 0 items, exactly one page, page boundary, last short page, silent caps. */

let emulator: AtlassianEmulator;
const USERS = 60;

beforeAll(async () => {
  emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: USERS, issues: 120, auditRecords: 250 }] });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.clearRequests();
  emulator.modes.maxResultsCap = {};
});

const jira = () => {
  const admin = emulator.site("acme").admin;
  return new AtlassianClient({ env: emulator.env }).jira({ kind: "api-token", site: "acme", email: admin.email, apiToken: admin.apiToken });
};
const calls = (path: string) => emulator.requests.filter((r) => r.path === path);
const accountIds = (users: { accountId: string }[]) => users.map((u) => u.accountId);

describe("users/search (bare array)", () => {
  const path = "/rest/api/3/users/search";
  test.each([
    ["exactly one page", 1000, 2],
    ["page boundary", USERS / 2, 3],
    ["last short page", 25, 4],
  ])("%s: all users, once each (page size %i → %i requests)", async (_name, pageSize, requests) => {
    const users = await collectItems(searchUsers(jira(), { pageSize }));
    expect(users).toHaveLength(USERS);
    expect(new Set(accountIds(users)).size).toBe(USERS);
    expect(calls(path)).toHaveLength(requests);
  });

  test("a server that silently caps maxResults below the request still yields every user", async () => {
    emulator.modes.maxResultsCap = { [path]: 7 };
    const users = await collectItems(searchUsers(jira(), { pageSize: 1000 }));
    expect(new Set(accountIds(users)).size).toBe(USERS);
    // Offsets advance by what was received (7 per page, then the 4 left), never by the requested 1000.
    const starts = calls(path).map((r) => Number(r.query.startAt));
    expect(starts).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56, 60]);
    expect(calls(path).every((r) => r.query.maxResults === "1000")).toBe(true);
  });

  test("409 (request ran too long) is retried at a smaller page size", async () => {
    emulator.modes.usersSearchConflicts = 2;
    const users = await collectItems(searchUsers(jira(), { pageSize: 1000 }));
    expect(users).toHaveLength(USERS);
    expect(calls(path).slice(0, 3).map((r) => r.query.maxResults)).toEqual(["1000", "500", "250"]);
  });
});

describe("PageBean endpoints", () => {
  test("group/bulk with no match: zero items, one request", async () => {
    const groups = await collectItems(bulkGroups(jira(), { groupNames: ["no-such-group"] }));
    expect(groups).toEqual([]);
    expect(calls("/rest/api/3/group/bulk")).toHaveLength(1);
  });

  test("group/member pages through every member, also under a cap", async () => {
    const group = emulator.site("acme").groups.find((g: { name: string }) => g.name === "jira-software-users")!;
    const expected = group.members ? group.members.length : undefined;
    const all = await collectItems(groupMembers(jira(), { groupId: group.groupId, pageSize: 50 }));
    if (expected !== undefined) expect(all).toHaveLength(expected);
    emulator.modes.maxResultsCap = { "/rest/api/3/group/member": 3 };
    const capped = await collectItems(groupMembers(jira(), { groupId: group.groupId, pageSize: 50 }));
    expect(accountIds(capped)).toEqual(accountIds(all));
  });
});

test("auditing/record pages by offset until total", async () => {
  const records = await collectItems(auditRecords(jira(), { pageSize: 100 }));
  expect(records).toHaveLength(250);
  expect(new Set(records.map((r) => r.id)).size).toBe(250);
  expect(calls("/rest/api/3/auditing/record")).toHaveLength(3);
});

test("search/jql follows nextPageToken to the last page", async () => {
  const issues = await collectItems(searchIssues(jira(), { jql: "updated >= -365d ORDER BY updated DESC", pageSize: 50 }));
  expect(issues).toHaveLength(120);
  expect(calls("/rest/api/3/search/jql")).toHaveLength(3);
  expect(issues[0].fields.creator?.accountId).toBeDefined();
});
