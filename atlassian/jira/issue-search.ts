import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import type { ListingBounds } from "./listing-bounds";
import { type Page, paginateByCursor } from "./pagination";
import { issueSearchPageSchema, type JiraIssue } from "./schemas";

export interface SearchIssuesOptions {
  /** Must be bounded (contain a restriction), e.g. `updated >= -30d ORDER BY updated DESC`. */
  jql: string;
  fields?: readonly string[];
  pageSize?: number;
  /** Items and pages the listing may read; beyond them it ends with ListingBoundError. */
  bounds?: ListingBounds;
}

/** Issues matching a bounded JQL query (`GET /search/jql`, cursor-paged with `nextPageToken`). */
export function searchIssues(client: JiraClient, options: SearchIssuesOptions): AsyncGenerator<Page<JiraIssue>> {
  const operation = JIRA_OPERATIONS.searchJql;
  const schema = issueSearchPageSchema();
  return paginateByCursor(`GET /rest/api/3${operation.path}`, async (nextPageToken) => {
    const page = await client.get(operation, schema, {
      query: {
        jql: options.jql,
        fields: (options.fields ?? ["creator", "reporter", "assignee", "created", "updated"]).join(","),
        maxResults: options.pageSize ?? 100,
        nextPageToken,
      },
    });
    return { items: page.issues, isLast: page.isLast, nextPageToken: page.nextPageToken };
  }, options.bounds);
}
