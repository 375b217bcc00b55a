import { pageBeanRequests, requestPlan, usersSearchRequests } from "../../../atlassian/quota/request-plan";

describe("usersSearchRequests: only an empty page ends a bare-array listing", () => {
  test.each([
    [0, 1],
    [1, 2],
    [999, 2],
    [1000, 2],
    [1001, 3],
    [2500, 4],
  ])("%i users → %i requests", (users, requests) => {
    expect(usersSearchRequests(users)).toBe(requests);
  });
});

describe("pageBeanRequests: isLast ends on the last page; empty still costs one", () => {
  test.each([
    [0, 50, 1],
    [1, 50, 1],
    [50, 50, 1],
    [51, 50, 2],
    [5000, 5000, 1],
    [5001, 100, 51],
  ])("%i items at %i per page → %i", (items, size, requests) => {
    expect(pageBeanRequests(items, size)).toBe(requests);
  });
});

describe("requestPlan", () => {
  const site = {
    users: 2500,
    grantingGroups: [
      { name: "jira-software-users", members: 120 },
      { name: "jira-admins", members: 0 },
      { name: "jira-software-users", members: 120 }, // shared by two roles: fetched once
    ],
    auditRecordsSinceWatermark: 1500,
    matchingIssues: 250,
    applicationRoles: 3,
    licensedApplications: 2,
  };

  test("counts per step and in total", () => {
    const plan = requestPlan(site);
    expect(plan.applicationRoles).toEqual({ requests: 1, oauthPoints: 4 });
    expect(plan.instanceLicense).toEqual({ requests: 1, oauthPoints: 3 });
    expect(plan.usersSearch).toEqual({ requests: 4, oauthPoints: 4 + 2 * 2500 });
    expect(plan.groupMembers).toEqual({ requests: 3 + 1, oauthPoints: 4 + 2 * 120 });
    expect(plan.auditRecords).toEqual({ requests: 2, oauthPoints: 2 + 1500 });
    expect(plan.searchJql).toEqual({ requests: 3, oauthPoints: 3 + 250 });
    expect(plan.orgLastActive).toEqual({ requests: 0, oauthPoints: 0 });
    expect(plan.totalRequests).toBe(1 + 1 + 4 + 4 + 2 + 3);
    expect(plan.totalOauthPoints).toBe(4 + 3 + 5004 + 244 + 1502 + 253);
  });

  test("id/key-only issue search pages hold 5000", () => {
    expect(requestPlan({ ...site, matchingIssues: 5000, issueIdsOnly: true }).searchJql.requests).toBe(1);
  });

  test("an empty site still needs one request per listing", () => {
    const plan = requestPlan({ users: 0, grantingGroups: [], auditRecordsSinceWatermark: 0, matchingIssues: 0, includeLicense: false });
    expect(plan.totalRequests).toBe(1 + 0 + 1 + 0 + 1 + 1);
  });

  test("org last-active: one request per account, off the Jira quota", () => {
    expect(requestPlan({ ...site, orgLastActiveUsers: 300 }).orgLastActive).toEqual({ requests: 300, oauthPoints: 0 });
  });

  test("activity evidence: a changelog chain per 1000 issues, one comment read per truncated issue, worklog IDs then worklogs", () => {
    const plan = requestPlan({ ...site, activity: { changelogIssues: 2500, changelogHistories: 45_000, truncatedCommentIssues: 40, worklogsUpdated: 2000 } });
    expect(plan.bulkChangelog).toEqual({ requests: 5, oauthPoints: 5 + 45_000 });
    expect(plan.issueComments).toEqual({ requests: 40, oauthPoints: 40 });
    expect(plan.worklogsUpdated).toEqual({ requests: 2, oauthPoints: 2 + 2000 });
    expect(plan.worklogList).toEqual({ requests: 2, oauthPoints: 2 + 2000 });
    expect(plan.totalRequests).toBe(requestPlan(site).totalRequests + 5 + 40 + 2 + 2);
    // Few histories: one request per chain; nothing updated: one worklog/updated request, no worklog/list.
    const small = requestPlan({ ...site, activity: { changelogIssues: 1001, changelogHistories: 10, truncatedCommentIssues: 0, worklogsUpdated: 0 } });
    expect([small.bulkChangelog.requests, small.worklogsUpdated.requests, small.worklogList.requests]).toEqual([2, 1, 0]);
  });

  test("page sizes can be overridden (a server capping group/member at 25)", () => {
    expect(requestPlan({ ...site, pageSizes: { groupMember: 25 } }).groupMembers.requests).toBe(5 + 1);
  });
});
