import {
  admission,
  type ConcurrencyState,
  DEFAULT_CONCURRENCY,
  initialConcurrency,
  onRateLimited,
  onSuccess,
} from "../../../collector/decisions/concurrency";
import { headers } from "./fixtures";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const USERS = "GET /rest/api/3/users/search";
const AUDIT = "GET /rest/api/3/auditing/record";

function succeed(state: ConcurrencyState, endpoint: string, times: number): ConcurrencyState {
  for (let i = 0; i < times; i++) state = onSuccess(state, endpoint);
  return state;
}

describe("additive increase", () => {
  test("starts at 2 and grows by one per window of successes, up to the max", () => {
    let s = initialConcurrency();
    expect(admission(s, USERS, 1, NOW)).toEqual({ action: "start" });
    expect(admission(s, USERS, 2, NOW)).toEqual({ action: "full" });
    s = succeed(s, USERS, 2);
    expect(s.endpoints[USERS].limit).toBe(3);
    s = succeed(s, USERS, 3);
    expect(s.endpoints[USERS].limit).toBe(4);
    s = succeed(s, USERS, 1000);
    expect(s.endpoints[USERS].limit).toBe(DEFAULT_CONCURRENCY.max);
  });

  test("X-RateLimit-NearLimit eases off by one, never below the minimum", () => {
    let s = succeed(initialConcurrency(), USERS, 5);
    const before = s.endpoints[USERS].limit;
    s = onSuccess(s, USERS, headers({ "X-RateLimit-NearLimit": "true" }));
    expect(s.endpoints[USERS].limit).toBe(before - 1);
    for (let i = 0; i < 10; i++) s = onSuccess(s, USERS, headers({ "X-RateLimit-NearLimit": "true" }));
    expect(s.endpoints[USERS].limit).toBe(DEFAULT_CONCURRENCY.min);
  });

  test("state is never mutated", () => {
    const s = initialConcurrency();
    const t = onSuccess(s, USERS);
    expect(s.endpoints).toEqual({});
    expect(t).not.toBe(s);
  });
});

describe("429: burst slows one endpoint", () => {
  test("halves the limit and pauses for Retry-After", () => {
    const s = succeed(initialConcurrency(), USERS, 2 + 3 + 4 + 5); // limit 6
    expect(s.endpoints[USERS].limit).toBe(6);
    const { state, decision } = onRateLimited(s, USERS, headers({ "Retry-After": "3", "RateLimit-Reason": "jira-burst-based" }), NOW);
    expect(decision).toEqual({ action: "slow", endpoint: USERS, limit: 3, resumeAt: NOW + 3000, waitMs: 3000, rateLimitReason: "jira-burst-based" });
    expect(admission(state, USERS, 0, NOW + 2999)).toEqual({ action: "wait", untilMs: NOW + 3000 });
    expect(admission(state, USERS, 0, NOW + 3000)).toEqual({ action: "start" });
    // Another endpoint is untouched.
    expect(admission(state, AUDIT, 0, NOW)).toEqual({ action: "start" });
    expect(state.stopped).toBeNull();
  });

  test("X-RateLimit-Reset is used when Retry-After is absent", () => {
    const h = headers({ "X-RateLimit-Reset": "2026-06-01T12:00:05Z", "RateLimit-Reason": "jira-burst-based" });
    expect(onRateLimited(initialConcurrency(), USERS, h, NOW).decision).toMatchObject({ action: "slow", waitMs: 5000 });
  });

  test("a 429 without any header backs off exponentially (2 s, 4 s, 8 s…)", () => {
    let s = initialConcurrency();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = onRateLimited(s, USERS, headers({ "X-Failure-Category": "FAILURE CLIENT RATE LIMITED" }), NOW);
      s = r.state;
      if (r.decision.action === "slow") waits.push(r.decision.waitMs);
    }
    expect(waits).toEqual([2000, 4000, 8000]);
    expect(s.endpoints[USERS].limit).toBe(1);
  });

  test("halving never goes below the minimum; a shorter later wait does not shorten the pause", () => {
    let { state } = onRateLimited(initialConcurrency(), USERS, headers({ "Retry-After": "10" }), NOW);
    ({ state } = onRateLimited(state, USERS, headers({ "Retry-After": "1" }), NOW));
    expect(state.endpoints[USERS]).toMatchObject({ limit: 1, pausedUntil: NOW + 10_000 });
  });

  test("too many 429s in a row stop the run; a success in between resets the count", () => {
    let s = initialConcurrency();
    for (let i = 0; i < DEFAULT_CONCURRENCY.maxConsecutiveRateLimits; i++) {
      s = onRateLimited(s, USERS, headers({ "Retry-After": "1" }), NOW).state;
    }
    expect(onRateLimited(onSuccess(s, USERS), USERS, headers({ "Retry-After": "1" }), NOW).decision.action).toBe("slow");
    const r = onRateLimited(s, USERS, headers({ "Retry-After": "1" }), NOW);
    expect(r.decision).toMatchObject({ action: "stop", reason: "repeated-rate-limits" });
  });
});

