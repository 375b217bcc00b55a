/**
 * Atlassian's hourly points cost model (atlassian-api.md §7): 1 point per request + 1 per core object returned +
 * 2 per identity object (users, groups, permissions); writes cost 1 flat. Only OAuth 2.0 (3LO) traffic — bearer
 * tokens — draws on the quota; API-token traffic (classic or scoped, Basic auth) pays burst limits only.
 * Tier 1 is 65,000 points per hour per app shared by every tenant, so one 1000-user page (~2001 points) matters.
 */
import type { JiraAuth } from "../jira/jira-client";

/** 1 + core + 2 × identity: the cost of one read. */
export function readPoints(core: number, identity: number): number {
  return 1 + core + 2 * identity;
}

/** `GET /users/search` page: every user is an identity object. */
export const usersSearchPoints = (users: number) => readPoints(0, users);
/** `GET /group/member` page: every member is an identity object (8 members = 17 points, as §7's example). */
export const groupMemberPoints = (members: number) => readPoints(0, members);
/** `GET /group/bulk` page: groups are identity objects. */
export const groupBulkPoints = (groups: number) => readPoints(0, groups);
/** `GET /user/groups`: groups are identity objects. */
export const userGroupsPoints = (groups: number) => readPoints(0, groups);
/** `GET /myself` or `GET /user`: one identity object. */
export const singleUserPoints = () => readPoints(0, 1);
/** `GET /mypermissions`: permissions are identity objects per Atlassian's list. */
export const myPermissionsPoints = (permissions: number) => readPoints(0, permissions);
/** `GET /applicationrole`: roles are core objects. */
export const applicationRolesPoints = (roles: number) => readPoints(roles, 0);
/** `GET /instance/license`: one core object per application [A: the emulator's reading]. */
export const instanceLicensePoints = (applications: number) => readPoints(applications, 0);
/** `GET /license/approximateLicenseCount[/product/…]`: one core object. */
export const approximateLicenseCountPoints = () => readPoints(1, 0);
/** `GET /auditing/record` page: records are core objects. */
export const auditRecordsPoints = (records: number) => readPoints(records, 0);
/**
 * `GET /search/jql` page: issues are core objects. The creator/reporter/assignee embedded in each issue are not
 * charged as identity objects [A: Atlassian counts objects returned; whether nested users count is unpublished].
 */
export const searchJqlPoints = (issues: number) => readPoints(issues, 0);
/**
 * Activity evidence reads — bulk changelog, an issue's comments, changed worklog IDs, worklogs by ID — are reads
 * whose histories, comments and worklogs are core objects; their embedded authors are treated as the search's are.
 * A POST that only reads (bulk fetches) is charged as a read [A: Atlassian's "writes cost 1" means writes].
 */
export const activityEvidencePoints = (objects: number) => readPoints(objects, 0);
/** Any write (POST/PUT/DELETE): 1 flat, whatever it returns. The collector is read-only; for completeness. */
export const writePoints = () => 1;

export type ResponseKind =
  | "users-search"
  | "group-member"
  | "group-bulk"
  | "user-groups"
  | "single-user"
  | "my-permissions"
  | "application-roles"
  | "instance-license"
  | "approximate-license-count"
  | "audit-records"
  | "search-jql"
  | "bulk-changelog"
  | "issue-comments"
  | "worklog-updated"
  | "worklog-list"
  | "write";

const COST: Record<ResponseKind, (objects: number) => number> = {
  "users-search": usersSearchPoints,
  "group-member": groupMemberPoints,
  "group-bulk": groupBulkPoints,
  "user-groups": userGroupsPoints,
  "single-user": singleUserPoints,
  "my-permissions": myPermissionsPoints,
  "application-roles": applicationRolesPoints,
  "instance-license": instanceLicensePoints,
  "approximate-license-count": approximateLicenseCountPoints,
  "audit-records": auditRecordsPoints,
  "search-jql": searchJqlPoints,
  "bulk-changelog": activityEvidencePoints,
  "issue-comments": activityEvidencePoints,
  "worklog-updated": activityEvidencePoints,
  "worklog-list": activityEvidencePoints,
  write: writePoints,
};

/** Does this credential's traffic draw on the hourly points quota? Only OAuth (bearer) does. */
export function isPointsCharged(auth: JiraAuth["kind"]): boolean {
  return auth === "oauth";
}

export interface ResponseForPoints {
  kind: ResponseKind;
  /** Objects the response returned (users, members, records, issues…); ignored by fixed-cost kinds. */
  objects: number;
  auth: JiraAuth["kind"];
  /** A 429 is a refusal, not a served request: not charged [A: matches the emulator; unpublished]. */
  status?: number;
}

/** Points one response costs against the quota: 0 for API-token traffic and for 429 refusals. */
export function responsePoints(response: ResponseForPoints): number {
  if (!isPointsCharged(response.auth) || response.status === 429) return 0;
  return COST[response.kind](Math.max(0, response.objects));
}

export interface PointsTally {
  /** Every response, charged or not. */
  requests: number;
  /** Responses that drew on the quota. */
  chargedRequests: number;
  points: number;
  byKind: Partial<Record<ResponseKind, { requests: number; points: number }>>;
}

/** A tally with nothing counted yet. */
export function emptyTally(): PointsTally {
  return { requests: 0, chargedRequests: 0, points: 0, byKind: {} };
}

/** The tally with one more response added (a new object; the input is left untouched). */
export function tallyResponse(tally: PointsTally, response: ResponseForPoints): PointsTally {
  const points = responsePoints(response);
  const charged = isPointsCharged(response.auth) && response.status !== 429;
  const kind = tally.byKind[response.kind] ?? { requests: 0, points: 0 };
  return {
    requests: tally.requests + 1,
    chargedRequests: tally.chargedRequests + (charged ? 1 : 0),
    points: tally.points + points,
    byKind: { ...tally.byKind, [response.kind]: { requests: kind.requests + 1, points: kind.points + points } },
  };
}
