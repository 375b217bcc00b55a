/**
 * Pacing from the burst bucket's own headers, so concurrent pages do not run into 429s in the first place. A 429
 * costs a whole `Retry-After` (Atlassian gives whole seconds, so at least 1 s) on an endpoint that refills 100
 * tokens per second; a client that mirrors the bucket loses nothing.
 *
 * Successful responses carry `X-RateLimit-Limit` (the bucket's refill per second) and `X-RateLimit-Remaining`
 * (tokens left) for burst-limited traffic (API-token reads). OAuth responses carry the hourly quota in the same
 * headers, marked by `RateLimit-Policy`; those are not a per-second bucket and are ignored here (the quota is
 * handled by stopping, see concurrency.ts). Pure functions over a small state; the gate keeps one per endpoint.
 */
import type { HeaderReader } from "../../atlassian/http/backoff";

export interface MirrorBucket {
  /** Estimated tokens left (may be fractional; negative while requests we sent are still to be counted). */
  tokens: number;
  /** Refill per second, from `X-RateLimit-Limit`. */
  perSecond: number;
  /** Epoch ms of the estimate. */
  at: number;
}

/** The longest a request is held back by pacing: a misread header must never stall a run. */
export const MAX_PACING_WAIT_MS = 1000;

/**
 * The bucket as a successful response describes it, or undefined when the response carries no burst budget.
 * `othersInFlight`: requests already sent on this endpoint whose tokens the server may not have counted yet.
 */
export function mirrorFromHeaders(headers: HeaderReader, othersInFlight: number, now: number): MirrorBucket | undefined {
  if (headers.get("ratelimit-policy") !== null) return undefined;
  const perSecond = Number(headers.get("x-ratelimit-limit"));
  const remaining = Number(headers.get("x-ratelimit-remaining"));
  if (!Number.isFinite(perSecond) || perSecond <= 0 || !Number.isFinite(remaining) || remaining < 0) return undefined;
  return { tokens: Math.min(perSecond, remaining) - othersInFlight, perSecond, at: now };
}

/**
 * May a request start now? Refills the estimate, then either takes a token (`waitMs: 0`) or says how long until one
 * is there (capped at `MAX_PACING_WAIT_MS`).
 */
export function takeToken(bucket: MirrorBucket, now: number): { bucket: MirrorBucket; waitMs: number } {
  const tokens = Math.min(bucket.perSecond, bucket.tokens + (Math.max(0, now - bucket.at) * bucket.perSecond) / 1000);
  if (tokens >= 1) return { bucket: { ...bucket, tokens: tokens - 1, at: now }, waitMs: 0 };
  const waitMs = Math.min(MAX_PACING_WAIT_MS, Math.ceil(((1 - tokens) * 1000) / bucket.perSecond));
  return { bucket: { ...bucket, tokens, at: now }, waitMs };
}
