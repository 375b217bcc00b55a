/**
 * Sends the scope probes of `scope-probes.ts` for one credential, concurrently, and sorts each answer into what it
 * proves. Atlassian's gateway checks scopes before the operation runs, so any answer other than its 401 "scope does
 * not match" proves the operation's scopes held — a 400, 403 or 404 from Jira included.
 *
 * Write probes (least privilege) are sent with an empty JSON body, which Jira must refuse (400: required fields
 * missing) before it writes anything, and never retried after a server error: a 401 scope mismatch means the
 * token cannot write there; any other answer means it can, and is flagged.
 */
import { AtlassianError, type ApiTokenRejectedError } from "../errors";
import type { PipelineResponse } from "../http/pipeline";
import { type ProbeOutcome } from "../scope-probes";
import type { JiraClient } from "./jira-client";
import { JIRA_OPERATIONS, type JiraOperation } from "./operations";

type QueryValue = string | number | boolean;

interface ProbeRequest {
  pathParams?: Record<string, string>;
  query?: Record<string, QueryValue>;
  json?: unknown;
}

/** The cheapest request per probed operation: one item, no expansion. */
const PROBE_REQUESTS: Record<string, ProbeRequest> = {
  [JIRA_OPERATIONS.myself.path]: {},
  [JIRA_OPERATIONS.applicationRoles.path]: {},
  [JIRA_OPERATIONS.instanceLicense.path]: {},
  [JIRA_OPERATIONS.approximateProductLicenseCount.path]: { pathParams: { applicationKey: "jira-software" } },
  [JIRA_OPERATIONS.usersSearch.path]: { query: { maxResults: 1 } },
  // A group name no site has: the gateway's scope check answers first; Jira then says 404 (no such group).
  [JIRA_OPERATIONS.groupMember.path]: { query: { groupname: "jira-connector-scope-probe", maxResults: 1 } },
  [JIRA_OPERATIONS.auditRecords.path]: { query: { limit: 1 } },
  [JIRA_OPERATIONS.searchJql.path]: { query: { jql: "updated >= -1m", maxResults: 1, fields: "id" } },
  [JIRA_OPERATIONS.systemAvatars.path]: { pathParams: { type: "issuetype" } },
  [JIRA_OPERATIONS.issuePicker.path]: { query: { query: "jira-connector-scope-probe" } },
  [JIRA_OPERATIONS.fieldConfigurations.path]: { query: { maxResults: 1 } },
  [JIRA_OPERATIONS.groupBulk.path]: { query: { maxResults: 1 } },
  [JIRA_OPERATIONS.userPicker.path]: { query: { query: "jira-connector-scope-probe", maxResults: 1 } },
  // An issue key no site has: Jira answers 404 after the gateway's scope check.
  [JIRA_OPERATIONS.issueEditMeta.path]: { pathParams: { issueIdOrKey: "JIRACONNECTORPROBE-1" } },
  // Evidence reads (collector): empty requests Jira answers cheaply (or refuses with 400/404) after the scope check.
  [JIRA_OPERATIONS.bulkChangelogs.path]: { json: { issueIdsOrKeys: [], maxResults: 1 } },
  [JIRA_OPERATIONS.issueComments.path]: { pathParams: { issueIdOrKey: "JIRACONNECTORPROBE-1" }, query: { maxResults: 1 } },
  [JIRA_OPERATIONS.worklogsUpdated.path]: { query: { since: 4_102_444_800_000 } },
  [JIRA_OPERATIONS.worklogsByIds.path]: { json: { ids: [] } },
};

/** Writes a connector never needs; a token allowed any of them holds more than it should. */
export const WRITE_PROBES: readonly JiraOperation[] = [JIRA_OPERATIONS.createIssue, JIRA_OPERATIONS.createProject, JIRA_OPERATIONS.createGroup];

export interface ProbeAnswer {
  operation: JiraOperation;
  outcome: ProbeOutcome;
  /** The raw answer of a successful (2xx) read, for the reads validation needs anyway (roles, licence, myself). */
  response?: PipelineResponse;
  /** 403 on an admin-only operation: the token's account is not a Jira administrator. */
  notAdministrator?: boolean;
  /** The typed failure of an answer that proves nothing about scopes (rejected credential, 5xx, rate limit). */
  error?: AtlassianError;
}

export interface ProbeRun {
  reads: ProbeAnswer[];
  /** Write probes a token was allowed (not refused for scopes): least privilege violated. */
  writesAllowed: JiraOperation[];
  /** The first answer that refused the credential itself (401 without a scope mismatch), if any. */
  rejected?: ApiTokenRejectedError | AtlassianError;
}

/** One probe's answer, classified; never throws for an HTTP answer. */
async function probe(jira: JiraClient, operation: JiraOperation, write: boolean): Promise<ProbeAnswer> {
  const request = write ? { json: {}, retry: "rate-limit-only" as const } : (PROBE_REQUESTS[operation.path] ?? {});
  let response: PipelineResponse;
  try {
    response = await jira.send(operation, request);
  } catch (error) {
    if (error instanceof AtlassianError) return { operation, outcome: "other-failure", error };
    throw error;
  }
  if (response.status >= 200 && response.status < 300) return { operation, outcome: "ok", response };
  try {
    jira.throwOnFailure(operation, response);
  } catch (error) {
    if (!(error instanceof AtlassianError)) throw error;
    switch (error.code) {
      case "MISSING_SCOPES":
        return { operation, outcome: "scope-refused" };
      case "NOT_ADMINISTRATOR":
        return { operation, outcome: "ok", notAdministrator: true };
      case "PERMISSION_DENIED":
      case "NOT_FOUND":
      case "BAD_REQUEST":
        // Jira itself answered: the gateway's scope check had passed.
        return { operation, outcome: "ok" };
      default:
        return { operation, outcome: "other-failure", error };
    }
  }
  return { operation, outcome: "ok" };
}

/** Every read probe and write probe at once: one round trip (plus the pipeline's bounded retries). */
export async function runScopeProbes(jira: JiraClient, reads: readonly JiraOperation[], writes: readonly JiraOperation[] = WRITE_PROBES): Promise<ProbeRun> {
  const [readAnswers, writeAnswers] = await Promise.all([
    Promise.all(reads.map((op) => probe(jira, op, false))),
    Promise.all(writes.map((op) => probe(jira, op, true))),
  ]);
  const rejected = [...readAnswers, ...writeAnswers].find((a) => a.error && ["API_TOKEN_REJECTED", "ACCESS_TOKEN_REJECTED"].includes(a.error.code))?.error;
  return {
    reads: readAnswers,
    writesAllowed: writeAnswers.filter((a) => a.outcome === "ok").map((a) => a.operation),
    ...(rejected ? { rejected } : {}),
  };
}