describe("429: the hourly quota stops the run", () => {
  test.each(["jira-quota-global-based", "jira-quota-tenant-based", "jira-quota-based", "jira-cost-based"])("%s", (reason) => {
    const h = headers({ "Retry-After": "1847", "X-RateLimit-Reset": "2026-06-01T13:00:00Z", "RateLimit-Reason": reason });
    const { state, decision } = onRateLimited(initialConcurrency(), AUDIT, h, NOW);
    expect(decision).toEqual({ action: "stop", reason: "quota-exhausted", endpoint: AUDIT, rateLimitReason: reason, resumeAt: NOW + 1_847_000 });
    expect(admission(state, USERS, 0, NOW + 3_600_000)).toEqual({ action: "stop" });
  });

  test("quota without a wait header still stops, with no resume time", () => {
    const { decision } = onRateLimited(initialConcurrency(), AUDIT, headers({ "RateLimit-Reason": "jira-quota-global-based" }), NOW);
    expect(decision).toMatchObject({ action: "stop", reason: "quota-exhausted", resumeAt: null });
  });

  test("any wait beyond the threshold is treated as the quota, whatever the reason", () => {
    const { decision } = onRateLimited(initialConcurrency(), USERS, headers({ "Retry-After": "61" }), NOW);
    expect(decision).toMatchObject({ action: "stop", reason: "wait-too-long", rateLimitReason: null, resumeAt: NOW + 61_000 });
    const burstLong = onRateLimited(initialConcurrency(), USERS, headers({ "Retry-After": "600", "RateLimit-Reason": "jira-burst-based" }), NOW);
    expect(burstLong.decision.action).toBe("stop");
    const atThreshold = onRateLimited(initialConcurrency(), USERS, headers({ "Retry-After": "60" }), NOW);
    expect(atThreshold.decision.action).toBe("slow");
  });

  test("the first stop is kept (sticky)", () => {
    const first = onRateLimited(initialConcurrency(), AUDIT, headers({ "RateLimit-Reason": "jira-quota-tenant-based" }), NOW).state;
    const second = onRateLimited(first, USERS, headers({ "Retry-After": "3600" }), NOW).state;
    expect(second.stopped).toMatchObject({ reason: "quota-exhausted", endpoint: AUDIT });
  });
});

describe("429s of one congestion event coalesce (coalesceMs)", () => {
  const config = { ...DEFAULT_CONCURRENCY, coalesceMs: 200 };

  test("429s from requests already in flight extend the pause but halve once and count once", () => {
    let s = succeed(initialConcurrency(), USERS, 2 + 3 + 4 + 5); // limit 6
    for (let i = 0; i < 6; i++) s = onRateLimited(s, USERS, headers({ "Retry-After": String(i) }), NOW + i * 10, config).state;
    expect(s.endpoints[USERS]).toMatchObject({ limit: 3, consecutiveRateLimits: 1, pausedUntil: NOW + 50 + 5000 });
    expect(s.stopped).toBeNull();
  });

  test("a 429 after the window is a new event: halves again and counts", () => {
    let s = succeed(initialConcurrency(), USERS, 2 + 3 + 4 + 5);
    s = onRateLimited(s, USERS, headers({ "Retry-After": "0" }), NOW, config).state;
    s = onRateLimited(s, USERS, headers({ "Retry-After": "0" }), NOW + 200, config).state;
    expect(s.endpoints[USERS]).toMatchObject({ limit: 1, consecutiveRateLimits: 2 });
  });

  test("a persistent storm still stops the run, one count per window", () => {
    let s = initialConcurrency();
    let last: ReturnType<typeof onRateLimited>["decision"] | undefined;
    for (let i = 0; i <= config.maxConsecutiveRateLimits; i++) {
      const r = onRateLimited(s, USERS, headers({ "Retry-After": "0" }), NOW + i * 1000, config);
      s = r.state;
      last = r.decision;
    }
    expect(last).toMatchObject({ action: "stop", reason: "repeated-rate-limits" });
  });

  test("the quota stops the run even inside a window", () => {
    let s = onRateLimited(initialConcurrency(), USERS, headers({ "Retry-After": "1" }), NOW, config).state;
    const r = onRateLimited(s, USERS, headers({ "Retry-After": "1800", "RateLimit-Reason": "jira-quota-global-based" }), NOW + 5, config);
    s = r.state;
    expect(r.decision).toMatchObject({ action: "stop", reason: "quota-exhausted" });
    expect(s.stopped).not.toBeNull();
  });
});
