import { auditRecordsPage } from "../atlassian/jira/audit";
import { groupMemberPageSchema, groupMembersPage } from "../atlassian/jira/groups";
import { searchIssues } from "../atlassian/jira/issue-search";
import type { JiraClient } from "../atlassian/jira/jira-client";
import { getApproximateLicenseCount, getInstanceLicense } from "../atlassian/jira/licensing";
import { JIRA_OPERATIONS } from "../atlassian/jira/operations";
import { nextEnvelopeOffset, nextPageBeanOffset } from "../atlassian/jira/pagination";
import type { ApplicationRole } from "../atlassian/jira/schemas";
import { fetchAllOffsetPages } from "./concurrent-pages";
import { AtlassianError, type AtlassianErrorCode, ListingBoundError, MissingScopesError, PaginationStalledError, RateLimitedError } from "../atlassian/errors";
import { DEFAULT_LIMITS, MAX_PAGES_WITHOUT_NEW_ISSUES, type CollectorLimits } from "./limits";
import { commentPageSchema } from "../atlassian/jira/activity-schemas";
import { auditRecordsSchema } from "../atlassian/jira/schemas";
import { BULK_CHANGELOG_MAX_ISSUES } from "../atlassian/jira/activity-evidence";
import { readChangelogs, readTruncatedComments, readWorklogs } from "./activity-reads";
import { ActivityAccumulator, type ActivitySource } from "./decisions/activity";
import { type EvidenceSource, markFailed, markSource, planEvidence, willRead } from "./decisions/evidence";
import { DAY_MS } from "./decisions/time";
import type { ResponseKind } from "../atlassian/quota/points";
import { issueActivityQueries } from "./decisions/issue-windows";
import { DEFAULT_INACTIVITY_DAYS } from "./decisions/seat-report";
import { auditFetchStart } from "./decisions/watermark";
import type { PreviousSnapshot } from "./previous-snapshot";
import type { AdaptiveRequestGate } from "./request-gate";
import { IssueIndex } from "./issue-index";

/** The reads of one collection run, each a listing or two; `collect.ts` orders them and writes the snapshot. */

export type Charge = (kind: ResponseKind, objects: number) => void;

/** Bounds (README "Bounds") that end one listing: what was read is kept, the rest is missing, the run partial. */
const BOUND_CODES: ReadonlySet<AtlassianErrorCode> = new Set(["LISTING_BOUND", "PAGINATION_STALLED", "RESPONSE_TOO_LARGE", "RUN_DEADLINE"]);

/**
 * A failure of Atlassian's that may pass (a rate limit, a 5xx), or a bound that ended a listing: that part of the
 * data is missing and the run is partial. Anything else propagates and fails the run.
 */
export function isRetryableFailure(error: unknown): error is AtlassianError {
  return error instanceof AtlassianError && (error.retryable || BOUND_CODES.has(error.code));
}

/** The hourly points quota refused a read: the run checkpoints what it read whole (collector/checkpoint.ts). */
export function isPointsQuotaStop(error: unknown): boolean {
  return error instanceof RateLimitedError && error.pointsQuota;
}

/** Issues whose comments are read one request each (truncated or missing in the search), at most: a bound on cost. */
export const MAX_COMMENT_FOLLOW_UPS = 5000;

const GROUP_MEMBER = `GET /rest/api/3${JIRA_OPERATIONS.groupMember.path}`;
const AUDIT_RECORDS = `GET /rest/api/3${JIRA_OPERATIONS.auditRecords.path}`;
const SEARCH_JQL = `GET /rest/api/3${JIRA_OPERATIONS.searchJql.path}`;

