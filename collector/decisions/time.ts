/**
 * Timestamp parsing for the shapes Jira actually sends. Jira writes `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, i.e. an offset
 * without a colon (`+0000`), which `Date.parse` is not required to accept (ECMAScript only defines `Z` and
 * `+HH:MM`), so we parse by hand instead of relying on an engine's lenient fallback. Pure.
 */

export const DAY_MS = 86_400_000;

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of a calendar date + time in UTC, or undefined when a field is out of range (e.g. 31 February). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC silently rolls 2024-02-30 over to March; a round trip detects it.
  return new Date(t).getUTCDate() === d ? t : undefined;
}

/**
 * Epoch milliseconds of a Jira timestamp: `2014-03-19T18:45:42.967+0000`, `…Z`, `…+05:30`, `…+0530`, `…+05`,
 * without seconds or fraction, or epoch milliseconds as a number (Atlassian's own issue examples use those).
 * A timestamp without an offset is refused rather than guessed: local time would depend on where we run.
 */
export function parseJiraTimestamp(value: string | number | null | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const local = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), s ? Number(s) : 0, ms);
  if (local === undefined) return undefined;
  if (zone === "Z" || zone === "z") return local;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offH = Number(digits.slice(0, 2));
  const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (offH > 23 || offM > 59) return undefined;
  // 18:45+0100 is 17:45 UTC: subtract the offset.
  return local - sign * (offH * 60 + offM) * 60_000;
}

/** Epoch ms of the start (00:00 UTC) of a `yyyy-MM-dd` date, as the org API's `last_active` sends. */
export function parseDateOnly(value: string | null | undefined): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = DATE_ONLY.exec(value.trim());
  return m ? utc(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** ISO-8601 in UTC with milliseconds, the one format every output of the collector uses. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
