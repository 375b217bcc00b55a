/**
 * Rate limits of atlassian-api.md §7: a burst token bucket per site × endpoint template × method (all callers),
 * and an hourly points quota per OAuth app (Tier 1: shared by all tenants, reset at the top of the UTC hour).
 * API-token (Basic) traffic pays no points.
 */
import { Clock, HOUR } from "./clock";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RateLimitModes {
  rateLimitWithoutRetryAfter: boolean;
  rateLimitHtmlBody: boolean;
  betaHeaders: boolean;
}

export type RateLimitReason = "jira-burst-based" | "jira-quota-global-based" | string;

interface Bucket {
  tokens: number;
  at: number;
}

export type BurstResult = { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterMs: number };
export type QuotaState = { limit: number; remaining: number; resetAt: number };

/** Atlassian's published burst defaults per method; `GET /user` has a raised limit. */
function defaultRate(method: string, template: string): number {
  if (method === "GET" && template === "/rest/api/3/user") return 150;
  return method === "PUT" || method === "DELETE" ? 50 : 100;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly points = new Map<string, { hour: number; used: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number | undefined,
    readonly pointsPerHour: number,
  ) {}

  /** Takes one token from the bucket of (site, template, method). */
  burst(site: string, template: string, method: string): BurstResult {
    const rate = this.perSecond ?? defaultRate(method, template);
    const key = `${site}\u0000${method}\u0000${template}`;
    const now = this.clock.monotonic();
    const bucket = this.buckets.get(key) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) * rate) / 1000);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return { ok: false, limit: rate, retryAfterMs: ((1 - bucket.tokens) * 1000) / rate };
    bucket.tokens -= 1;
    return { ok: true, limit: rate, remaining: Math.floor(bucket.tokens) };
  }

  quota(clientId: string): QuotaState {
    const now = this.clock.now();
    const hour = Math.floor(now / HOUR);
    const entry = this.points.get(clientId);
    const used = entry && entry.hour === hour ? entry.used : 0;
    return { limit: this.pointsPerHour, remaining: Math.max(0, this.pointsPerHour - used), resetAt: (hour + 1) * HOUR };
  }

  /** Points are charged after the response is built (cost depends on what was returned), so a page may overshoot. */
  charge(clientId: string, points: number): void {
    const hour = Math.floor(this.clock.now() / HOUR);
    const entry = this.points.get(clientId);
    if (!entry || entry.hour !== hour) this.points.set(clientId, { hour, used: points });
    else entry.used += points;
  }
}

/** 1 point per request + 1 per core object + 2 per identity object (users, groups, permissions). */
export function pointsCost(core: number, identity: number): number {
  return 1 + core + 2 * identity;
}

export function rateLimitedReply(
  opts: { reason: RateLimitReason; retryAfterSeconds: number | null; limit: number; resetAt: number },
  modes: RateLimitModes,
): Reply {
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(opts.limit),
    "X-RateLimit-Remaining": "0",
    "RateLimit-Reason": opts.reason,
  };
  if (modes.rateLimitWithoutRetryAfter || opts.retryAfterSeconds === null) {
    // Gateway-level 429 seen in the April 2026 incident: no Retry-After, no reset.
    headers["X-Failure-Category"] = "FAILURE CLIENT RATE LIMITED";
  } else {
    headers["Retry-After"] = String(opts.retryAfterSeconds);
    headers["X-RateLimit-Reset"] = new Date(opts.resetAt).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if (modes.rateLimitHtmlBody) {
    headers["Content-Type"] = "text/html;charset=UTF-8";
    return { status: 429, headers, body: "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>" };
  }
  headers["Content-Type"] = "application/json;charset=UTF-8";
  // [A] Atlassian's 429 bodies are not standardised; an ErrorCollection is the most common JSON form.
  return { status: 429, headers, body: JSON.stringify({ errorMessages: ["Rate limit exceeded."], errors: {} }) };
}

/** Headers on normal Jira responses: the quota for OAuth traffic, the burst bucket otherwise. */
export function normalRateHeaders(state: { limit: number; remaining: number; resetAt?: number; quota: boolean }, modes: RateLimitModes, now: number): Record<string, string> {
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(state.limit),
    "X-RateLimit-Remaining": String(state.remaining),
  };
  if (state.remaining < state.limit * 0.2) headers["X-RateLimit-NearLimit"] = "true";
  if (state.quota && state.resetAt !== undefined) {
    const t = Math.max(0, Math.ceil((state.resetAt - now) / 1000));
    headers["RateLimit-Policy"] = `"global-app-quota";q=${state.limit};w=3600`;
    headers["RateLimit"] = `"global-app-quota";r=${state.remaining};t=${t}`;
    if (modes.betaHeaders) {
      headers["Beta-RateLimit-Policy"] = headers["RateLimit-Policy"];
      headers["Beta-RateLimit"] = headers["RateLimit"];
    }
  }
  return headers;
}
