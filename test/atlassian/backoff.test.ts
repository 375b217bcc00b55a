import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRateLimitReset,
  parseRetryAfter,
  type RetryPolicy,
} from "../../atlassian";

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const NOW = Date.parse("2026-11-28T12:00:00Z");
const policy: RetryPolicy = DEFAULT_RETRY_POLICY;
const mid = () => 0.5;

describe("Retry-After and X-RateLimit-Reset parsing", () => {
  test("delta seconds, HTTP date, garbage", () => {
    expect(parseRetryAfter("5", NOW)).toBe(5000);
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
    expect(parseRetryAfter("Sat, 28 Nov 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 11:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRateLimitReset("2026-11-28T12:00:10Z", NOW)).toBe(10_000);
    expect(parseRateLimitReset("nope", NOW)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  test("exponential from 2 s, capped at 30 s, jitter 0.7-1.3", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, mid))).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(0, policy, () => 0)).toBe(1400);
    expect(backoffDelay(0, policy, () => 1)).toBe(2600);
  });
});

describe("decideRetry", () => {
  const response = (status: number, h: Record<string, string> = {}) => ({ kind: "response" as const, status, headers: headers(h) });

  test("429 honours Retry-After, then X-RateLimit-Reset, then backoff", () => {
    expect(decideRetry(response(429, { "retry-after": "3" }), 0, "idempotent", policy, NOW, mid)).toEqual({
      retry: true,
      delayMs: 3000,
      reason: "rate-limited",
    });
    expect(decideRetry(response(429, { "x-ratelimit-reset": "2026-11-28T12:00:07Z" }), 0, "idempotent", policy, NOW, mid)).toMatchObject({ delayMs: 7000 });
    expect(decideRetry(response(429), 2, "idempotent", policy, NOW, mid)).toMatchObject({ retry: true, delayMs: 8000 });
  });

  test("429 is retried even for calls that must not repeat after an unknown outcome", () => {
    expect(decideRetry(response(429, { "retry-after": "1" }), 0, "rate-limit-only", policy, NOW, mid)).toMatchObject({ retry: true });
    expect(decideRetry(response(503), 0, "rate-limit-only", policy, NOW, mid)).toEqual({ retry: false, reason: "not-retryable" });
    expect(decideRetry({ kind: "timeout" }, 0, "rate-limit-only", policy, NOW, mid)).toEqual({ retry: false, reason: "not-retryable" });
  });

  test("a wait longer than the maximum is not slept through", () => {
    expect(decideRetry(response(429, { "retry-after": "1847" }), 0, "idempotent", policy, NOW, mid)).toEqual({
      retry: false,
      reason: "wait-too-long",
      waitMs: 1_847_000,
    });
  });

  test("bounded: no retry after maxRetries", () => {
    expect(decideRetry(response(500), 4, "idempotent", policy, NOW, mid)).toMatchObject({ retry: false, reason: "retries-exhausted" });
    expect(decideRetry(response(500), 3, "idempotent", policy, NOW, mid)).toMatchObject({ retry: true, reason: "http-500" });
  });

  test("5xx honours Retry-After; network errors and timeouts back off", () => {
    expect(decideRetry(response(503, { "retry-after": "2" }), 0, "idempotent", policy, NOW, mid)).toMatchObject({ delayMs: 2000 });
    expect(decideRetry({ kind: "network-error", code: "ECONNRESET" }, 1, "idempotent", policy, NOW, mid)).toEqual({
      retry: true,
      delayMs: 4000,
      reason: "network-ECONNRESET",
    });
    expect(decideRetry({ kind: "timeout" }, 0, "idempotent", policy, NOW, mid)).toMatchObject({ retry: true, reason: "timeout" });
  });

  test.each([200, 201, 302, 400, 401, 403, 404, 409, 410])("never retries HTTP %i", (status) => {
    expect(decideRetry(response(status), 0, "idempotent", policy, NOW, mid)).toEqual({ retry: false, reason: "final" });
  });
});

describe("typed errors", () => {
  test("name, code and retryable are set explicitly (they must survive minification and closure serialization)", () => {
    const { RateLimitedError, MissingScopesError, AtlassianError } = require("../../atlassian");
    const limited = new RateLimitedError("GET /x", 1000, "jira-burst-based");
    expect(limited).toBeInstanceOf(AtlassianError);
    expect(limited).toMatchObject({ name: "RateLimitedError", code: "RATE_LIMITED", retryable: true, status: 429, operation: "GET /x" });
    expect(String(limited)).toMatch(/^RateLimitedError: Atlassian rate-limited GET \/x/);
    expect(new MissingScopesError(["a", "b"])).toMatchObject({ name: "MissingScopesError", retryable: false, missing: ["a", "b"] });
  });
});
