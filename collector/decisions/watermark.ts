/**
 * The audit-log watermark: how far back the next run's `GET /auditing/record?from=` starts. Activity merging is
 * idempotent (the latest instant wins), so fetching a record twice costs a little; skipping one loses activity for
 * good. Every rule here therefore errs towards overlap: `from` is inclusive and backed off by a margin, the
 * watermark never moves backwards, and it only moves at all when the fetch it summarises ran to the end.
 */
import type { AuditRecord } from "../../atlassian";
import { DAY_MS, parseJiraTimestamp, toIso } from "./time";

export const DEFAULT_FIRST_RUN_LOOKBACK_DAYS = 90;
/** Records can become visible a little after their `created` instant; re-reading 5 minutes absorbs that. */
export const DEFAULT_OVERLAP_MS = 5 * 60_000;

export interface FetchStartOptions {
  firstRunLookbackDays?: number;
  overlapMs?: number;
}

/**
 * `from` for the next audit fetch: the watermark minus the overlap margin, or, on the first run (or when the
 * stored watermark is unreadable), `now − firstRunLookbackDays`.
 */
export function auditFetchStart(watermark: string | null | undefined, now: Date, options: FetchStartOptions = {}): Date {
  const mark = parseJiraTimestamp(watermark);
  if (mark === undefined) {
    return new Date(now.getTime() - (options.firstRunLookbackDays ?? DEFAULT_FIRST_RUN_LOOKBACK_DAYS) * DAY_MS);
  }
  return new Date(mark - (options.overlapMs ?? DEFAULT_OVERLAP_MS));
}

export interface WatermarkInput {
  /** The stored watermark (ISO-8601 or Jira's format); null/undefined on the first run. */
  previous: string | null | undefined;
  /** The records the fetch returned (only `created` is read; stream-friendly: any iterable). */
  records: Iterable<Pick<AuditRecord, "created">>;
  /** False when the fetch stopped early (rate limit, error, page cap): the run is partial. */
  fetchCompleted: boolean;
  /** When the fetch ran: a record stamped later than this (clock skew) must not push the watermark ahead. */
  now: Date;
}

export type WatermarkReason = "advanced" | "fetch-incomplete" | "no-newer-records";

export interface WatermarkDecision {
  /** ISO-8601 UTC; null only when there was none and nothing moved it. */
  watermark: string | null;
  advanced: boolean;
  reason: WatermarkReason;
  /** Records whose `created` could not be parsed; they do not move the watermark. */
  unparsed: number;
}

/**
 * The next watermark: the newest `created` among the fetched records, clamped to `now`, never earlier than the
 * previous one. A partial fetch keeps the previous watermark: audit records come newest first, so a fetch cut
 * short has seen the newest records but not all older ones, and advancing past them would skip the gap forever.
 * A complete fetch with no records keeps the previous watermark too (null stays null, so the next run looks back
 * the configured number of days again instead of treating "nothing yet" as "read up to now").
 */
export function nextAuditWatermark(input: WatermarkInput): WatermarkDecision {
  const previous = parseJiraTimestamp(input.previous);
  const keep = previous === undefined ? null : toIso(previous);
  let newest: number | undefined;
  let unparsed = 0;
  for (const record of input.records) {
    const t = parseJiraTimestamp(record.created);
    if (t === undefined) unparsed++;
    else if (newest === undefined || t > newest) newest = t;
  }
  if (!input.fetchCompleted) return { watermark: keep, advanced: false, reason: "fetch-incomplete", unparsed };
  const candidate = newest === undefined ? undefined : Math.min(newest, input.now.getTime());
  if (candidate === undefined || (previous !== undefined && candidate <= previous)) {
    return { watermark: keep, advanced: false, reason: "no-newer-records", unparsed };
  }
  return { watermark: toIso(candidate), advanced: true, reason: "advanced", unparsed };
}
