/**
 * Typed reads of who changed, commented on or logged work on issues: the bulk changelog fetch, an issue's comments,
 * and the worklogs updated since an instant. Each listing is bounded (cursors must advance, pages are capped).
 */
import { PaginationStalledError } from "../errors";
import {
  bulkChangelogPageSchema,
  changedWorklogsSchema,
  type ChangelogHistory,
  commentPageSchema,
  type CommentPage,
  type Worklog,
  worklogListSchema,
} from "./activity-schemas";
import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import { beyondBounds, type ListingBounds, UNBOUNDED_LISTING } from "./listing-bounds";
import { type Page, paginateByCursor } from "./pagination";

/** Atlassian's limits: 1000 issues per bulk changelog request, up to 10000 histories per page. */
export const BULK_CHANGELOG_MAX_ISSUES = 1000;
export const BULK_CHANGELOG_PAGE_SIZE = 10_000;
/** `worklog/list` takes at most 1000 IDs. */
export const WORKLOG_LIST_MAX_IDS = 1000;

export interface IssueChangelogs {
  issueId: string;
  histories: ChangelogHistory[];
}

/** The changelogs of up to 1000 issues (`POST /changelog/bulkfetch`), oldest first, cursor-paged. */
export function bulkChangelogs(client: JiraClient, issueIds: readonly string[], bounds: ListingBounds = UNBOUNDED_LISTING): AsyncGenerator<Page<IssueChangelogs>> {
  if (issueIds.length === 0 || issueIds.length > BULK_CHANGELOG_MAX_ISSUES) {
    throw new RangeError(`bulkChangelogs: 1 to ${BULK_CHANGELOG_MAX_ISSUES} issue IDs per call, got ${issueIds.length}`);
  }
  const operation = JIRA_OPERATIONS.bulkChangelogs;
  const schema = bulkChangelogPageSchema();
  return paginateByCursor(`POST /rest/api/3${operation.path}`, async (nextPageToken) => {
    const page = await client.post(operation, schema, {
      issueIdsOrKeys: issueIds,
      maxResults: BULK_CHANGELOG_PAGE_SIZE,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    return {
      items: page.issueChangeLogs.map((log) => ({ issueId: log.issueId ?? "", histories: log.changeHistories })),
      nextPageToken: page.nextPageToken,
    };
  }, bounds);
}

/** One page of an issue's comments (`GET /issue/{id}/comment`), newest first. */
export async function issueCommentsPage(client: JiraClient, issueId: string, startAt: number, pageSize = 100, schema = commentPageSchema()): Promise<CommentPage> {
  return client.get(JIRA_OPERATIONS.issueComments, schema, {
    pathParams: { issueIdOrKey: issueId },
    query: { startAt, maxResults: pageSize, orderBy: "-created" },
  });
}

export interface UpdatedWorklogIds {
  ids: number[];
  /** The `until` of the last page read: where the next incremental read starts. */
  until: number;
}

/**
 * The IDs of worklogs updated at or after `since` (epoch ms), `GET /worklog/updated`, 1000 per page, oldest first.
 * Pages are requested with `since=<previous until>` ourselves rather than by following `nextPage`, so the listing
 * stays on the configured host whatever URL a server returns; an `until` that does not advance ends it as an error.
 * Atlassian omits worklogs updated in the minute before the request, so `until` is also the next run's start.
 */
export async function* updatedWorklogIds(client: JiraClient, since: number, bounds: ListingBounds = UNBOUNDED_LISTING): AsyncGenerator<UpdatedWorklogIds> {
  const operation = `GET /rest/api/3${JIRA_OPERATIONS.worklogsUpdated.path}`;
  const schema = changedWorklogsSchema();
  let from = since;
  let items = 0;
  for (let pages = 0; ; pages++) {
    const beyond = pages > 0 ? beyondBounds(operation, { items, pages }, bounds) : undefined;
    if (beyond) throw beyond;
    const page = await client.get(JIRA_OPERATIONS.worklogsUpdated, schema, { query: { since: from } });
    items += page.values.length;
    const until = page.until ?? Math.max(from, ...page.values.map((v) => v.updatedTime ?? from));
    yield { ids: page.values.map((v) => v.worklogId), until };
    // `lastPage` is the documented end; a page without it but with `nextPage` continues.
    if (page.lastPage === true || (page.lastPage === undefined && !page.nextPage) || page.values.length === 0) return;
    if (until <= from) throw new PaginationStalledError(operation, `the listing did not advance past since=${from}`);
    from = until;
  }
}

/** Worklogs by ID (`POST /worklog/list`, at most 1000 IDs). */
export async function worklogsByIds(client: JiraClient, ids: readonly number[], schema = worklogListSchema()): Promise<Worklog[]> {
  if (ids.length > WORKLOG_LIST_MAX_IDS) throw new RangeError(`worklogsByIds: at most ${WORKLOG_LIST_MAX_IDS} IDs per call, got ${ids.length}`);
  if (ids.length === 0) return [];
  return client.post(JIRA_OPERATIONS.worklogsByIds, schema, { ids });
}
