import { z } from "zod";
import type { AuthMethod } from "./inputs";
import { isUnknown, objectOrFail, requiredString } from "./check-fields";

/**
 * The authentication part of `check`: exactly one of `oauth` and `scopedApiToken`, and a scoped token's fields.
 * Pure. Atlassian forces a scoped token's expiry (1–365 days from creation) and never reports it, so the date the
 * admin chose is required: it drives the expiry alarm.
 */

type Fail = (property: string, reason: string) => void;

const present = (value: unknown) => value !== undefined && value !== null;

/** Which method the inputs use; undefined (after a failure) when they name both or neither. */
export function authMethodProblem(news: Record<string, unknown>, fail: Fail): AuthMethod | undefined {
  const oauth = present(news.oauth);
  const scoped = present(news.scopedApiToken);
  if (oauth && scoped) {
    fail(
      "scopedApiToken",
      "set exactly one of oauth and scopedApiToken, not both: to use the scoped API token remove oauth and tokenStore; to keep OAuth remove scopedApiToken",
    );
    return undefined;
  }
  if (!oauth && !scoped) {
    // Attributed to oauth when a tokenStore shows the connector was meant to be OAuth.
    const meantOauth = present(news.tokenStore);
    fail(
      meantOauth ? "oauth" : "scopedApiToken",
      `is missing${meantOauth ? "" : ", and so is oauth"}: set ${meantOauth ? "oauth: { clientId, clientSecret, refreshToken } from the OAuth 2.0 (3LO) app, or replace tokenStore with " : ""}scopedApiToken: { email, apiToken, expiresAt } (an API token with scopes, the recommended method)${meantOauth ? "" : " or oauth: { clientId, clientSecret, refreshToken } with tokenStore"}`,
    );
    return undefined;
  }
  return scoped ? "scoped-api-token" : "oauth";
}

export function checkScopedApiToken(news: Record<string, unknown>, now: Date, fail: Fail): void {
  const token = objectOrFail(news.scopedApiToken, "scopedApiToken", "set scopedApiToken: { email, apiToken, expiresAt }", fail);
  if (token) {
    if (!isUnknown(token.email) && !z.email().safeParse(token.email).success) {
      fail("scopedApiToken.email", "must be the email address of the Atlassian account that created the token");
    }
    requiredString(
      token.apiToken,
      "scopedApiToken.apiToken",
      'create one at https://id.atlassian.com/manage-profile/security/api-tokens ("Create API token with scopes", app Jira) and store it as a Pulumi secret',
      fail,
      { noSpaces: true },
    );
    checkExpiry(token.expiresAt, "scopedApiToken.expiresAt", now, fail, { required: true, maxDays: 365 });
  }
  if (present(news.license)) {
    fail("license", "is not used with scopedApiToken: the scoped token reads seats itself (its account must be a Jira administrator); remove license");
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of an ISO date or date-time that exists on the calendar (no 30 February), else NaN. Pure. */
export function parseIsoDate(value: unknown): number {
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  if (!match) return NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return NaN;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59)) return NaN;
  return Date.parse(match[4] === undefined ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : value as string);
}

/** An API token's expiry: a real date, in the future, and (scoped tokens) within Atlassian's 365-day limit. */
export function checkExpiry(value: unknown, property: string, now: Date, fail: Fail, options: { required: boolean; maxDays?: number }): void {
  if (isUnknown(value)) return;
  if (!present(value)) {
    if (options.required) {
      fail(property, "is required: enter the expiry you chose when creating the token (Atlassian forces one and does not report it), e.g. 2027-03-31");
    }
    return;
  }
  const parsed = parseIsoDate(value);
  if (Number.isNaN(parsed)) {
    fail(property, "must be a calendar date such as 2027-03-31 (the expiry you chose when creating the token)");
  } else if (parsed <= now.getTime()) {
    fail(property, `the API token expired on ${String(value)}; create a new token and update the token and this date`);
  } else if (options.maxDays !== undefined && parsed > now.getTime() + (options.maxDays + 1) * 86_400_000) {
    fail(property, `is more than ${options.maxDays} days away, but Atlassian lets a token live at most ${options.maxDays} days; enter the expiry shown on the token's row at id.atlassian.com`);
  }
}
