/**
 * Which granular scopes a credential holds, when Atlassian will not say. No endpoint reports a scoped API token's
 * scopes (Atlassian's community answers point to probing: a call the token lacks a scope for answers 401 "scope
 * does not match"), so validation reads one cheap operation per scope group, concurrently, and infers. Pure.
 *
 * Inference: a probe that succeeds proves all its scopes held; a probe refused for scopes proves that at least one
 * of its scopes is missing — exactly that one when every other scope of the probe is proven by a probe that
 * succeeded. Probes are chosen so that, for the operations the connector calls, each scope is pinned down.
 */
import { JIRA_OPERATIONS, type JiraOperation } from "./jira/operations";

export type ProbeOutcome = "ok" | "scope-refused" | "other-failure";

export interface ScopeFindings {
  /** Proven held (some probe needing it succeeded). */
  held: string[];
  /** Proven missing. */
  missing: string[];
  /** A refused probe whose missing scope could not be pinned down: one or more of `scopes` is missing. */
  unresolved: { operation: string; scopes: string[] }[];
  /** Scopes no probe answered for (a probe failed otherwise, e.g. 5xx): neither proven held nor missing. */
  unverified: string[];
}

/** The operations the connector itself calls (validation and collection): their scopes are what it needs. */
export const CONNECTOR_OPERATIONS: readonly JiraOperation[] = [
  JIRA_OPERATIONS.applicationRoles,
  JIRA_OPERATIONS.instanceLicense,
  JIRA_OPERATIONS.approximateProductLicenseCount,
  JIRA_OPERATIONS.usersSearch,
  JIRA_OPERATIONS.groupMember,
  JIRA_OPERATIONS.auditRecords,
  JIRA_OPERATIONS.searchJql,
];

/**
 * Reads that need one scope each, which the connector's own reads share with others: without them a refused JQL
 * search could not say which of its five scopes is missing.
 */
export const ISOLATING_PROBES: readonly JiraOperation[] = [
  JIRA_OPERATIONS.systemAvatars,
  JIRA_OPERATIONS.issuePicker,
  JIRA_OPERATIONS.fieldConfigurations,
  JIRA_OPERATIONS.groupBulk,
  JIRA_OPERATIONS.userPicker,
  JIRA_OPERATIONS.issueEditMeta,
];

/** The scopes the connector needs: the union of its operations' granular scopes, sorted. */
export function requiredConnectorScopes(operations: readonly JiraOperation[] = CONNECTOR_OPERATIONS): string[] {
  return [...new Set(operations.flatMap((op) => op.granularScopes))].sort();
}

/**
 * Probes, fewest scopes first, so that single-scope reads (application roles, licence) prove scopes the wider
 * reads share and a wider read's refusal points at what is left.
 */
export function probeOrder(operations: readonly JiraOperation[] = [...CONNECTOR_OPERATIONS, ...ISOLATING_PROBES]): JiraOperation[] {
  const unique = new Map(operations.map((op) => [op.path, op]));
  return [...unique.values()].sort((a, b) => a.granularScopes.length - b.granularScopes.length || a.path.localeCompare(b.path));
}

export function interpretProbes(results: readonly { operation: JiraOperation; outcome: ProbeOutcome }[]): ScopeFindings {
  const held = new Set<string>();
  for (const r of results) if (r.outcome === "ok") for (const s of r.operation.granularScopes) held.add(s);
  const missing = new Set<string>();
  const unresolved: ScopeFindings["unresolved"] = [];
  for (const r of results) {
    if (r.outcome !== "scope-refused") continue;
    const open = r.operation.granularScopes.filter((s) => !held.has(s));
    if (open.length === 1) missing.add(open[0]!);
    else if (open.length > 1) unresolved.push({ operation: `${r.operation.method} /rest/api/3${r.operation.path}`, scopes: [...open].sort() });
  }
  // A scope named in an unresolved refusal that another refusal pins down is already explained there.
  const stillOpen = unresolved.filter((u) => !u.scopes.some((s) => missing.has(s)));
  const all = new Set(results.flatMap((r) => r.operation.granularScopes));
  const unverified = [...all].filter((s) => !held.has(s) && !missing.has(s) && !stillOpen.some((u) => u.scopes.includes(s))).sort();
  return { held: [...held].sort(), missing: [...missing].sort(), unresolved: stillOpen, unverified };
}

/**
 * Scopes beyond reading: least privilege is part of validation. A connector only reads, so any `write:`, `delete:`
 * or `manage:` scope (or a classic `write:jira-work`, `manage:jira-configuration`…) in a grant is flagged.
 */
export function excessScopes(granted: readonly string[]): string[] {
  return [...new Set(granted.filter((s) => /^(write|delete|manage)[:-]/.test(s)))].sort();
}
