/**
 * Bookkeeping for "zero requests into a known limit": once a 429 has arrived on a route, no attempt may start on
 * that route until the pause it caused is over. Requests that were already on their way when the 429 arrived cannot
 * be recalled; they are the only exposure allowed and are counted apart. Both figures are judged from when each
 * attempt *started* (the pipeline reports it with every response), not from the gate's own admission decisions, so a
 * call that bypassed the gate is still counted. Pure functions over a small per-route state.
 */

/** One known limit: from the moment its 429 arrived until the pause it caused ends (epoch ms). */
export interface LimitWindow {
  since: number;
  until: number;
}

export interface KnownLimits {
  /** Newest last; a handful at most (older ones are dropped, see `MAX_WINDOWS`). */
  windows: readonly LimitWindow[];
}

/** Attempts outlive a window by at most their timeout; a few dozen windows per route cover any real run. */
export const MAX_WINDOWS = 32;

export const NO_LIMITS: KnownLimits = { windows: [] };

export type AttemptClass = "during-known-limit" | "in-flight-at-limit" | "clear";

/**
 * A 429 arrived at `since` and paused the route until `until`. A 429 inside the current window (concurrent pages
 * that hit the same empty bucket) extends that window rather than opening a new one.
 */
export function recordLimit(limits: KnownLimits, since: number, until: number): KnownLimits {
  const last = limits.windows[limits.windows.length - 1];
  if (last && since < last.until) {
    return { windows: [...limits.windows.slice(0, -1), { since: last.since, until: Math.max(last.until, until) }] };
  }
  return { windows: [...limits.windows, { since, until: Math.max(since, until) }].slice(-MAX_WINDOWS) };
}

/**
 * What an answered attempt was, given when it started and when its answer arrived: started inside a known limit (a
 * violation: the client knew and sent anyway), started before a limit that became known while it was on its way (the
 * unavoidable overlap), or neither.
 */
export function classifyAttempt(limits: KnownLimits, startedAt: number, answeredAt: number): AttemptClass {
  for (const w of limits.windows) if (startedAt >= w.since && startedAt < w.until) return "during-known-limit";
  for (const w of limits.windows) if (startedAt < w.since && answeredAt >= w.since) return "in-flight-at-limit";
  return "clear";
}

export interface LimitStats {
  /** Attempts started on a route while a 429 it had received was still in force. Must be 0. */
  sentDuringKnownLimit: number;
  /** Attempts already on their way when a 429 on their route arrived (the overlap; allowed). */
  inFlightAtRateLimit: number;
}

export function countAttempt(stats: LimitStats, kind: AttemptClass): LimitStats {
  if (kind === "during-known-limit") return { ...stats, sentDuringKnownLimit: stats.sentDuringKnownLimit + 1 };
  if (kind === "in-flight-at-limit") return { ...stats, inFlightAtRateLimit: stats.inFlightAtRateLimit + 1 };
  return stats;
}
