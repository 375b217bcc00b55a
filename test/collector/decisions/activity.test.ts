import { ActivityAccumulator, auditActors, changelogActors, commentActors, issueActors, orgActivity, orgMentionsSite, worklogActors } from "../../../collector/decisions/activity";
import { audit, issue, userObject } from "./fixtures";

const T = "2026-03-10T12:00:00.000+0000";
const ISO = "2026-03-10T12:00:00.000Z";
const CLOUD = "58d24034-e3ec-11ed-b5ea-0242ac120002";

describe("auditActors: who acted in an audit record", () => {
  test.each([
    ["the author of any change", { summary: "Workflow updated", authorAccountId: "admin" }, ["admin"]],
    ["admin creating a user: admin only", { summary: "User created", authorAccountId: "admin", objectItem: userObject("u1") }, ["admin"]],
    ["admin adding a user to a group: admin only", { summary: "User added to group", authorAccountId: "admin", objectItem: userObject("u1") }, ["admin"]],
    ["admin deactivating a user: admin only", { summary: "User updated", authorAccountId: "admin", objectItem: userObject("u1") }, ["admin"]],
    ["a user's own sign-in", { summary: "User logged in", authorAccountId: "u1", objectItem: userObject("u1") }, ["u1"]],
    ["a sign-in recorded without an author", { summary: "User signed in", objectItem: userObject("u1") }, ["u1"]],
    ["login spelled as one word", { summary: "Successful login", objectItem: userObject("u1") }, ["u1"]],
    ["self-service profile edit", { summary: "User updated", authorAccountId: "u1", objectItem: userObject("u1") }, ["u1"]],
    ["no author, not a sign-in: nobody", { summary: "User created", objectItem: userObject("u1") }, []],
    [
      "associated users and changed values are never credited",
      {
        summary: "Project updated",
        authorAccountId: "admin",
        objectItem: { id: "10000", name: "Engineering", typeName: "PROJECT" },
        associatedItems: [userObject("u2")],
        changedValues: [{ fieldName: "Lead", changedTo: "u3" }],
      },
      ["admin"],
    ],
    ["sign-in of a non-user object is ignored", { summary: "logged in", objectItem: { name: "x", typeName: "GROUP" } }, []],
  ])("%s", (_name, extra, expected) => {
    const actors = auditActors(audit(T, extra));
    expect(actors.map((a) => a.accountId)).toEqual(expected);
    for (const a of actors) expect(a.at).toBe(Date.parse(ISO));
  });

  test("an unparseable created credits nobody", () => {
    expect(auditActors(audit("19/03/2014", { authorAccountId: "admin" }))).toEqual([]);
  });

  test("objectItem without name falls back to id", () => {
    const r = audit(T, { summary: "User logged in", objectItem: { id: "u9", typeName: "USER" } });
    expect(auditActors(r).map((a) => a.accountId)).toEqual(["u9"]);
  });
});

describe("issueActors: who acted on an issue", () => {
  const fields = {
    created: "2026-01-01T09:00:00.000+0000",
    updated: "2026-03-01T09:00:00.000+0000",
    creator: { accountId: "creator" },
    reporter: { accountId: "reporter" },
    assignee: { accountId: "assignee" },
  };
  const summarise = (options = {}) =>
    issueActors(issue("ENG-1", fields), options).map((a) => `${a.accountId}@${new Date(a.at).toISOString().slice(0, 10)}`);

  test("default: the creator at created, nobody at updated", () => {
    expect(summarise()).toEqual(["creator@2026-01-01"]);
  });

  test("opt-in approximations: reporter at created, assignee at updated", () => {
    expect(summarise({ reporterAtCreated: true, assigneeAtUpdated: true })).toEqual([
      "creator@2026-01-01",
      "reporter@2026-01-01",
      "assignee@2026-03-01",
    ]);
  });

  test("missing people and epoch-millisecond dates", () => {
    const i = issue("ENG-2", { created: Date.parse(ISO), creator: null, assignee: null });
    expect(issueActors(i, { assigneeAtUpdated: true })).toEqual([]);
    const j = issue("ENG-3", { created: Date.parse(ISO), creator: { accountId: "c" } });
    expect(issueActors(j)).toEqual([{ accountId: "c", at: Date.parse(ISO), detail: "issue ENG-3 created" }]);
  });
});