export async function readSubscriptions(jira: JiraClient, rolesRead: Promise<ApplicationRole[]>, charge: Charge) {
  const [roles, license] = await Promise.all([rolesRead, getInstanceLicense(jira)]);
  charge("application-roles", roles.length);
  charge("instance-license", license.applications.length);
  const approximateCounts: Record<string, number | null> = {};
  await Promise.all(
    roles.map(async (role) => {
      // Atlassian caches this figure for up to 7 days; it is informative, so a failure does not fail the run.
      approximateCounts[role.key] = await getApproximateLicenseCount(jira, role.key).catch(() => null);
      charge("approximate-license-count", 1);
    }),
  );
  return { roles, license, approximateCounts };
}

/**
 * Members of the groups that grant products — only those (the minimal request plan). Every group's pages are read
 * concurrently once its first page gives the total; the gate keeps the endpoint within Atlassian's rate limit.
 * A group whose listing fails with a retryable error (rate limit, 5xx) is left out — `failures` says why — so the
 * groups that were read still identify their holders; any other error propagates. Groups in `reuse` (a checkpoint's
 * complete listings) are taken as they are, not read.
 */
export async function readMemberships(
  jira: JiraClient,
  roles: readonly ApplicationRole[],
  charge: Charge,
  gate: AdaptiveRequestGate,
  reuse: ReadonlyMap<string, { members: string[]; reported: number | null }> = new Map(),
  limits: CollectorLimits = DEFAULT_LIMITS,
) {
  const groups = [...new Set(roles.flatMap((r) => r.groups))].sort();
  const members = new Map<string, string[]>();
  const counts: Record<string, { fetched: number; reported: number | null }> = {};
  const failures: string[] = [];
  let quotaStopped = false;
  for (const group of groups) {
    const done = reuse.get(group);
    if (!done) continue;
    members.set(group, done.members);
    counts[group] = { fetched: done.members.length, reported: done.reported };
  }
  const pageSchema = groupMemberPageSchema(); // one for every page: a zod schema compiles on first use
  await Promise.all(
    groups.filter((group) => !members.has(group)).map(async (group) => {
      // A Set: a member added or removed while we page can shift another one into two pages.
      const ids = new Set<string>();
      try {
        const { total } = await fetchAllOffsetPages({
          operation: GROUP_MEMBER,
          fetchPage: (startAt) => groupMembersPage(jira, { groupName: group, includeInactiveUsers: true }, startAt, pageSchema),
          run: (request) => gate.run(GROUP_MEMBER, request),
          next: (startAt, page) => nextPageBeanOffset(startAt, { ...page, received: page.items.length }),
          bounds: limits.groupMembers,
          onItems: (items) => {
            charge("group-member", items.length);
            for (const member of items) ids.add(member.accountId);
          },
        });
        members.set(group, [...ids]);
        counts[group] = { fetched: ids.size, reported: total ?? null };
      } catch (error) {
        if (!isRetryableFailure(error)) throw error;
        quotaStopped ||= isPointsQuotaStop(error);
        failures.push(`${group}: ${error.message}`);
        counts[group] = { fetched: ids.size, reported: null };
      }
    }),
  );
  return { members, counts, failures: failures.sort(), quotaStopped };
}

export interface ActivitySettings {
  cloudId: string;
  inactivityDays?: number;
  auditLookbackDays?: number;
}

/**
 * The previous snapshot's activity, then every planned source: audit records since the watermark (pages
 * concurrently, like group members), a bounded JQL search (issue creators, and embedded comments when comments are
 * planned), then the window's changelogs, the comments the search cut short, and worklogs since the worklog
 * watermark. A source that fails is marked failed in the returned plan (the run is partial); the rest go on.
 */
