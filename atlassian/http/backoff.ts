/**
 * Retry decisions as pure functions (Atlassian's guidance, atlassian-api.md §7): honour `Retry-After` (seconds or
 * an HTTP date), else wait for `X-RateLimit-Reset`, else exponential backoff from 2 s with 0.7–1.3 jitter, capped at
 * 30 s, at most 4 retries. Never retry a 4xx other than 429.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitterMin: number;
  jitterMax: number;
  /** A server-requested wait longer than this is not slept through; the caller gets a RateLimitedError instead. */
  maxRetryAfterMs: number;
  /** Per-attempt timeout, covering headers and body. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  jitterMin: 0.7,
  jitterMax: 1.3,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
};

/**
 * `idempotent`: retry 429, 5xx, network errors and timeouts. `rate-limit-only`: retry 429 only — for calls whose
 * repetition after an unknown outcome is harmful (an authorization code is single-use).
 */
export type RetryMode = "idempotent" | "rate-limit-only";

export interface HeaderReader {
  get(name: string): string | null;
}

export type AttemptOutcome =
  | { kind: "response"; status: number; headers: HeaderReader }
  | { kind: "network-error"; code: string }
  | { kind: "timeout" };

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: "final" | "not-retryable" | "retries-exhausted" | "wait-too-long"; waitMs?: number };

/** Milliseconds to wait according to `Retry-After` (delta-seconds or HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds until `X-RateLimit-Reset` (ISO-8601), or undefined. */
export function parseRateLimitReset(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff for the `attempt`-th retry (0-based) with multiplicative jitter. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jitter = policy.jitterMin + random() * (policy.jitterMax - policy.jitterMin);
  return Math.round(exponential * jitter);
}

/** The server-requested wait of a response, if it named one. */
export function serverRequestedWait(headers: HeaderReader, now: number): number | undefined {
  return parseRetryAfter(headers.get("retry-after"), now) ?? parseRateLimitReset(headers.get("x-ratelimit-reset"), now);
}

export function decideRetry(
  outcome: AttemptOutcome,
  retriesSoFar: number,
  mode: RetryMode,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): RetryDecision {
  let reason: string;
  let requested: number | undefined;
  if (outcome.kind === "response") {
    const { status } = outcome;
    if (status === 429) {
      reason = "rate-limited";
      requested = serverRequestedWait(outcome.headers, now);
    } else if (status >= 500 && status <= 599) {
      if (mode !== "idempotent") return { retry: false, reason: "not-retryable" };
      reason = `http-${status}`;
      requested = parseRetryAfter(outcome.headers.get("retry-after"), now);
    } else {
      return { retry: false, reason: "final" };
    }
  } else {
    if (mode !== "idempotent") return { retry: false, reason: "not-retryable" };
    reason = outcome.kind === "timeout" ? "timeout" : `network-${outcome.code}`;
  }
  if (retriesSoFar >= policy.maxRetries) return { retry: false, reason: "retries-exhausted", waitMs: requested };
  if (requested !== undefined && requested > policy.maxRetryAfterMs) {
    return { retry: false, reason: "wait-too-long", waitMs: requested };
  }
  return { retry: true, delayMs: requested ?? backoffDelay(retriesSoFar, policy, random), reason };
}
