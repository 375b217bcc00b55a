/**
 * The `check` table: the provider's validation outcomes, one row per check in a fixed order, each passed, failed
 * (with the problem and the flag to fix), not run (an earlier failure made it pointless) or skipped (not asked
 * for). Pure.
 */
import { type CheckOutcome, VALIDATION_CHECKS, type ValidationCheck } from "../../providers/jira-connection/validate";
import { estimateOauthCollection } from "../../atlassian/quota/quota-estimate";
import { renderTable } from "../format/table";
import { flagOf, inFlagTerms } from "./flags";
import type { OrgCheck } from "./org-check";

export type CheckStatus = "pass" | "fail" | "not run" | "skipped" | "warn";

export interface CheckRow {
  /** A validation check, an org check (`check --org-id`, see org-check.ts), or the OAuth quota estimate. */
  check: ValidationCheck | OrgCheck | "oauth-quota" | "scoped-token-expiry";
  label: string;
  status: CheckStatus;
  /** The flag to fix, for a failure (e.g. `--client-secret`). */
  fix?: string;
  message?: string;
}

export const CHECK_LABELS: Record<ValidationCheck, string> = {
  site: "site exists (tenant_info), cloud ID matches",
  "token-store-read": "token store readable",
  "token-exchange": "refresh token exchange (client ID/secret, token alive)",
  "token-store-write": "rotated token saved to the token store",
  scopes: "granted scopes include the required ones",
  "least-privilege": "read scopes only (least privilege)",
  "scoped-token": "scoped API token accepted through the gateway",
  "site-access": "grant reaches the site (accessible-resources)",
  "license-account": "license account: email + API token accepted",
  "license-admin": "seat-reading account is a Jira administrator",
  seats: "seats readable (application roles, plans)",
};

export { FLAG_OF_PROPERTY } from "./flags";

/** A warning's `property: message` split into the flag to change and the message. */
function warningRow(check: ValidationCheck, label: string, warning: string): CheckRow {
  const colon = warning.indexOf(": ");
  const property = colon > 0 ? warning.slice(0, colon) : "";
  return { check, label, status: "warn", fix: flagOf(property), message: inFlagTerms(colon > 0 ? warning.slice(colon + 2) : warning) };
}

export function checkRows(outcomes: readonly CheckOutcome[], options: { license: boolean; checks?: readonly ValidationCheck[] }): CheckRow[] {
  return (options.checks ?? VALIDATION_CHECKS).map((check): CheckRow => {
    const label = CHECK_LABELS[check];
    const failed = outcomes.find((o) => o.check === check && !o.ok);
    if (failed && !failed.ok) {
      return { check, label, status: "fail", fix: flagOf(failed.problem.property), message: inFlagTerms(failed.problem.message) };
    }
    const passed = outcomes.find((o) => o.check === check && o.ok);
    if (passed?.ok && passed.warning) return warningRow(check, label, passed.warning);
    if (passed) return { check, label, status: "pass" };
    if (!options.license && (check === "license-account" || check === "license-admin")) {
      return { check, label, status: "skipped", message: "no --license-email/--api-token: seats are read through the OAuth grant" };
    }
    return { check, label, status: "not run", message: "skipped because an earlier check failed" };
  });
}

const MARK: Record<CheckStatus, string> = { pass: "✓ pass", fail: "✗ FAIL", "not run": "- not run", skipped: "- skipped", warn: "! warn" };

/**
 * Without a license account every collection read goes through OAuth and draws on the app's hourly points quota:
 * the estimate from the seat counts just read, a warning when one run would take more than half of it.
 */
export function quotaRow(products: readonly { key: string; userCount: number | null }[], options: { license: boolean }): CheckRow | undefined {
  if (options.license || products.length === 0) return undefined;
  const estimate = estimateOauthCollection(products, { licenseFix: "a license account (--license-email/--api-token)", scopedFix: "--scoped-api-token" });
  return {
    check: "oauth-quota",
    label: "OAuth points one collection costs (hourly quota)",
    status: estimate.warn ? "warn" : "pass",
    ...(estimate.warn ? { fix: "--license-email / --api-token" } : {}),
    message: estimate.message,
  };
}

export function renderCheckTable(rows: readonly CheckRow[]): string {
  return renderTable(
    [{ header: "check" }, { header: "result" }, { header: "fix", wrap: 40 }, { header: "detail", wrap: 100 }],
    rows.map((r) => [r.label, MARK[r.status], r.fix ?? "", r.message ?? ""]),
  );
}

export function allPassed(rows: readonly CheckRow[]): boolean {
  // A warning is advice, not a failure: the connector works, it may just run into the quota.
  return rows.every((r) => r.status === "pass" || r.status === "skipped" || r.status === "warn");
}
