/**
 * Adaptive concurrency as a pure state machine (AIMD, as TCP does it): each endpoint starts with a small number of
 * requests in flight, grows by one per window of successes, halves on a 429 and pauses for as long as Atlassian
 * asks. Atlassian has two very different 429s (atlassian-api.md §7): the per-second burst bucket is per endpoint
 * and refills in moments, so only that endpoint slows down; the hourly points quota is shared by everything and
 * refuses all calls until the top of the hour, so the run stops and is reported partial rather than hammering
 * (or sleeping through up to an hour of Lambda time). Every function returns a new state; nothing is mutated.
 */
import { backoffDelay, DEFAULT_RETRY_POLICY, type HeaderReader, type RetryPolicy, serverRequestedWait } from "../../atlassian/http/backoff";

export interface ConcurrencyConfig {
  initial: number;
  min: number;
  max: number;
  /**
   * The width allowed while successful responses describe the endpoint's burst bucket (the gate then paces every
   * attempt by it, so width only has to cover round trips: 100/s at 200 ms needs 20 in flight). Default: `max`.
   */
  maxPaced?: number;
  /**
   * Slow start, as TCP's: until an endpoint's first 429, one more slot per success (the width doubles every round
   * trip) instead of per window of successes. A run's first seconds are then not spent at 2–5 in flight on an
   * endpoint whose bucket starts full. Default off.
   */
  slowStart?: boolean;
  /** A server-requested wait beyond this is treated as quota exhaustion whatever the reason header says. */
  stopAfterWaitMs: number;
  /** Consecutive 429s on one endpoint (no success in between) after which the run stops. */
  maxConsecutiveRateLimits: number;
  /** Backoff used when a 429 names no wait (gateway 429s without `Retry-After`). */
  backoff: RetryPolicy;
  /**
   * 429s within this many ms of the last one that slowed an endpoint belong to the same congestion event (several
   * requests were in flight when the bucket ran dry): they extend the pause but neither halve the limit again nor
   * count towards `maxConsecutiveRateLimits` — one decrease per event, as TCP does per round trip. 0 = every 429
   * counts.
   */
  coalesceMs: number;
}

export const DEFAULT_CONCURRENCY: ConcurrencyConfig = {
  initial: 2,
  min: 1,
  max: 10,
  // The pipeline's own limit for sleeping through a Retry-After: beyond it, waiting is not worth a Lambda's time.
  stopAfterWaitMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  maxConsecutiveRateLimits: DEFAULT_RETRY_POLICY.maxRetries,
  backoff: DEFAULT_RETRY_POLICY,
  coalesceMs: 0,
};

/** `RateLimit-Reason` values of the hourly points quota (current and older names). */
export const QUOTA_REASONS: ReadonlySet<string> = new Set([
  "jira-quota-global-based",
  "jira-quota-tenant-based",
  "jira-quota-based",
  "jira-cost-based",
]);

export interface EndpointState {
  limit: number;
  /** Successes since the limit last changed. */
  successes: number;
  /** Epoch ms before which no new request may start on this endpoint. */
  pausedUntil: number;
  consecutiveRateLimits: number;
  /** Epoch ms of the last 429 that slowed this endpoint (null: none yet). */
  lastSlowedAt: number | null;
}

export type StopReason = "quota-exhausted" | "wait-too-long" | "repeated-rate-limits";

export interface StopInfo {
  reason: StopReason;
  endpoint: string;
  /** `RateLimit-Reason` as sent, for the log and the partial-run reason. */
  rateLimitReason: string | null;
  /** When Atlassian said calls would be accepted again (schedule the next run after it), if it said. */
  resumeAt: number | null;
}

export interface ConcurrencyState {
  endpoints: Readonly<Record<string, EndpointState>>;
  /** Sticky: once stopped, the run makes no more requests. */
  stopped: StopInfo | null;
}

export type RateLimitDecision =
  | { action: "slow"; endpoint: string; limit: number; resumeAt: number; waitMs: number; rateLimitReason: string | null }
  | ({ action: "stop" } & StopInfo);

export type Admission = { action: "start" } | { action: "wait"; untilMs: number } | { action: "full" } | { action: "stop" };

/** A fresh run: no endpoint seen yet (each starts at `config.initial` when first used), not stopped. */
export function initialConcurrency(): ConcurrencyState {
  return { endpoints: {}, stopped: null };
}

function endpointOf(state: ConcurrencyState, endpoint: string, config: ConcurrencyConfig): EndpointState {
  return state.endpoints[endpoint] ?? { limit: config.initial, successes: 0, pausedUntil: 0, consecutiveRateLimits: 0, lastSlowedAt: null };
}

function withEndpoint(state: ConcurrencyState, endpoint: string, value: EndpointState): ConcurrencyState {
  return { ...state, endpoints: { ...state.endpoints, [endpoint]: value } };
}

/** May a new request start on `endpoint` with `inFlight` already running there? */
export function admission(
  state: ConcurrencyState,
  endpoint: string,
  inFlight: number,
  now: number,
  config: ConcurrencyConfig = DEFAULT_CONCURRENCY,
): Admission {
  if (state.stopped) return { action: "stop" };
  const e = endpointOf(state, endpoint, config);
  if (now < e.pausedUntil) return { action: "wait", untilMs: e.pausedUntil };
  return inFlight < e.limit ? { action: "start" } : { action: "full" };
}

/**
 * `admission` split in two for the gate, which checks them at different moments. A *slot* (concurrent pages under
 * `gate.run`) is limited by the endpoint's width only; every *attempt* (first or retry, inside a slot or not) must
 * wait out a pause a 429 caused, so no request is sent into a limit already known. A retry inside a held slot thus
 * never waits for a slot (it already has one), and a slot taken during a pause just waits at its first attempt.
 */
