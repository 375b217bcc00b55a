/** Dates as the report prints them, and seat holders by week of last activity. Pure. */
import type { ActivityOverTime, UserLine } from "./model";

const DAY_MS = 24 * 60 * 60 * 1000;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "1 Dec 2026", in UTC (the report's own clock, not the reader's time zone). */
export function humanDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "today", "1 day ago", "124 days ago": relative to the report's `asOf`, so the same page reads the same tomorrow. */
export function relativeDays(days: number | null): string {
  if (days === null) return "never seen";
  if (days <= 0) return "today";
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

/** Monday 00:00 UTC of the week containing `ms`. */
export function weekStart(ms: number): number {
  const day = new Date(ms);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return midnight - ((day.getUTCDay() + 6) % 7) * DAY_MS;
}

/** Seat holders (active atlassian accounts holding a product) by the week of their last activity. */
export function activityOverTime(users: readonly UserLine[], windowStartMs: number, asOfMs: number): ActivityOverTime {
  const first = weekStart(windowStartMs);
  const weeks: number[] = [];
  for (let w = first; w <= asOfMs; w += 7 * DAY_MS) weeks.push(w);
  const counts = new Map(weeks.map((w) => [w, 0]));
  let before = 0;
  let neverSeen = 0;
  let holders = 0;
  for (const user of users) {
    if (user.active === false || (user.accountType !== undefined && user.accountType !== "atlassian") || !user.products?.length) continue;
    holders++;
    const at = user.lastActivityAt ? Date.parse(user.lastActivityAt) : NaN;
    if (Number.isNaN(at)) neverSeen++;
    else if (at < first) before++;
    else {
      const week = weekStart(Math.min(at, asOfMs));
      counts.set(week, (counts.get(week) ?? 0) + 1);
    }
  }
  return {
    buckets: weeks.map((w) => ({ weekStart: new Date(w).toISOString().slice(0, 10), holders: counts.get(w) ?? 0 })),
    before,
    neverSeen,
    holders,
  };
}
