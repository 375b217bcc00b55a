/**
 * The `check` table: the provider's validation outcomes, one row per check in a fixed order, each passed, failed
 * (with the problem and the flag to fix), not run (an earlier failure made it pointless) or skipped (not asked
 * for). Pure.
 */
import { type CheckOutcome, VALIDATION_CHECKS, type ValidationCheck } from "../../providers/jira-connection/validate";
import { excessScopes } from "../../atlassian/scope-probes";
import { estimateOauthCollection } from "../../collector/decisions/quota-estimate";
import { renderTable } from "../format/table";
import type { OrgCheck } from "./org-check";

export type CheckStatus = "pass" | "fail" | "not run" | "skipped" | "warn";

export interface CheckRow {
  /** A validation check, an org check (`check --org-id`, see org-check.ts), or the OAuth quota estimate. */
  check: ValidationCheck | OrgCheck | "oauth-quota" | "least-privilege";
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
  "site-access": "grant reaches the site (accessible-resources)",
  "license-account": "license account: email + API token accepted",
  "license-admin": "license account is a Jira administrator",
  seats: "seats readable (application roles, plans)",
};

/** The provider's input property → the CLI flag that sets it. */
export const FLAG_OF_PROPERTY: Record<string, string> = {
  site: "--site",
  cloudId: "--cloud-id",
  "oauth.clientId": "--client-id",
  "oauth.clientSecret": "--client-secret",
  "oauth.refreshToken": "--refresh-token",
  "license.email": "--license-email",
  "license.apiToken": "--api-token",
  "tokenStore.secretArn": "--token-file / --token-secret-arn",
};

export function checkRows(outcomes: readonly CheckOutcome[], options: { license: boolean }): CheckRow[] {
  return VALIDATION_CHECKS.map((check): CheckRow => {
    const label = CHECK_LABELS[check];
    const failed = outcomes.find((o) => o.check === check && !o.ok);
    if (failed && !failed.ok) {
      return { check, label, status: "fail", fix: FLAG_OF_PROPERTY[failed.problem.property] ?? failed.problem.property, message: failed.problem.message };
    }
    if (outcomes.some((o) => o.check === check && o.ok)) return { check, label, status: "pass" };
    if (!options.license && (check === "license-account" || check === "license-admin")) {
      return { check, label, status: "skipped", message: "no --license-email/--api-token: seats are read through the OAuth grant" };
    }
    return { check, label, status: "not run", message: "skipped because an earlier check failed" };
  });
}

const MARK: Record<CheckStatus, string> = { pass: "✓ pass", fail: "✗ FAIL", "not run": "- not run", skipped: "- skipped", warn: "! warn" };

/**
 * Least privilege: a connector only reads, so a grant holding `write:`, `delete:` or `manage:` scopes is a warning
 * (the connector works; the grant can do more than it needs). Only when the grant's scopes are known.
 */
export function leastPrivilegeRow(grantedScopes: readonly string[]): CheckRow | undefined {
  if (grantedScopes.length === 0) return undefined;
  const excess = excessScopes(grantedScopes);
  const label = "grant holds read scopes only (least privilege)";
  if (excess.length === 0) return { check: "least-privilege", label, status: "pass" };
  return {
    check: "least-privilege",
    label,
    status: "warn",
    fix: "the OAuth app's scopes",
    message: `the grant also holds ${excess.join(", ")}, which the connector never uses: remove ${excess.length === 1 ? "it" : "them"} from the app's permissions in the developer console and authorize again (jira-connector authorize)`,
  };
}

/**
 * Without a license account every collection read goes through OAuth and draws on the app's hourly points quota:
 * the estimate from the seat counts just read, a warning when one run would take more than half of it.
 */
export function quotaRow(products: readonly { key: string; userCount: number | null }[], options: { license: boolean }): CheckRow | undefined {
  if (options.license || products.length === 0) return undefined;
  const estimate = estimateOauthCollection(products);
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
    [{ header: "check" }, { header: "result" }, { header: "fix" }, { header: "detail", max: 160 }],
    rows.map((r) => [r.label, MARK[r.status], r.fix ?? "", r.message ?? ""]),
  );
}

export function allPassed(rows: readonly CheckRow[]): boolean {
  // A warning is advice, not a failure: the connector works, it may just run into the quota.
  return rows.every((r) => r.status === "pass" || r.status === "skipped" || r.status === "warn");
}
