import { JIRA_OPERATIONS } from "../../atlassian/jira/operations";
import { CONNECTOR_SCOPES } from "../../atlassian/scopes";
import { excessScopes, interpretProbes, type ProbeOutcome, probeOrder, requiredConnectorScopes } from "../../atlassian/scope-probes";

/** Simulates a token holding `granted`: a probe is refused when it needs a scope the token lacks. */
function probe(granted: readonly string[], fail: (path: string) => boolean = () => false) {
  const have = new Set(granted);
  return probeOrder().map((operation) => {
    const outcome: ProbeOutcome = fail(operation.path) ? "other-failure" : operation.granularScopes.every((s) => have.has(s)) ? "ok" : "scope-refused";
    return { operation, outcome };
  });
}

describe("scope probes", () => {
  const required = requiredConnectorScopes();

  test("the connector's operations need a subset of the 13 scopes Snow Atlas asks for", () => {
    expect(required.every((s) => CONNECTOR_SCOPES.includes(s))).toBe(true);
    expect(required).toContain("read:audit-log:jira");
  });

  test("a token with every scope: all held, nothing missing", () => {
    expect(interpretProbes(probe(CONNECTOR_SCOPES))).toEqual({ held: required, missing: [], unresolved: [], unverified: [] });
  });

  test.each(required.map((s) => [s]))("each single missing scope is pinned down: %s", (scope) => {
    const findings = interpretProbes(probe(CONNECTOR_SCOPES.filter((s) => s !== scope)));
    expect(findings.missing).toEqual([scope]);
    expect(findings.unresolved).toEqual([]);
  });

  test("several missing scopes are all named, or reported as unresolved with the candidates, never dropped", () => {
    const lacking = ["read:license:jira", "read:audit-log:jira", "read:avatar:jira"];
    const findings = interpretProbes(probe(CONNECTOR_SCOPES.filter((s) => !lacking.includes(s))));
    const named = new Set([...findings.missing, ...findings.unresolved.flatMap((u) => u.scopes)]);
    for (const s of lacking) expect(named.has(s)).toBe(true);
    expect(findings.held.some((s) => lacking.includes(s))).toBe(false);
  });

  test("every combination of missing scopes: each is named missing, or — only when every probe needing it also needs a missing one — left unverified, never called held", () => {
    for (let mask = 1; mask < 1 << required.length; mask++) {
      const lacking = required.filter((_, i) => mask & (1 << i));
      const findings = interpretProbes(probe(CONNECTOR_SCOPES.filter((s) => !lacking.includes(s))));
      expect(findings.held.filter((s) => lacking.includes(s))).toEqual([]);
      expect(findings.missing.every((s) => lacking.includes(s))).toBe(true);
      expect(findings.unresolved).toEqual([]);
      // Every scope with a single-scope probe is pinned exactly; the rest are at worst "cannot be checked yet".
      for (const s of lacking) expect(findings.missing.includes(s) || findings.unverified.includes(s)).toBe(true);
      expect(findings.missing.length).toBeGreaterThan(0);
    }
  });

  test("a probe that fails for another reason proves nothing: its scopes are unverified unless another probe proves them", () => {
    const licence = [JIRA_OPERATIONS.instanceLicense.path, JIRA_OPERATIONS.approximateProductLicenseCount.path];
    const findings = interpretProbes(probe(CONNECTOR_SCOPES, (path) => licence.includes(path)));
    expect(findings.unverified).toEqual(["read:license:jira"]);
    expect(findings.missing).toEqual([]);
  });

  test("least privilege: write, delete and manage scopes are flagged", () => {
    expect(excessScopes([...CONNECTOR_SCOPES, "write:issue:jira", "delete:comment:jira", "manage:jira-configuration", "write:jira-work", "offline_access"])).toEqual([
      "delete:comment:jira",
      "manage:jira-configuration",
      "write:issue:jira",
      "write:jira-work",
    ]);
    expect(excessScopes(CONNECTOR_SCOPES)).toEqual([]);
  });
});
