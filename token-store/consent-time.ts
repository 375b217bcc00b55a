/**
 * `refreshTokenIssuedAt`: when the admin consented (the authorization code was exchanged), i.e. the start of the
 * grant's 365-day absolute expiry (atlassian-api.md). Checked the same way by the provider, the component and the CLI.
 */
import { earlierFamilyStart, isoTimestampMs } from "./record";

export const FAMILY_LIFETIME_MS = 365 * 24 * 3600 * 1000;
/** A consent time may lie this far ahead of the checking clock (another machine's clock ran `authorize`). */
export const CONSENT_SKEW_MS = 5 * 60 * 1000;

/**
 * Why `value` is not a usable consent time (a sentence naming `property` and the fix), or `undefined` when it is.
 * Never quotes the value: a mis-pasted refresh token would otherwise be echoed.
 */
export function consentTimeProblem(property: string, value: unknown, now: number): string | undefined {
  const ms = isoTimestampMs(value);
  if (ms === undefined) {
    return `${property} must be an ISO 8601 timestamp with a zone (e.g. 2026-11-02T09:30:00Z), as \`jira-connector authorize\` prints it`;
  }
  if (ms > now + CONSENT_SKEW_MS) {
    return `${property} lies in the future; set it to the consent time \`jira-connector authorize\` printed (check this machine's clock)`;
  }
  if (ms + FAMILY_LIFETIME_MS <= now) {
    return `${property} is more than 365 days ago, so the grant has expired (Atlassian ends every grant 365 days after consent): run \`jira-connector authorize\` again and use its new refresh token and consent time`;
  }
  return undefined;
}

/**
 * The start of a family seeded now (`claimTime`): the consent when known (never later than the claim), else the
 * claim. When it replaces another family's record (`replacedStart`) it must order after it ("a later family wins");
 * that start may have been recorded late (its first use), so a consent before it counts from just after it instead.
 */
export function seededFamilyStart(consentAt: string | undefined, claimTime: string, replacedStart?: string): string {
  const start = earlierFamilyStart(consentAt ?? claimTime, claimTime);
  if (replacedStart === undefined || Date.parse(start) > Date.parse(replacedStart)) return start;
  return new Date(Date.parse(replacedStart) + 1).toISOString();
}
