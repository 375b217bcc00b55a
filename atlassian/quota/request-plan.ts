/**
 * The minimal request plan for one site: how many requests a perfect collector needs, given what the site holds.
 * The benchmark compares "requests made" against it, so every number here is a lower bound that the pagination
 * rules of atlassian-api.md §5.1 actually allow — not an idealised ceil(n / pageSize).
 */
import { readPoints } from "./points";

/** Maximum page sizes Atlassian honours per endpoint. */
export const PAGE_SIZES = {
  usersSearch: 1000,
  groupMember: 50,
  auditRecords: 1000,
  searchJql: 100,
  /** `search/jql` when only `id`/`key` are requested. */
  searchJqlIdsOnly: 5000,
  /** `changelog/bulkfetch`: histories per page (up to 1000 issues per request). */
  bulkChangelog: 10_000,
  /** `worklog/updated` IDs per page and `worklog/list` IDs per request. */
  worklogs: 1000,
} as const;

/** Issues per `changelog/bulkfetch` request. */
export const BULK_CHANGELOG_ISSUES = 1000;

/** The activity evidence beyond audit records and issue creators (issue 11). */
export interface ActivityShape {
  /** Issues updated in the window (their changelogs are fetched) and the histories they hold. */
  changelogIssues: number;
  changelogHistories: number;
  /** Issues whose comments the search cut short (one request each, more for very long threads). */
  truncatedCommentIssues: number;
  /** Worklogs updated since the worklog watermark. */
  worklogsUpdated: number;
}

export interface SiteShape {
  /** Everything `users/search` lists: humans, apps, customers, inactive accounts. */
  users: number;
  /** Groups that grant product access, with their member counts; a group shared by two roles is fetched once. */
  grantingGroups: readonly { name: string; members: number }[];
  auditRecordsSinceWatermark: number;
  matchingIssues: number;
  /** The issue search asks for `id`/`key` only (bigger pages, no activity fields). */
  issueIdsOnly?: boolean;
  /** Application roles returned by `/applicationrole` (for points only; the call is one request). */
  applicationRoles?: number;
  /** Whether the plan includes `/instance/license` for plans per product (default true). */
  includeLicense?: boolean;
  /** Applications `/instance/license` returns (for points only). */
  licensedApplications?: number;
  /** Accounts whose org last-active dates are read (one request each, off the Jira quota). Default 0. */
  orgLastActiveUsers?: number;
  /** Changelog, comment and worklog reads; absent: not planned (OAuth without their scopes). */
  activity?: ActivityShape;
  /** Overrides of the page sizes, e.g. to plan for a server that caps them lower. */
  pageSizes?: Partial<Record<keyof typeof PAGE_SIZES, number>>;
}

export interface PlanStep {
  requests: number;
  /** Points these requests would cost as OAuth traffic (0 for the org API, which is not on the Jira quota). */
  oauthPoints: number;
}

export interface RequestPlan {
  applicationRoles: PlanStep;
  instanceLicense: PlanStep;
  usersSearch: PlanStep;
  groupMembers: PlanStep;
  auditRecords: PlanStep;
  searchJql: PlanStep;
  orgLastActive: PlanStep;
  bulkChangelog: PlanStep;
  issueComments: PlanStep;
  worklogsUpdated: PlanStep;
  worklogList: PlanStep;
  totalRequests: number;
  totalOauthPoints: number;
}

/**
 * `users/search` returns a bare array with no total, and servers may silently return short pages, so a short
 * page cannot end the listing: only an empty one does. Hence always one more request than pages of data
 * (0 users → 1 request, 1000 → 2, 1001 → 3).
 */
export function usersSearchRequests(users: number, pageSize: number = PAGE_SIZES.usersSearch): number {
  return Math.ceil(users / pageSize) + 1;
}

