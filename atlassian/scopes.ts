/**
 * The connector's 13 read-only granular scopes (the set Snow Atlas and Flexera ask admins to grant), plus
 * `offline_access`, without which Atlassian issues no refresh token.
 */
export const CONNECTOR_SCOPES: readonly string[] = [
  "read:application-role:jira",
  "read:audit-log:jira",
  "read:avatar:jira",
  "read:group:jira",
  "read:license:jira",
  "read:issue:jira",
  "read:issue-meta:jira",
  "read:field:jira",
  "read:field-configuration:jira",
  "read:issue-details:jira",
  "read:user:jira",
  "read:user.columns:jira",
  "read:jql:jira",
];

export const OFFLINE_ACCESS = "offline_access";

/** What the authorization URL asks for and what a connector's grant must hold by default. */
export const DEFAULT_REQUIRED_SCOPES: readonly string[] = [...CONNECTOR_SCOPES, OFFLINE_ACCESS];

/** Splits Atlassian's space-separated `scope` string into a sorted, de-duplicated list. */
export function parseScopeString(scope: string | undefined | null): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(/\s+/).filter((s) => s !== ""))].sort();
}

/** Every required scope the grant lacks, in the order required. Pure. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}
