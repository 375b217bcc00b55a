/**
 * The Jira REST v3 operations this package calls, with the granular scopes Atlassian's OpenAPI document lists for
 * each (`x-atlassian-oauth2-scopes`, state "Beta"; all required) and whether Jira requires "Administer Jira".
 * Used to name every missing scope when the gateway answers "scope does not match", and to tell "not an
 * administrator" from other 403s. A test checks this table against the OpenAPI document.
 */
export interface JiraOperation {
  name: string;
  /** Path template under `/rest/api/3`, e.g. `/applicationrole/{key}`. */
  path: string;
  granularScopes: readonly string[];
  adminOnly: boolean;
  /**
   * GET unless stated; the POSTs here are reads with a JSON body (bulk fetches), safe to retry — except the
   * `WRITE_PROBES`, which are only ever sent with a body Jira must refuse (see scope-probe-reads.ts).
   */
  method: "GET" | "POST";
}

const op = (name: string, path: string, granularScopes: string[], adminOnly = false, method: "GET" | "POST" = "GET"): JiraOperation => ({
  name,
  path,
  granularScopes,
  adminOnly,
  method,
});

const USER_READ = ["read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"];

export const JIRA_OPERATIONS = {
  myself: op("getCurrentUser", "/myself", USER_READ),
  myPermissions: op("getMyPermissions", "/mypermissions", ["read:permission:jira"]),
  applicationRoles: op("getAllApplicationRoles", "/applicationrole", ["read:application-role:jira"], true),
  applicationRole: op("getApplicationRole", "/applicationrole/{key}", ["read:application-role:jira"], true),
  instanceLicense: op("getLicense", "/instance/license", ["read:license:jira"]),
  approximateLicenseCount: op("getApproximateLicenseCount", "/license/approximateLicenseCount", ["read:license:jira"], true),
  approximateProductLicenseCount: op(
    "getApproximateApplicationLicenseCount",
    "/license/approximateLicenseCount/product/{applicationKey}",
    ["read:license:jira"],
    true,
  ),
  usersSearch: op("getAllUsers", "/users/search", ["read:user:jira", "read:application-role:jira", "read:avatar:jira", "read:group:jira"]),
  groupBulk: op("bulkGetGroups", "/group/bulk", ["read:group:jira"]),
  groupMember: op("getUsersFromGroup", "/group/member", ["read:group:jira", "read:user:jira", "read:avatar:jira"]),
  auditRecords: op("getAuditRecords", "/auditing/record", ["read:audit-log:jira", "read:user:jira"], true),
  searchJql: op("searchAndReconsileIssuesUsingJql", "/search/jql", [
    "read:issue-details:jira",
    "read:audit-log:jira",
    "read:avatar:jira",
    "read:field-configuration:jira",
    "read:issue-meta:jira",
  ]),
  serverInfo: op("getServerInfo", "/serverInfo", []),
  // Cheap single-scope reads that let scope probing pin down scopes the connector's own reads share (scope-probes.ts).
  systemAvatars: op("getAllSystemAvatars", "/avatar/{type}/system", ["read:avatar:jira"]),
  issuePicker: op("getIssuePickerResource", "/issue/picker", ["read:issue-details:jira"]),
  fieldConfigurations: op("getAllFieldConfigurations", "/fieldconfiguration", ["read:field-configuration:jira"], true),
  userPicker: op("findUsersForPicker", "/user/picker", ["read:user:jira"]),
  issueEditMeta: op("getEditIssueMeta", "/issue/{issueIdOrKey}/editmeta", ["read:field-configuration:jira", "read:issue-meta:jira"]),
  // Activity evidence beyond audit records and issue creators (issue 11); none is in the connector's 13 scopes.
  bulkChangelogs: op("getBulkChangelogs", "/changelog/bulkfetch", ["read:issue-meta:jira", "read:avatar:jira", "read:issue.changelog:jira"], false, "POST"),
  issueComments: op("getComments", "/issue/{issueIdOrKey}/comment", [
    "read:comment:jira",
    "read:comment.property:jira",
    "read:group:jira",
    "read:project:jira",
    "read:project-role:jira",
    "read:user:jira",
    "read:avatar:jira",
  ]),
  worklogsUpdated: op("getIdsOfWorklogsModifiedSince", "/worklog/updated", ["read:issue-worklog:jira", "read:issue-worklog.property:jira"]),
  worklogsByIds: op(
    "getWorklogsForIds",
    "/worklog/list",
    ["read:comment:jira", "read:group:jira", "read:issue-worklog:jira", "read:issue-worklog.property:jira", "read:project-role:jira", "read:user:jira", "read:avatar:jira"],
    false,
    "POST",
  ),
  // Least-privilege probes (scope-probe-reads.ts): sent with an empty body, which Jira refuses (400) before writing.
  createIssue: op("createIssue", "/issue", ["write:issue:jira", "write:comment:jira", "write:comment.property:jira", "write:attachment:jira", "read:issue:jira"], false, "POST"),
  createProject: op("createProject", "/project", ["write:project:jira", "read:project:jira"], true, "POST"),
  createGroup: op("createGroup", "/group", ["read:group:jira", "read:user:jira", "write:group:jira", "read:avatar:jira"], true, "POST"),
} as const;
