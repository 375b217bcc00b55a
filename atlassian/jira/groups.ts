import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import { nextPageBeanOffset, type Page, paginateByOffset } from "./pagination";
import { type GroupDetails, groupDetailsSchema, type GroupMember, groupMemberSchema, pageBeanSchema } from "./schemas";

/** Groups by ID and/or name (`GET /group/bulk`, PageBean, at most 50 per page). */
export function bulkGroups(
  client: JiraClient,
  options: { groupIds?: readonly string[]; groupNames?: readonly string[]; pageSize?: number } = {},
): AsyncGenerator<Page<GroupDetails>> {
  const operation = JIRA_OPERATIONS.groupBulk;
  const schema = pageBeanSchema(groupDetailsSchema());
  return paginateByOffset(
    `GET /rest/api/3${operation.path}`,
    async (startAt) => {
      const page = await client.get(operation, schema, {
        query: {
          startAt,
          maxResults: Math.min(options.pageSize ?? 50, 50),
          groupId: options.groupIds,
          groupName: options.groupNames,
        },
      });
      return { ...page, items: page.values };
    },
    (startAt, page) => nextPageBeanOffset(startAt, { ...page, received: page.items.length }),
  );
}

export interface GroupMemberOptions {
  groupId?: string;
  groupName?: string;
  includeInactiveUsers?: boolean;
  pageSize?: number;
}

/**
 * Members of one group (`GET /group/member`, PageBean, at most 50 per page). `nextPage` links are not followed:
 * a server-supplied absolute URL would receive our credentials; offsets are computed instead.
 */
export function groupMembers(client: JiraClient, options: GroupMemberOptions): AsyncGenerator<Page<GroupMember>> {
  const schema = groupMemberPageSchema(); // one for the listing, as searchUsers and searchIssues do
  return paginateByOffset(
    `GET /rest/api/3${JIRA_OPERATIONS.groupMember.path}`,
    (startAt) => groupMembersPage(client, options, startAt, schema),
    (startAt, page) => nextPageBeanOffset(startAt, { ...page, received: page.items.length }),
  );
}

/** `group/member`'s page schema; callers reading many pages build it once (a zod schema compiles on first use). */
export const groupMemberPageSchema = () => pageBeanSchema(groupMemberSchema());

/** One page of `GET /group/member` at `startAt` (for callers that fetch pages concurrently once `total` is known). */
export async function groupMembersPage(client: JiraClient, options: GroupMemberOptions, startAt: number, schema = groupMemberPageSchema()) {
  const page = await client.get(JIRA_OPERATIONS.groupMember, schema, {
    query: {
      groupId: options.groupId,
      // Atlassian refuses both at once; the ID is stable across renames, so it wins.
      groupname: options.groupId ? undefined : options.groupName,
      includeInactiveUsers: options.includeInactiveUsers ?? true,
      startAt,
      maxResults: Math.min(options.pageSize ?? 50, 50),
    },
  });
  return { ...page, items: page.values };
}