export type SlotAdmission = { action: "start" } | { action: "full" } | { action: "stop" };
export type AttemptAdmission = { action: "start" } | { action: "wait"; untilMs: number } | { action: "stop" };

export function slotAdmission(state: ConcurrencyState, endpoint: string, inFlight: number, config: ConcurrencyConfig = DEFAULT_CONCURRENCY): SlotAdmission {
  if (state.stopped) return { action: "stop" };
  return inFlight < endpointOf(state, endpoint, config).limit ? { action: "start" } : { action: "full" };
}

export function attemptAdmission(state: ConcurrencyState, endpoint: string, now: number, config: ConcurrencyConfig = DEFAULT_CONCURRENCY): AttemptAdmission {
  if (state.stopped) return { action: "stop" };
  const { pausedUntil } = endpointOf(state, endpoint, config);
  return now < pausedUntil ? { action: "wait", untilMs: pausedUntil } : { action: "start" };
}

/** How many slots are free on `endpoint` (0 when stopped): the number of queued callers worth waking. */
export function freeSlots(state: ConcurrencyState, endpoint: string, inFlight: number, config: ConcurrencyConfig = DEFAULT_CONCURRENCY): number {
  if (state.stopped) return 0;
  return Math.max(0, endpointOf(state, endpoint, config).limit - inFlight);
}

/**
 * A successful response: additive increase, one more slot after `limit` successes (one "round" at the current
 * width). `X-RateLimit-NearLimit: true` (under 20 % of the hourly quota left) eases off by one slot instead:
 * spending the rest more slowly gives the top-of-hour reset a chance to arrive before the quota runs out.
 */
export function onSuccess(
  state: ConcurrencyState,
  endpoint: string,
  headers?: HeaderReader,
  config: ConcurrencyConfig = DEFAULT_CONCURRENCY,
  /** The gate paces this endpoint from its bucket's headers: `config.maxPaced` caps the width instead of `max`. */
  paced = false,
): ConcurrencyState {
  const max = paced ? Math.max(config.max, config.maxPaced ?? config.max) : config.max;
  const e = endpointOf(state, endpoint, config);
  if (headers?.get("x-ratelimit-nearlimit")?.trim().toLowerCase() === "true") {
    return withEndpoint(state, endpoint, { ...e, limit: Math.max(config.min, e.limit - 1), successes: 0, consecutiveRateLimits: 0 });
  }
  const successes = e.successes + 1;
  const slowStart = config.slowStart === true && e.lastSlowedAt === null;
  const grow = (slowStart || successes >= e.limit) && e.limit < max;
  return withEndpoint(state, endpoint, {
    ...e,
    limit: grow ? e.limit + 1 : e.limit,
    successes: grow ? 0 : successes,
    consecutiveRateLimits: 0,
  });
}

/**
 * A 429. Quota (`jira-quota-*` reason, or any wait longer than `stopAfterWaitMs`) → stop the run. Otherwise
 * (burst, per-issue, or no reason at all) → halve this endpoint's limit and pause it for the server-requested
 * wait (`Retry-After`, else `X-RateLimit-Reset`), or exponential backoff when the response named none; after
 * `maxConsecutiveRateLimits` in a row without a success in between, stop as well.
 */
export function onRateLimited(
  state: ConcurrencyState,
  endpoint: string,
  headers: HeaderReader,
  now: number,
  config: ConcurrencyConfig = DEFAULT_CONCURRENCY,
  random: () => number = () => 0.5,
): { state: ConcurrencyState; decision: RateLimitDecision } {
  const reasonHeader = headers.get("ratelimit-reason")?.trim() || null;
  const requested = serverRequestedWait(headers, now);
  const resumeAt = requested === undefined ? null : now + requested;
  const stop = (reason: StopReason) => {
    const info: StopInfo = { reason, endpoint, rateLimitReason: reasonHeader, resumeAt };
    return { state: { ...state, stopped: state.stopped ?? info }, decision: { action: "stop" as const, ...info } };
  };
  if (reasonHeader !== null && QUOTA_REASONS.has(reasonHeader.toLowerCase())) return stop("quota-exhausted");
  if (requested !== undefined && requested > config.stopAfterWaitMs) return stop("wait-too-long");
  const e = endpointOf(state, endpoint, config);
  if (config.coalesceMs > 0 && e.lastSlowedAt !== null && now - e.lastSlowedAt < config.coalesceMs) {
    const pausedUntil = Math.max(e.pausedUntil, now + (requested ?? 0));
    const next = withEndpoint(state, endpoint, { ...e, pausedUntil });
    return { state: next, decision: { action: "slow", endpoint, limit: e.limit, resumeAt: pausedUntil, waitMs: pausedUntil - now, rateLimitReason: reasonHeader } };
  }
  const consecutive = e.consecutiveRateLimits + 1;
  if (consecutive > config.maxConsecutiveRateLimits) return stop("repeated-rate-limits");
  const waitMs = requested ?? backoffDelay(consecutive - 1, config.backoff, random);
  const limit = Math.max(config.min, Math.floor(e.limit / 2));
  // A later 429 with a shorter wait must not shorten a pause already in force.
  const pausedUntil = Math.max(e.pausedUntil, now + waitMs);
  const next = withEndpoint(state, endpoint, { limit, successes: 0, pausedUntil, consecutiveRateLimits: consecutive, lastSlowedAt: now });
  return { state: next, decision: { action: "slow", endpoint, limit, resumeAt: pausedUntil, waitMs, rateLimitReason: reasonHeader } };
}
