/**
 * Which activity evidence a run can read, and what a holder's evidence proves. Pure.
 *
 * Two kinds of source: Jira's records of actions (audit log, issues created, changelog, comments, worklogs) can
 * prove that a person was active, never that they were not — someone who only reads Jira leaves no record there.
 * The org Admin API's last-active dates include page views, so for an account in the org's directory they prove
 * both. Hence three strengths: *active* (evidence inside the window), *inactive* (a page-view source covers the
 * person and shows nothing since the window start), *unknown* (no configured source could see what they do).
 */
import { JIRA_OPERATIONS, type JiraOperation } from "../../atlassian/jira/operations";
import type { ActivitySource, UserActivity } from "./activity";

export type EvidenceStrength = "active" | "inactive" | "unknown";

export type SourceStatus = "read" | "failed" | "not-available";

export interface EvidenceSource {
  source: ActivitySource;
  status: SourceStatus;
  /** `actions` prove activity only; `page-views` also prove inactivity for the accounts they cover. */
  sees: "actions" | "page-views";
  /** Why it was not read, or what failed (no secret, no token text). */
  note?: string;
  /** What would add it: a credential, a flag, or the granular scopes a grant lacks. */
  fix?: string;
}

/** How the run reads Jira's activity: a classic admin API token (every source) or OAuth with its granted scopes. */
export type ActivityCredential = { kind: "api-token" } | { kind: "oauth"; grantedScopes?: readonly string[] };

const JIRA_SOURCES: readonly { source: ActivitySource; operations: JiraOperation[] }[] = [
  { source: "audit", operations: [JIRA_OPERATIONS.auditRecords] },
  { source: "issue", operations: [JIRA_OPERATIONS.searchJql] },
  { source: "changelog", operations: [JIRA_OPERATIONS.searchJql, JIRA_OPERATIONS.bulkChangelogs] },
  { source: "comment", operations: [JIRA_OPERATIONS.searchJql, JIRA_OPERATIONS.issueComments] },
  { source: "worklog", operations: [JIRA_OPERATIONS.worklogsUpdated, JIRA_OPERATIONS.worklogsByIds] },
];

export const LICENSE_TOKEN_FIX =
  "add the license account's API token (an administrator's classic token: `license` on the component, --license-email/--api-token on the CLI)";
export const ORG_KEY_FIX =
  "add an org Admin API key (`org: { orgId, apiKey }` on the component, --org-id/--org-api-key on the CLI): its last-active dates include page views, the only trace of people who only read";

/** The granular scopes each Jira source needs beyond what a grant holds; empty when it can be read. */
export function missingSourceScopes(source: ActivitySource, granted: readonly string[]): string[] {
  const entry = JIRA_SOURCES.find((s) => s.source === source);
  if (!entry) return [];
  const have = new Set(granted);
  return [...new Set(entry.operations.flatMap((op) => op.granularScopes))].filter((scope) => !have.has(scope)).sort();
}

/**
 * The sources a run will read. A classic API token reaches every Jira source; OAuth only those whose operations'
 * granular scopes (x-atlassian-oauth2-scopes) the grant holds. An OAuth grant whose scopes are unknown is tried.
 */
export function planEvidence(credential: ActivityCredential, orgConfigured: boolean): EvidenceSource[] {
  const plan: EvidenceSource[] = JIRA_SOURCES.map(({ source }) => {
    if (credential.kind === "api-token" || credential.grantedScopes === undefined) return { source, status: "read", sees: "actions" };
    const missing = missingSourceScopes(source, credential.grantedScopes);
    if (missing.length === 0) return { source, status: "read", sees: "actions" };
    return {
      source,
      status: "not-available",
      sees: "actions",
      note: `the OAuth grant lacks ${missing.join(", ")}`,
      fix: `${LICENSE_TOKEN_FIX}, or add ${missing.join(", ")} to the OAuth app and consent again`,
    };
  });
  plan.unshift(
    orgConfigured
      ? { source: "org-last-active", status: "read", sees: "page-views" }
      : { source: "org-last-active", status: "not-available", sees: "page-views", note: "no org Admin API key configured", fix: ORG_KEY_FIX },
  );
  return plan;
}

export function willRead(plan: readonly EvidenceSource[], source: ActivitySource): boolean {
  return plan.some((s) => s.source === source && s.status === "read");
}

/** The plan with `source`'s status (and why) changed; returns a new plan. */
export function markSource(plan: readonly EvidenceSource[], source: ActivitySource, status: SourceStatus, note: string): EvidenceSource[] {
  return plan.map((s) => (s.source === source ? { ...s, status, note } : s));
}

/** Marks a planned source failed (the run is then partial); returns a new plan. */
export function markFailed(plan: readonly EvidenceSource[], source: ActivitySource, note: string): EvidenceSource[] {
  return markSource(plan, source, "failed", note);
}

/**
 * A holder's strength. `pageViewsCover`: a page-view source answered for this account in this run (the org
 * directory knows them). Activity exactly at the window start counts as inside it.
 */
export function classifyHolder(seen: UserActivity | undefined, windowStartMs: number, pageViewsCover: boolean): EvidenceStrength {
  const at = seen ? Date.parse(seen.lastActivityAt) : NaN;
  if (!Number.isNaN(at) && at >= windowStartMs) return "active";
  return pageViewsCover ? "inactive" : "unknown";
}
