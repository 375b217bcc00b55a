/**
 * `check --before-up`: a JiraConnector's refresh-token secret exists only after `pulumi up`, and presenting the
 * token anywhere else first would rotate it into that other store (the token `up` is given is then dead, and
 * presenting it revokes the grant). So this runs every check that presents no refresh token — the site and its
 * cloud ID, the license account, its admin permission and the seats it reads (the org checks run in check.ts as
 * usual) — and reports the token's checks as not run: `up` runs them, as the first exchange.
 */
import type { AtlassianClient } from "../../atlassian/client";
import type { OAuthConnectionInputs } from "../../providers/jira-connection/inputs";
import { validateConnection, type ValidationCheck, type ValidationResult } from "../../providers/jira-connection/validate";
import type { RefreshTokenStore } from "../../token-store";
import type { CheckRow } from "./check-rows";

export const BEFORE_UP_REASON =
  "--before-up: runs at `pulumi up`, the refresh token's first exchange (into the connector's own secret)";
const SEATS_BEFORE_UP = "--before-up without --license-email/--api-token: seats are read through the OAuth grant, at `pulumi up`";

/** The checks that need the token presented (seats too, when no license account reads them). */
const TOKEN_CHECKS: readonly ValidationCheck[] = ["token-store-read", "token-exchange", "token-store-write", "scopes", "least-privilege", "site-access"];

/** Never consulted (the plan presents nothing); throws should that ever change, so no token goes astray. */
const NO_STORE: RefreshTokenStore = {
  location: "none (check --before-up)",
  read: () => Promise.reject(new Error("check --before-up reads no token store")),
  compareAndSwap: () => Promise.reject(new Error("check --before-up writes no token store")),
};

export async function validateBeforeUp(atlassian: AtlassianClient, inputs: OAuthConnectionInputs): Promise<ValidationResult> {
  const result = await validateConnection({ atlassian, store: NO_STORE, now: () => new Date() }, inputs, { kind: "none", grantedScopes: [], familyStartedAt: "" }, true);
  // The "none" plan judges the scopes of a grant it was told about; here there is none, so those outcomes are dropped.
  const checks = result.checks.filter((c) => !TOKEN_CHECKS.includes(c.check));
  return { ...result, checks, problems: checks.flatMap((c) => (c.ok ? [] : [c.problem])), warnings: [], grantedScopes: [] };
}

/** The table's token rows, marked not run with the reason (instead of "an earlier check failed"). */
export function beforeUpRows(rows: readonly CheckRow[], options: { license: boolean }): CheckRow[] {
  return rows.map((row) => {
    if (TOKEN_CHECKS.includes(row.check as ValidationCheck)) return { check: row.check, label: row.label, status: "not run", message: BEFORE_UP_REASON };
    if (row.check === "seats" && !options.license && row.status === "not run") return { ...row, message: SEATS_BEFORE_UP };
    return row;
  });
}

/** Whether a row was left for `pulumi up` by --before-up (so it does not count as a failure). */
export function deferredToUp(row: CheckRow): boolean {
  return row.status === "not run" && (row.message === BEFORE_UP_REASON || row.message === SEATS_BEFORE_UP);
}
