/** Builders for the client's types, parsed through the client's own schemas so defaults match real responses. */
import {
  type ApplicationRole,
  applicationRoleSchema,
  type AuditRecord,
  auditRecordSchema,
  type HeaderReader,
  issueSchema,
  type JiraIssue,
  type JiraUser,
  userSchema,
} from "../../../atlassian";

export function user(accountId: string, extra: Partial<JiraUser> = {}): JiraUser {
  return userSchema().parse({ accountId, accountType: "atlassian", active: true, displayName: `User ${accountId}`, ...extra });
}

export function usersById(...list: JiraUser[]): Map<string, JiraUser> {
  return new Map(list.map((u) => [u.accountId, u]));
}

export function role(key: string, groups: string[], extra: Partial<ApplicationRole> = {}): ApplicationRole {
  return applicationRoleSchema().parse({ key, name: key, groups, ...extra });
}

let nextId = 1;
export function audit(created: string, extra: Record<string, unknown> = {}): AuditRecord {
  return auditRecordSchema().parse({ id: nextId++, summary: "Workflow updated", created, ...extra });
}

export function userObject(accountId: string) {
  return { id: accountId, name: accountId, typeName: "USER", parentId: "1", parentName: "Jira Internal Directory" };
}

export function issue(key: string, fields: Record<string, unknown>): JiraIssue {
  return issueSchema().parse({ id: key.replace(/\D/g, ""), key, fields });
}

/** Case-insensitive, like fetch's Headers. */
export function headers(values: Record<string, string> = {}): HeaderReader {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower.get(name.toLowerCase()) ?? null };
}
