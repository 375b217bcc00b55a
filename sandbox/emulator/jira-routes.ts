/** Jira REST v3 routes the emulator implements, keyed by method and OpenAPI path template. */
import * as activity from "./jira-activity";
import * as admin from "./jira-admin";
import type { JiraHandler } from "./jira-context";
import { searchJql } from "./jira-search";
import * as users from "./jira-users";

const P = "/rest/api/3";

export const JIRA_ROUTES: Record<string, JiraHandler> = {
  [`GET ${P}/myself`]: users.myself,
  [`GET ${P}/mypermissions`]: users.myPermissions,
  [`GET ${P}/user`]: users.user,
  [`GET ${P}/user/groups`]: users.userGroups,
  [`GET ${P}/users/search`]: users.usersSearch,
  [`GET ${P}/users`]: users.usersSearch,
  [`GET ${P}/group/bulk`]: users.groupBulk,
  [`GET ${P}/group/member`]: users.groupMember,
  [`GET ${P}/applicationrole`]: admin.applicationRoles,
  [`GET ${P}/applicationrole/{key}`]: admin.applicationRole,
  [`GET ${P}/instance/license`]: admin.instanceLicense,
  [`GET ${P}/license/approximateLicenseCount`]: admin.approximateLicenseCount,
  [`GET ${P}/license/approximateLicenseCount/product/{applicationKey}`]: admin.approximateProductCount,
  [`GET ${P}/auditing/record`]: admin.auditRecords,
  [`GET ${P}/search/jql`]: searchJql,
  [`GET ${P}/serverInfo`]: admin.serverInfo,
  [`POST ${P}/changelog/bulkfetch`]: activity.bulkFetchChangelogs,
  [`GET ${P}/issue/{issueIdOrKey}/comment`]: activity.issueComments,
  [`GET ${P}/worklog/updated`]: activity.worklogsUpdated,
  [`POST ${P}/worklog/list`]: activity.worklogList,
};

/** Operations callable without credentials on the site host [A]: only serverInfo (the spec allows `{}` on more). */
export const ANONYMOUS_TEMPLATES = new Set([`${P}/serverInfo`]);