export async function readActivity(
  jira: JiraClient,
  settings: ActivitySettings,
  previous: PreviousSnapshot | undefined,
  now: Date,
  charge: Charge,
  gate: AdaptiveRequestGate,
  planned: readonly EvidenceSource[] = planEvidence({ kind: jira.authKind === "oauth" ? "oauth" : "api-token" }, false),
  limits: CollectorLimits = DEFAULT_LIMITS,
) {
  let plan = [...planned];
  const reasons: string[] = [];
  let quotaStopped = false;
  const accumulator = new ActivityAccumulator({ cloudId: settings.cloudId });
  if (previous) for await (const { accountId, ...seen } of previous.activity()) accumulator.addCarriedForward(accountId, seen);
  const days = settings.inactivityDays ?? DEFAULT_INACTIVITY_DAYS;
  const windowStart = now.getTime() - days * DAY_MS;
  const from = auditFetchStart(previous?.watermark ?? null, now, { firstRunLookbackDays: settings.auditLookbackDays ?? days });
  /** Runs one source; a failure of Atlassian's marks it (the rest go on), anything else is a bug and propagates. */
  const attempt = async <T>(source: ActivitySource, work: () => Promise<T>): Promise<T | undefined> => {
    if (!willRead(plan, source)) return undefined;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof AtlassianError)) throw error;
      if (error instanceof MissingScopesError) {
        plan = markSource(plan, source, "not-available", error.message);
        return undefined;
      }
      plan = markFailed(plan, source, error.message);
      reasons.push(`${source}: ${error.message}`);
      quotaStopped ||= isPointsQuotaStop(error);
      return undefined;
    }
  };
  const auditCreated: { created: string }[] = [];
  // Record IDs: a page re-read after a short page mid-listing must not count its records twice.
  const auditSeen = new Set<number>();
  const auditPageSchema = auditRecordsSchema();
  const audit = attempt("audit", () =>
    fetchAllOffsetPages({
      operation: AUDIT_RECORDS,
      fetchPage: (offset) => auditRecordsPage(jira, { from }, offset, auditPageSchema),
      run: (request) => gate.run(AUDIT_RECORDS, request),
      next: (offset, page) => nextEnvelopeOffset(offset, { received: page.items.length, total: page.total }),
      bounds: limits.auditRecords,
      onItems: (records) => {
        charge("audit-records", records.length);
        for (const record of records) {
          if (auditSeen.has(record.id)) continue;
          auditSeen.add(record.id);
          accumulator.addAuditRecord(record);
          auditCreated.push({ created: record.created });
        }
      },
    }),
  );
  // Issue activity: a few `updated` windows, each a cursor-paged chain, read concurrently (decisions/issue-windows).
  const labels = new IssueIndex();
  const truncatedComments: string[] = [];
  // Changelogs are fetched 1000 issues at a time as the search finds them, so they overlap the search's page chains.
  const ctx = { jira, accumulator, charge, gate, labels, worklogBounds: limits.worklogs, changelogBounds: limits.changelogs };
  const changelogChunks: Promise<number | undefined>[] = [];
  let pendingIds: string[] = [];
  const flushChangelogs = () => {
    if (pendingIds.length === 0 || !willRead(plan, "changelog")) return;
    const ids = pendingIds;
    pendingIds = [];
    const read = attempt("changelog", () => readChangelogs(ctx, ids));
    read.catch(() => undefined); // awaited below; handled now (see the worklog read)
    changelogChunks.push(read);
  };
  const withComments = willRead(plan, "comment");
  // Built once: a zod object schema compiles its parser on first use, so one per issue would cost a compile each.
  const embeddedComments = commentPageSchema();
  const fields = ["creator", "created", "updated", ...(withComments ? ["comment"] : [])];
  const issueSearch = attempt("issue", () =>
    Promise.all(
      issueActivityQueries(days).map(async (jql) => {
        // A chain whose pages bring nothing new is stalled (a server cycling pages under fresh tokens).
        let pagesWithoutNew = 0;
        for await (const page of searchIssues(jira, { jql, fields, bounds: limits.issues })) {
          charge("search-jql", page.items.length);
          const before = labels.size;
          // The bound is on the index across all windows: each chain checks it before taking more.
          if (before >= limits.issues.maxItems && page.items.length > 0) {
            throw new ListingBoundError(SEARCH_JQL, `${limits.issues.name}.maxItems`, limits.issues.maxItems, `${before} issues read and the search goes on`);
          }
          for (const issue of page.items) {
            // Windows overlap a little at their boundaries: count and credit each issue once.
            if (!labels.add(issue.id, issue.key)) continue;
            accumulator.addIssue(issue);
            pendingIds.push(issue.id);
            if (pendingIds.length >= BULK_CHANGELOG_MAX_ISSUES) flushChangelogs();
            if (!withComments) continue;
            // A missing or unreadable `comment` field says nothing about the issue's comments: read them directly.
            const embedded = embeddedComments.safeParse(issue.fields.comment);
            if (!embedded.success) {
              truncatedComments.push(issue.id);
              continue;
            }
            for (const comment of embedded.data.comments) accumulator.addComment(issue.key ?? issue.id, comment);
            // Jira embeds only the first comments of an issue [A]: read the rest when it says there are more.
            if ((embedded.data.total ?? 0) > embedded.data.comments.length) truncatedComments.push(issue.id);
          }
          pagesWithoutNew = page.items.length > 0 && labels.size === before ? pagesWithoutNew + 1 : 0;
          if (pagesWithoutNew >= MAX_PAGES_WITHOUT_NEW_ISSUES) {
            throw new PaginationStalledError(SEARCH_JQL, `${pagesWithoutNew} pages in a row brought no issue not already read`);
          }
        }
      }),
    ).then(() => labels.size),
  );
  const worklogSince = previous?.worklogsSince ?? windowStart;
  const worklogs = attempt("worklog", () => readWorklogs(ctx, worklogSince));
  // Awaited below, after the search; handled now so that a bug surfacing meanwhile is not an unhandled rejection.
  worklogs.catch(() => undefined);
  const [auditResult, issues] = await Promise.all([audit, issueSearch]);
  // The issue search failed: changelogs and comments have no issue list to read from.
  if (issues === undefined && willRead(planned, "issue")) {
    for (const source of ["changelog", "comment"] as const) if (willRead(plan, source)) plan = markFailed(plan, source, "the issue search failed");
  }
  if (issues !== undefined) flushChangelogs();
  const [changelogHistories, extraComments, worklogRead] = await Promise.all([
    Promise.all(changelogChunks).then((counts) => (counts.includes(undefined) ? undefined : counts.reduce<number>((a, b) => a + (b ?? 0), 0))),
    truncatedComments.length > 0 ? attempt("comment", () => readTruncatedComments(ctx, truncatedComments.slice(0, MAX_COMMENT_FOLLOW_UPS), windowStart)) : Promise.resolve(0),
    worklogs,
  ]);
  if (truncatedComments.length > MAX_COMMENT_FOLLOW_UPS && willRead(plan, "comment")) {
    const note = `${truncatedComments.length} issues needed their comments read one by one; the first ${MAX_COMMENT_FOLLOW_UPS} were`;
    plan = markFailed(plan, "comment", note);
    reasons.push(`comment: ${note}`);
  }
  // How far back audit evidence reaches: the first run's lookback start, carried from snapshot to snapshot.
  const evidenceSince = previous?.activityEvidenceSince ?? from.toISOString();
  const auditRead = auditResult !== undefined;
  return {
    accumulator,
    plan,
    reasons,
    auditCreated,
    auditRead,
    auditTotal: auditResult?.total ?? null,
    issues: issues ?? 0,
    changelogHistories: changelogHistories ?? null,
    commentsFetched: extraComments ?? null,
    worklogs: worklogRead?.worklogs ?? null,
    /** The next run's worklog start; unchanged when worklogs were not read completely. */
    worklogsSince: worklogRead ? worklogRead.until : (previous?.worklogsSince ?? null),
    evidenceSince,
    quotaStopped,
  };
}

export type ActivityRead = Awaited<ReturnType<typeof readActivity>>;
