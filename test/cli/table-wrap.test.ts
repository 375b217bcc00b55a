import { checkRows, renderCheckTable } from "../../cli/check/check-rows";
import { inFlagTerms } from "../../cli/check/flags";
import { renderTable, wrapText } from "../../cli/format/table";
import type { CheckOutcome } from "../../providers/jira-connection/validate";

/** The `check` table wraps long fixes and details instead of cutting them, and speaks in flags (issue 13). */

const LONG =
  "for site.admin@example.com: the email and scoped API token were rejected through the API gateway (HTTP 401: Unauthorized): a scoped token always expires (1–365 days) and may have been revoked. Create a new scoped token at https://id.atlassian.com/manage-profile/security/api-tokens and update scopedApiToken (apiToken and expiresAt).";

test("wrapText keeps every word, breaks at spaces, and splits only a word longer than the column", () => {
  const lines = wrapText(LONG, 40);
  expect(lines.join("").replace(/ /g, "")).toBe(LONG.replace(/ /g, ""));
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
  expect(wrapText("short", 40)).toEqual(["short"]);
});

test("a wrapped row spans several lines, the other columns stay aligned, nothing is cut", () => {
  const text = renderTable([{ header: "a" }, { header: "b", wrap: 10 }], [["x", "one two three four"], ["y", "z"]]);
  expect(text).toBe(["a  b", "─  ──────────", "x  one two", "   three four", "y  z", ""].join("\n"));
});

test("the check table shows a long failure whole, with the flag to fix, and names flags in its detail", () => {
  const outcomes: CheckOutcome[] = [{ check: "site", ok: true }, { check: "scoped-token", ok: false, problem: { property: "scopedApiToken.apiToken", message: LONG } }];
  const table = renderCheckTable(checkRows(outcomes, { license: true, checks: ["site", "scoped-token"] }));
  expect(table).not.toContain("…");
  const flat = table.replace(/\s+/g, " ");
  expect(flat).toContain("--scoped-api-token");
  expect(flat).toContain("and update --scoped-api-token (apiToken and expiresAt).");
  expect(flat).toContain("security/api-tokens");
  for (const line of table.split("\n")) expect([...line].length).toBeLessThanOrEqual(200);
});

test("inFlagTerms maps property paths, leaves ordinary words and unknown paths alone", () => {
  expect(inFlagTerms("set oauth.refreshToken again")).toBe("set --refresh-token again");
  expect(inFlagTerms("license.apiToken: rejected; license.email too")).toBe("--api-token: rejected; --license-email too");
  expect(inFlagTerms("the site and cloudId")).toBe("the site and --cloud-id");
  expect(inFlagTerms("scopedApiToken.expiresAt, then scopedApiToken")).toBe("--scoped-token-expires-at, then --scoped-api-token");
  expect(inFlagTerms("oauth.refreshTokenRotatedAt")).toBe("oauth.refreshTokenRotatedAt");
});
