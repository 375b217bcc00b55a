/**
 * The activity reads beyond audit records and issue creators: changelog histories of the window's issues (bulk,
 * 1000 issues a request), the comments Jira left out of the search's embedded lists, and worklogs updated since the
 * previous run (incremental, like the audit watermark). Each runs under the request gate; `collect.ts` decides
 * which run (evidence.ts) and what a failure means.
 */
import { BULK_CHANGELOG_MAX_ISSUES, bulkChangelogs, issueCommentsPage, updatedWorklogIds, WORKLOG_LIST_MAX_IDS, worklogsByIds } from "../atlassian/jira/activity-evidence";
import type { JiraClient } from "../atlassian/jira/jira-client";
import type { ListingBounds } from "../atlassian/jira/listing-bounds";
import { JIRA_OPERATIONS } from "../atlassian/jira/operations";
import { UnexpectedResponseError } from "../atlassian/errors";
import type { ActivityAccumulator } from "./decisions/activity";
import { parseJiraTimestamp } from "./decisions/time";
import type { Charge } from "./reads";
import type { AdaptiveRequestGate } from "./request-gate";
import type { IssueIndex } from "./issue-index";
import { commentPageSchema, worklogListSchema } from "../atlassian/jira/activity-schemas";

const BULK_CHANGELOG = `POST /rest/api/3${JIRA_OPERATIONS.bulkChangelogs.path}`;
const ISSUE_COMMENTS = `GET /rest/api/3${JIRA_OPERATIONS.issueComments.path}`;
const WORKLOGS_UPDATED = `GET /rest/api/3${JIRA_OPERATIONS.worklogsUpdated.path}`;
const WORKLOG_LIST = `POST /rest/api/3${JIRA_OPERATIONS.worklogsByIds.path}`;
/** An issue with more comments than this in the window is read only this far: a bound against runaway listings. */
export const MAX_COMMENT_PAGES_PER_ISSUE = 20;

export interface EvidenceReadContext {
  jira: JiraClient;
  accumulator: ActivityAccumulator;
  charge: Charge;
  gate: AdaptiveRequestGate;
  /** Issue ID → key, for readable details. */
  labels: Pick<IssueIndex, "label">;
  /** Bounds of the worklog ID listing (collector/limits.ts). */
  worklogBounds?: ListingBounds;
  /** Bounds of one 1000-issue changelog chain. */
  changelogBounds?: ListingBounds;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Changelog authors of these issues. Returns the number of histories read. */
export async function readChangelogs(ctx: EvidenceReadContext, issueIds: readonly string[]): Promise<number> {
  let histories = 0;
  await Promise.all(
    chunks([...issueIds].sort(), BULK_CHANGELOG_MAX_ISSUES).map(async (ids) => {
      // One chain per 1000 issues: each page names the next, so a chain's pages are sequential.
      const pages = bulkChangelogs(ctx.jira, ids, ctx.changelogBounds);
      for (;;) {
        const next = await ctx.gate.run(BULK_CHANGELOG, () => pages.next());
        if (next.done) return;
        for (const log of next.value.items) {
          ctx.charge("bulk-changelog", log.histories.length);
          const label = ctx.labels.label(log.issueId);
          for (const history of log.histories) {
            histories++;
            ctx.accumulator.addChangelog(label, history);
          }
        }
      }
    }),
  );
  return histories;
}

/**
 * Comments of issues whose embedded list was cut short (`total` above what the search returned), newest first,
 * until a page reaches comments created before `sinceMs`. Returns the number of comments read.
 */
export async function readTruncatedComments(ctx: EvidenceReadContext, issueIds: readonly string[], sinceMs: number): Promise<number> {
  let comments = 0;
  const pageSchema = commentPageSchema(); // one for every page: a zod schema compiles on first use
  await Promise.all(
    issueIds.map(async (issueId) => {
      const label = ctx.labels.label(issueId);
      for (let page = 0, startAt = 0; page < MAX_COMMENT_PAGES_PER_ISSUE; page++) {
        const result = await ctx.gate.run(ISSUE_COMMENTS, () => issueCommentsPage(ctx.jira, issueId, startAt, 100, pageSchema));
        ctx.charge("issue-comments", result.comments.length);
        let reachedOlder = false;
        for (const comment of result.comments) {
          comments++;
          ctx.accumulator.addComment(label, comment);
          const created = parseJiraTimestamp(comment.created);
          if (created !== undefined && created < sinceMs) reachedOlder = true;
        }
        startAt += result.comments.length;
        if (reachedOlder || result.comments.length === 0 || (result.total !== undefined && startAt >= result.total)) return;
      }
    }),
  );
  return comments;
}

export interface WorklogRead {
  worklogs: number;
  /** Where the next run continues (`until` of the last page), epoch ms. */
  until: number;
}

/** Worklogs updated at or after `sinceMs`: IDs page by page, each page's worklogs fetched by ID (≤1000 a request). */
export async function readWorklogs(ctx: EvidenceReadContext, sinceMs: number): Promise<WorklogRead> {
  const seen = new Set<number>();
  let until = sinceMs;
  let worklogs = 0;
  const listing = updatedWorklogIds(ctx.jira, sinceMs, ctx.worklogBounds);
  const fetches: Promise<void>[] = [];
  const listSchema = worklogListSchema();
  for (;;) {
    const next = await ctx.gate.run(WORKLOGS_UPDATED, () => listing.next());
    if (next.done) break;
    ctx.charge("worklog-updated", next.value.ids.length);
    if (next.value.until < until) throw new UnexpectedResponseError(WORKLOGS_UPDATED, "`until` went backwards");
    until = next.value.until;
    // Pages overlap at their boundary instant: fetch each worklog once.
    const fresh = next.value.ids.filter((id) => !seen.has(id) && seen.add(id));
    for (const ids of chunks(fresh, WORKLOG_LIST_MAX_IDS)) {
      const fetch = ctx.gate.run(WORKLOG_LIST, () => worklogsByIds(ctx.jira, ids, listSchema)).then((list) => {
        ctx.charge("worklog-list", list.length);
        for (const worklog of list) {
          worklogs++;
          ctx.accumulator.addWorklog(worklog);
        }
      });
      // Handled at once (Promise.all below rethrows it): a failure while the listing still pages must not surface
      // as an unhandled rejection, which ends a Node process.
      fetch.catch(() => undefined);
      fetches.push(fetch);
    }
  }
  await Promise.all(fetches);
  return { worklogs, until };
}
