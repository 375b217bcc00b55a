import { CONNECTOR_SCOPES } from "../../../atlassian/scopes";
import type { UserActivity } from "../../../collector/decisions/activity";
import { classifyHolder, markFailed, missingSourceScopes, planEvidence, willRead } from "../../../collector/decisions/evidence";
import { operationScopes } from "../../support/openapi";

const status = (plan: ReturnType<typeof planEvidence>) => Object.fromEntries(plan.map((s) => [s.source, s.status]));

describe("planEvidence", () => {
  test("a classic admin API token reaches every Jira source; org dates need the org key", () => {
    expect(status(planEvidence({ kind: "api-token" }, false))).toEqual({
      "org-last-active": "not-available",
      audit: "read",
      issue: "read",
      changelog: "read",
      comment: "read",
      worklog: "read",
    });
    expect(status(planEvidence({ kind: "api-token" }, true))["org-last-active"]).toBe("read");
  });

  test("OAuth with the connector's 13 scopes: audit and issues only; each missing source names the scopes that add it", () => {
    const plan = planEvidence({ kind: "oauth", grantedScopes: CONNECTOR_SCOPES }, false);
    expect(status(plan)).toMatchObject({ audit: "read", issue: "read", changelog: "not-available", comment: "not-available", worklog: "not-available" });
    expect(plan.find((s) => s.source === "changelog")!.fix).toContain("read:issue.changelog:jira");
    expect(plan.find((s) => s.source === "comment")!.note).toContain("read:comment:jira");
    expect(plan.find((s) => s.source === "worklog")!.note).toContain("read:issue-worklog:jira");
  });

  test("a grant with the extra scopes reads them too", () => {
    const extra = ["changelog", "comment", "worklog"].flatMap((s) => missingSourceScopes(s as never, CONNECTOR_SCOPES));
    expect(status(planEvidence({ kind: "oauth", grantedScopes: [...CONNECTOR_SCOPES, ...extra] }, false))).toMatchObject({ changelog: "read", comment: "read", worklog: "read" });
  });

  test("the scopes each source needs are the OpenAPI document's granular scopes of its operations", () => {
    const doc = (method: string, path: string) => operationScopes(method, `/rest/api/3${path}`).granular;
    const union = (...sets: string[][]) => [...new Set(sets.flat())].sort();
    expect(missingSourceScopes("changelog", [])).toEqual(union(doc("get", "/search/jql"), doc("post", "/changelog/bulkfetch")));
    expect(missingSourceScopes("comment", [])).toEqual(union(doc("get", "/search/jql"), doc("get", "/issue/{issueIdOrKey}/comment")));
    expect(missingSourceScopes("worklog", [])).toEqual(union(doc("get", "/worklog/updated"), doc("post", "/worklog/list")));
  });

  test("markFailed and willRead", () => {
    const plan = markFailed(planEvidence({ kind: "api-token" }, false), "worklog", "HTTP 500");
    expect(willRead(plan, "worklog")).toBe(false);
    expect(plan.find((s) => s.source === "worklog")).toMatchObject({ status: "failed", note: "HTTP 500" });
    expect(willRead(plan, "changelog")).toBe(true);
  });
});

describe("classifyHolder", () => {
  const start = Date.parse("2026-03-01T00:00:00.000Z");
  const seen = (at: string): UserActivity => ({ lastActivityAt: at, lastActivitySource: "changelog", detail: "x" });
  test.each([
    ["activity at the window start", seen("2026-03-01T00:00:00.000Z"), false, "active"],
    ["activity before it, covered by page views", seen("2026-02-28T23:59:59.999Z"), true, "inactive"],
    ["activity before it, not covered", seen("2026-02-28T23:59:59.999Z"), false, "unknown"],
    ["never seen, covered", undefined, true, "inactive"],
    ["never seen, not covered", undefined, false, "unknown"],
    ["an unreadable date counts as never seen", seen("yesterday"), false, "unknown"],
  ])("%s", (_name, activity, covered, expected) => {
    expect(classifyHolder(activity, start, covered)).toBe(expected);
  });
});
