import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS } from "./operations";
import { permissionsSchema, type JiraUser, userSchema } from "./schemas";

/** The caller's own user — the cheapest credential check. */
export async function getMyself(client: JiraClient, expand: ("groups" | "applicationRoles")[] = []): Promise<JiraUser> {
  return client.get(JIRA_OPERATIONS.myself, userSchema(), {
    query: { expand: expand.length > 0 ? expand.join(",") : undefined },
  });
}

/**
 * Which of `permissions` (e.g. `ADMINISTER`) the caller holds. Works with API tokens only: its granular scope
 * `read:permission:jira` is not among the connector's 13, so OAuth callers probe an admin-only endpoint instead.
 */
export async function getMyPermissions(client: JiraClient, permissions: readonly string[]): Promise<Record<string, boolean>> {
  const body = await client.get(JIRA_OPERATIONS.myPermissions, permissionsSchema(), {
    query: { permissions: permissions.join(",") },
  });
  const result: Record<string, boolean> = {};
  for (const key of permissions) result[key] = body.permissions[key]?.havePermission === true;
  return result;
}
