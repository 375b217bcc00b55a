import { z } from "zod";
import { BadRequestError } from "../errors";
import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import type { ListingBounds } from "./listing-bounds";
import { nextArrayOffset, type Page, paginateByOffset } from "./pagination";
import { type JiraUser, userSchema } from "./schemas";

export interface SearchUsersOptions {
  /** Requested page size (max 1000); the server may return fewer per page without it meaning the end. */
  pageSize?: number;
  /** Where the listing starts (a resumed listing goes on from the offset a previous run reached). */
  startAt?: number;
  /** Items and pages the listing may read; beyond them it ends with ListingBoundError. */
  bounds?: ListingBounds;
  /** Pages and items of this listing read before `startAt` in this run (a read-ahead), counted against `bounds`. */
  alreadyRead?: { items: number; pages: number };
}

/**
 * All users of the site (`GET /users/search`), including apps, customers, inactive and deleted accounts, page by
 * page. `409` means the request ran longer than 10 s on Atlassian's side: the page is retried at half the size.
 */
export function searchUsers(client: JiraClient, options: SearchUsersOptions = {}): AsyncGenerator<Page<JiraUser>> {
  let pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  const operation = JIRA_OPERATIONS.usersSearch;
  const schema = z.array(userSchema());
  return paginateByOffset<JiraUser, { items: JiraUser[] }>(
    `GET /rest/api/3${operation.path}`,
    async (startAt) => {
      for (;;) {
        const response = await client.send(operation, { query: { startAt, maxResults: pageSize } });
        if (response.status === 409 && pageSize > 1) {
          pageSize = Math.max(1, Math.floor(pageSize / 2));
          continue;
        }
        if (response.status === 409) throw new BadRequestError(response.operation, 409, "timed out even at page size 1");
        return { items: client.decode(operation, schema, response) };
      }
    },
    (startAt, page) => nextArrayOffset(startAt, page.items.length),
    options.startAt ?? 0,
    options.bounds,
    options.alreadyRead,
  );
}