/** A PageBean listing ends on `isLast`, so a full last page ends it; an empty group still costs one request. */
export function pageBeanRequests(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

/** The minimal plan. Group names are de-duplicated (the larger member count wins if one is listed twice). */
export function requestPlan(site: SiteShape): RequestPlan {
  const size: Record<keyof typeof PAGE_SIZES, number> = { ...PAGE_SIZES, ...site.pageSizes };
  const groups = new Map<string, number>();
  for (const g of site.grantingGroups) groups.set(g.name, Math.max(groups.get(g.name) ?? 0, g.members));
  let memberRequests = 0;
  let memberObjects = 0;
  for (const members of groups.values()) {
    memberRequests += pageBeanRequests(members, size.groupMember);
    memberObjects += members;
  }
  const usersRequests = usersSearchRequests(site.users, size.usersSearch);
  // The audit envelope carries `total`, so the last full page ends it: the same arithmetic as a PageBean
  // (a server omitting `total` would force one more, empty, request; the plan assumes Atlassian's behaviour).
  const auditRequests = pageBeanRequests(site.auditRecordsSinceWatermark, size.auditRecords);
  // The JQL cursor says `isLast` on the last page; pages hold up to 5000 issues when only ids/keys are asked for.
  const issueRequests = pageBeanRequests(site.matchingIssues, site.issueIdsOnly ? size.searchJqlIdsOnly : size.searchJql);
  const roles = site.applicationRoles ?? 0;
  const license = site.includeLicense ?? true;
  const step = (requests: number, core: number, identity: number): PlanStep => ({
    requests,
    // Each request pays 1; objects are paid once whichever page they come on.
    oauthPoints: requests + core + 2 * identity,
  });
  const plan = {
    applicationRoles: { requests: 1, oauthPoints: readPoints(roles, 0) },
    instanceLicense: license ? step(1, site.licensedApplications ?? 0, 0) : step(0, 0, 0),
    usersSearch: step(usersRequests, 0, site.users),
    groupMembers: step(memberRequests, 0, memberObjects),
    auditRecords: step(auditRequests, site.auditRecordsSinceWatermark, 0),
    searchJql: step(issueRequests, site.matchingIssues, 0),
    orgLastActive: { requests: Math.max(0, site.orgLastActiveUsers ?? 0), oauthPoints: 0 },
    ...activitySteps(site.activity, size, step),
  };
  const steps = Object.values(plan);
  return {
    ...plan,
    totalRequests: steps.reduce((n, s) => n + s.requests, 0),
    totalOauthPoints: steps.reduce((n, s) => n + s.oauthPoints, 0),
  };
}

function activitySteps(
  activity: ActivityShape | undefined,
  size: Record<keyof typeof PAGE_SIZES, number>,
  step: (requests: number, core: number, identity: number) => PlanStep,
): Pick<RequestPlan, "bulkChangelog" | "issueComments" | "worklogsUpdated" | "worklogList"> {
  if (!activity) return { bulkChangelog: step(0, 0, 0), issueComments: step(0, 0, 0), worklogsUpdated: step(0, 0, 0), worklogList: step(0, 0, 0) };
  // One cursor chain per 1000 issues; a chain needs as many pages as its histories fill (at least one).
  const chains = Math.ceil(activity.changelogIssues / BULK_CHANGELOG_ISSUES);
  const changelogRequests = chains === 0 ? 0 : Math.max(chains, Math.ceil(activity.changelogHistories / size.bulkChangelog));
  // `worklog/updated` ends on `lastPage`: a full last page ends it, an empty listing still costs one request.
  return {
    bulkChangelog: step(changelogRequests, activity.changelogHistories, 0),
    issueComments: step(activity.truncatedCommentIssues, 0, 0),
    worklogsUpdated: step(pageBeanRequests(activity.worklogsUpdated, size.worklogs), activity.worklogsUpdated, 0),
    worklogList: step(Math.ceil(activity.worklogsUpdated / size.worklogs), activity.worklogsUpdated, 0),
  };
}