describe("orgActivity", () => {
  const access = [
    { id: `ari:cloud:jira-software::site/${CLOUD}`, key: "jira-software", last_active: "2026-03-01" },
    { id: "ari:cloud:jira-software::site/other-site", key: "jira-software", last_active: "2026-03-09" },
    { id: `ari:cloud:confluence::site/${CLOUD}`, key: "confluence", last_active: "2026-03-09" },
    { key: "jira-servicedesk", last_active: "2026-02-01" },
    { key: "jira-core", last_active: "not a date" },
  ];

  test("this site's Jira products only, at 00:00 UTC", () => {
    const dates = orgActivity("u1", access, { cloudId: CLOUD }).map((a) => new Date(a.at).toISOString());
    expect(dates).toEqual(["2026-03-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
  });

  test("without a cloud ID every site's Jira entries count", () => {
    expect(orgActivity("u1", access)).toHaveLength(3);
  });

  test("empty product_access means never used", () => {
    expect(orgActivity("u1", [])).toEqual([]);
  });
});

describe("ActivityAccumulator", () => {
  test("latest wins across sources", () => {
    const acc = new ActivityAccumulator({ cloudId: CLOUD })
      .addAuditRecord(audit("2026-03-05T10:00:00.000+0000", { authorAccountId: "u1" }))
      .addIssue(issue("ENG-1", { created: "2026-03-07T10:00:00.000+0000", creator: { accountId: "u1" } }))
      .addOrgLastActive("u1", [{ key: "jira-software", last_active: "2026-03-06" }]);
    expect(acc.result().get("u1")).toEqual({
      lastActivityAt: "2026-03-07T10:00:00.000Z",
      lastActivitySource: "issue",
      detail: "issue ENG-1 created",
    });
  });

  test("ties: org beats audit beats issue, whatever the arrival order", () => {
    const midnight = "2026-03-06T00:00:00.000+0000";
    const feeds = [
      (a: ActivityAccumulator) => a.addIssue(issue("ENG-1", { created: midnight, creator: { accountId: "u1" } })),
      (a: ActivityAccumulator) => a.addAuditRecord(audit(midnight, { authorAccountId: "u1" })),
      (a: ActivityAccumulator) => a.addOrgLastActive("u1", [{ key: "jira-software", last_active: "2026-03-06" }]),
    ];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 0, 2]]) {
      const acc = new ActivityAccumulator();
      for (const i of order) feeds[i](acc);
      expect(acc.result().get("u1")?.lastActivitySource).toBe("org-last-active");
    }
  });

  test("same instant and source: the smaller detail wins, independent of order", () => {
    const a = issue("ENG-2", { created: T, creator: { accountId: "u1" } });
    const b = issue("ENG-10", { created: T, creator: { accountId: "u1" } });
    const one = new ActivityAccumulator().addIssue(a).addIssue(b).result();
    const two = new ActivityAccumulator().addIssue(b).addIssue(a).result();
    expect(one).toEqual(two);
    expect(one.get("u1")?.detail).toBe("issue ENG-10 created");
  });

  test("an admin creating a user gives the user no activity", () => {
    const acc = new ActivityAccumulator().addAuditRecord(
      audit(T, { summary: "User created", authorAccountId: "admin", objectItem: userObject("new-user") }),
    );
    expect([...acc.result().keys()]).toEqual(["admin"]);
  });

  test("no input: empty result; stats count what was seen", () => {
    const acc = new ActivityAccumulator();
    expect(acc.result().size).toBe(0);
    acc.addAuditRecord(audit("garbage", { authorAccountId: "u1" }));
    acc.addIssue(issue("ENG-1", { created: T, creator: { accountId: "u2" } }));
    acc.addOrgLastActive("u3", []);
    expect(acc.stats()).toEqual({
      auditRecords: 1,
      issues: 1,
      changelogHistories: 0,
      comments: 0,
      worklogs: 0,
      orgUsers: 1,
      carriedForward: 0,
      unparsed: 1,
      attributions: { "org-last-active": 0, audit: 0, issue: 1, changelog: 0, comment: 0, worklog: 0 },
    });
  });

  test("activity carried forward from the previous snapshot competes like fresh evidence; malformed entries are ignored", () => {
    const acc = new ActivityAccumulator();
    acc.addCarriedForward("u1", { lastActivityAt: "2026-05-01T10:00:00.000Z", lastActivitySource: "audit", detail: "audit 7: User logged in" });
    acc.addCarriedForward("u2", { lastActivityAt: "2026-05-01T10:00:00.000Z", lastActivitySource: "audit", detail: "audit 8: old" });
    acc.addIssue(issue("ENG-2", { created: "2026-06-01T10:00:00.000+0000", creator: { accountId: "u2" } }));
    acc.addCarriedForward("u3", { lastActivityAt: "not a date", lastActivitySource: "audit", detail: "x" });
    acc.addCarriedForward("u4", { lastActivityAt: "2026-05-01T10:00:00.000Z", lastActivitySource: "rumour" as never, detail: "x" });
    const result = acc.result();
    expect(result.get("u1")).toEqual({ lastActivityAt: "2026-05-01T10:00:00.000Z", lastActivitySource: "audit", detail: "audit 7: User logged in" });
    expect(result.get("u2")).toMatchObject({ lastActivitySource: "issue", detail: "issue ENG-2 created" });
    expect(result.has("u3")).toBe(false);
    expect(result.has("u4")).toBe(false);
    expect(acc.stats().carriedForward).toBe(2);
  });

  test("result is ordered by accountId", () => {
    const acc = new ActivityAccumulator();
    for (const id of ["c", "a", "b"]) acc.addAuditRecord(audit(T, { authorAccountId: id }));
    expect([...acc.result().keys()]).toEqual(["a", "b", "c"]);
  });
});

