/**
 * The rotation protocol's decisions, as pure functions of (record, request, now). `rotateUnderLease` executes them.
 *
 * A token is *fresh* (stored, never presented), *claimed* (a lease: one run is about to present it), *at risk*
 * (presented by a run that did not store the outcome: Atlassian may have rotated it at the earliest presentation,
 * so it is usable only until then + the 10-minute leeway), *rotated* (its successor is stored; it is gone from the
 * record) or *rejected* (Atlassian answered `invalid_grant`: a new consent is needed).
 *
 * Invariants these rules protect:
 * - one presenter at a time: a claim is refused while another run's lease holds, and a holder re-enters only a
 *   claim it abandoned (never one still running in this process);
 * - no presentation past a deadline it could know: every lease ends before the earliest live deadline;
 * - deadlines survive: presentations are kept across takeovers and across answers that did not rotate.
 */
import type { RefreshTokenRecord, TokenLease } from "./types";

/** Atlassian keeps a rotated-out refresh token usable for 10 minutes (atlassian-api.md §3.3). */
export const LEEWAY_MS = 10 * 60 * 1000;
export const DEFAULT_LEASE_MS = 5 * 60 * 1000;
/** Room for the exchange and the persist to finish before the leeway ends. */
export const LEASE_SAFETY_MARGIN_MS = 60 * 1000;
/** A record dated further ahead than this was written by a fast clock. */
export const MAX_RECORD_AHEAD_MS = 5 * 60 * 1000;
/** A writer whose clock is further off the server's than this claims nothing: the times it records would mislead takeovers. */
export const MAX_CLOCK_SKEW_MS = 60 * 1000;

/** What a run wants to present: the stored token, or a configured one identified by its seed fingerprint. */
export type ClaimTarget = { kind: "stored" } | { kind: "configured"; seededFrom: string };

/** Presentations of the target's token whose outcome was never stored. */
export function riskyPresentations(record: RefreshTokenRecord, target: ClaimTarget): string[] {
  if (target.kind === "configured") {
    return record.seeding?.seededFrom === target.seededFrom ? [...record.seeding.presentedAt] : [];
  }
  const presented = [...(record.presentedAt ?? [])];
  // Records from before `presentedAt`: the lease carried claim time + leeway instead.
  const legacy = record.lease?.leewayEndsBy;
  if (legacy !== undefined) presented.push(new Date(Date.parse(legacy) - LEEWAY_MS).toISOString());
  return presented;
}

/** The earliest moment after which presenting the token may revoke the grant; `undefined` when it is fresh. */
export function deadlineOf(presentedAt: readonly string[]): number | undefined {
  if (presentedAt.length === 0) return undefined;
  return Math.min(...presentedAt.map((t) => Date.parse(t))) + LEEWAY_MS;
}

export type ClaimDecision =
  | { kind: "held"; holder: string; until: string }
  | {
      kind: "claim";
      lease: TokenLease;
      /** Presentations after this claim's own (recorded now, before presenting). */
      presentedAt: string[];
      deadline: number;
      /** The token was at risk before this claim (a takeover after a crash or a lost answer). */
      takingOver: boolean;
      /** At risk and past its deadline: if it had rotated, its successor is lost; presenting is the last resort. */
      pastDeadline: boolean;
    };

export interface ClaimRequest {
  target: ClaimTarget;
  holder: string;
  claim: string;
  now: number;
  leaseMs: number;
  /** Whether a claim by `holder` is still running in this process. */
  holderRunningHere: boolean;
}

/** Decides whether `request` may claim `record`, and the lease it writes. */
export function decideClaim(record: RefreshTokenRecord, request: ClaimRequest): ClaimDecision {
  const { now, holder } = request;
  const lease = record.lease;
  if (lease && Date.parse(lease.until) > now && (lease.holder !== holder || request.holderRunningHere)) {
    return { kind: "held", holder: lease.holder, until: lease.until };
  }
  const earlier = riskyPresentations(record, request.target);
  const previousDeadline = deadlineOf(earlier);
  const takingOver = previousDeadline !== undefined;
  const pastDeadline = previousDeadline !== undefined && previousDeadline <= now;
  // A deadline already past protects nothing more: claim with a full lease rather than a zero-length one.
  const deadline = previousDeadline !== undefined && !pastDeadline ? previousDeadline : now + LEEWAY_MS;
  return {
    kind: "claim",
    lease: { holder, claim: request.claim, until: new Date(leaseEnd(now, request.leaseMs, deadline)).toISOString() },
    presentedAt: pastDeadline ? [new Date(now).toISOString()] : [...earlier.filter(isIso), new Date(now).toISOString()],
    deadline,
    takingOver,
    pastDeadline,
  };
}

/** A lease ends `leaseMs` from now, but never later than the deadline less the safety margin (or the deadline). */
export function leaseEnd(now: number, leaseMs: number, deadline: number): number {
  let cap = deadline - LEASE_SAFETY_MARGIN_MS;
  if (cap <= now) cap = deadline; // inside the last minute: still exclusive up to the deadline itself
  return Math.max(now, Math.min(now + leaseMs, cap));
}

/**
 * Until when a holder keeps retrying to persist a successor: shortly before the presented token's deadline. Later,
 * another run may take over and present it, and our successor would then be retired anyway.
 */
export function persistBudgetEnds(deadline: number, now: number): number {
  return Math.max(now, deadline - LEASE_SAFETY_MARGIN_MS / 2);
}

/**
 * Exponential backoff for in-run retries: 1 s, 2 s, 4 s … capped at 15 s. The last wait is cut short so that a final
 * attempt comes at `budgetEnd` itself (an outage that ends seconds before it is not wasted); none after it.
 */
export function retryDelay(attempt: number, now: number, budgetEnd: number): number | undefined {
  if (now >= budgetEnd) return undefined;
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1), budgetEnd - now);
}

function isIso(value: string): boolean {
  return !Number.isNaN(Date.parse(value));
}
