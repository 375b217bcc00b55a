/**
 * The emulator's own record of requests sent into a rate limit it had announced, so a test or benchmark need not
 * trust the client's counters. Every 429 with `Retry-After` opens a window on its route (site × method × endpoint
 * template) from the moment the answer was written until `Retry-After` elapses; a request on that route arriving
 * inside the window is counted:
 *
 * - `duringKnownLimit` when it arrived more than `overlapMs` after the 429 was written: the client had the answer
 *   and sent anyway (a retry during the pause, a new page during the pause);
 * - `inFlightAtLimit` when it arrived within `overlapMs` (default 250): it may have been on its way before the client
 *   read the 429 — on a busy event loop a request sent at the same moment as the limited one, on a new connection,
 *   was seen arriving 60 ms after the 429 was written. The allowed overlap. A client that ignores a pause keeps
 *   sending through the whole window (at least 1 s), and a retry after backoff comes later still, so both are caught.
 *
 * Times are the burst buckets' monotonic milliseconds, so jumps of the emulator clock do not open or close windows.
 */

export interface LimitLedgerCounts {
  /** 429s that named a wait (`Retry-After`), i.e. opened a window. */
  announced: number;
  duringKnownLimit: number;
  inFlightAtLimit: number;
}

export class LimitLedger {
  private readonly windows = new Map<string, { since: number; until: number }>();
  private counts: LimitLedgerCounts = { announced: 0, duringKnownLimit: 0, inFlightAtLimit: 0 };
  /** The requests counted as sent into a limit: route and ms after the 429, for a failing test to show. */
  readonly violations: { route: string; afterMs: number }[] = [];

  constructor(
    private readonly now: () => number,
    /** Arrivals this soon after the 429 was written count as overlap (see above). */
    public overlapMs = 250,
  ) {}

  get totals(): LimitLedgerCounts {
    return { ...this.counts };
  }

  reset(): void {
    this.windows.clear();
    this.violations.splice(0);
    this.counts = { announced: 0, duringKnownLimit: 0, inFlightAtLimit: 0 };
  }

  /** A request arrived on `route`. */
  arrived(route: string): void {
    const window = this.windows.get(route);
    if (!window) return;
    const now = this.now();
    if (now >= window.until) return void this.windows.delete(route);
    if (now - window.since < this.overlapMs) this.counts.inFlightAtLimit++;
    else {
      this.counts.duringKnownLimit++;
      this.violations.push({ route: route.replace(/\u0000/g, " "), afterMs: Math.round(now - window.since) });
    }
  }

  /** A 429 asking for `retryAfterSeconds` was just written on `route`. */
  announced(route: string, retryAfterSeconds: number): void {
    const now = this.now();
    const until = now + retryAfterSeconds * 1000;
    const open = this.windows.get(route);
    // A later 429 inside an open window extends it; its own overlap allowance starts with it.
    this.windows.set(route, { since: now, until: Math.max(until, open?.until ?? 0) });
    this.counts.announced++;
  }
}

/** The ledger's route for a request: the same granularity as the burst buckets and the client's gate. */
export function ledgerRoute(site: string | undefined, method: string, template: string): string {
  return `${site ?? ""}\u0000${method}\u0000${template}`;
}
