/**
 * Staggered default schedules for connectors that share one OAuth app. The app's hourly points quota is shared by
 * every site it serves (atlassian-api.md §7), so connectors that all run at the default 23:00 compete for the same
 * hour; each gets its own hour instead: the first the default 23:00 UTC, the next 00:00, 01:00 … (with more than
 * 24, minutes 20 and 40 are used too). A connector with an explicit schedule keeps it and takes no slot. Pure.
 */
import { DEFAULT_SCHEDULE } from "./args";

export interface StaggerEntry {
  /** The OAuth app: connectors with the same client ID share its quota. Absent (scoped API token): no quota, no slot. */
  clientId?: string;
  /** The configured expression, if any. */
  expression?: string;
}

const FIRST_HOUR = 23;

/** The k-th slot (0-based) of an app: an hour of its own, then the same hours at :20 and :40. */
export function staggeredSlot(k: number): string {
  if (k === 0) return DEFAULT_SCHEDULE;
  const hour = (FIRST_HOUR + (k % 24)) % 24;
  const minute = (Math.floor(k / 24) % 3) * 20;
  return `cron(${minute} ${hour} * * ? *)`;
}

/** The schedule expression each entry should use, in order: its own, or the next free slot of its app. */
export function staggeredSchedules(entries: readonly StaggerEntry[]): string[] {
  const next = new Map<string, number>();
  return entries.map((entry) => {
    if (entry.expression !== undefined && entry.expression.trim() !== "") return entry.expression;
    if (entry.clientId === undefined) return DEFAULT_SCHEDULE;
    const k = next.get(entry.clientId) ?? 0;
    next.set(entry.clientId, k + 1);
    return staggeredSlot(k);
  });
}