describe("changelog, comment and worklog actors", () => {
  const at = "2026-05-10T08:00:00.000+0000";
  const later = "2026-05-12T09:30:00.000+0000";
  test("a changelog history credits its author at its date", () => {
    expect(changelogActors("ENG-1", { id: "100", author: { accountId: "u1" }, created: at })).toEqual([
      { accountId: "u1", at: Date.parse("2026-05-10T08:00:00.000Z"), detail: "issue ENG-1 changed (history 100)" },
    ]);
    expect(changelogActors("ENG-1", { id: "101", author: null, created: at })).toEqual([]);
    expect(changelogActors("ENG-1", { id: "102", author: { accountId: "u1" }, created: "not a date" })).toEqual([]);
  });

  test("a comment credits its author at created and its last editor at updated", () => {
    expect(commentActors("ENG-2", { author: { accountId: "u1" }, updateAuthor: { accountId: "u2" }, created: at, updated: later }).map((a) => [a.accountId, a.detail])).toEqual([
      ["u1", "comment on issue ENG-2"],
      ["u2", "comment edited on issue ENG-2"],
    ]);
  });

  test("a worklog credits created and updated, never the freely typed `started`", () => {
    const actors = worklogActors({ id: "7", issueId: "10001", author: { accountId: "u1" }, updateAuthor: { accountId: "u1" }, started: "2027-01-01T00:00:00.000+0000", created: at, updated: later });
    expect(actors.map((a) => a.at)).toEqual([Date.parse("2026-05-10T08:00:00.000Z"), Date.parse("2026-05-12T09:30:00.000Z")]);
    expect(actors[0].detail).toBe("worklog 7 on issue 10001");
  });

  test("the accumulator keeps the latest instant across all sources", () => {
    const acc = new ActivityAccumulator();
    acc.addIssue(issue("ENG-1", { created: at, creator: { accountId: "u1" } }));
    acc.addChangelog("ENG-1", { id: "5", author: { accountId: "u1" }, created: later });
    acc.addWorklog({ id: "9", author: { accountId: "u2" }, created: at });
    acc.addComment("ENG-3", { author: { accountId: "u3" }, created: later });
    expect(Object.fromEntries([...acc.result()].map(([id, a]) => [id, a.lastActivitySource]))).toEqual({ u1: "changelog", u2: "worklog", u3: "comment" });
    expect(acc.stats()).toMatchObject({ changelogHistories: 1, comments: 1, worklogs: 1 });
  });
});

describe("orgMentionsSite", () => {
  const cloudId = "11111111-2222-3333-4444-555555555555";
  test.each([
    ["a Jira entry of this site, even without a date", [{ key: "jira-software", id: `ari:cloud:jira-software::site/${cloudId}`, last_active: null }], true],
    ["a Jira entry without an ARI", [{ key: "jira-servicedesk", last_active: "2026-01-01" }], true],
    ["only another site's Jira", [{ key: "jira-software", id: "ari:cloud:jira-software::site/other", last_active: "2026-01-01" }], false],
    ["only Confluence", [{ key: "confluence", id: `ari:cloud:confluence::site/${cloudId}`, last_active: "2026-01-01" }], false],
    ["no product access at all", [], false],
  ])("%s → %s", (_name, access, expected) => {
    expect(orgMentionsSite(access, { cloudId })).toBe(expected);
  });
});
