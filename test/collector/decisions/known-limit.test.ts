import { classifyAttempt, countAttempt, MAX_WINDOWS, NO_LIMITS, recordLimit } from "../../../collector/decisions/known-limit";
import { attemptAdmission, DEFAULT_CONCURRENCY, freeSlots, initialConcurrency, onRateLimited, onSuccess, slotAdmission } from "../../../collector/decisions/concurrency";
import { headers } from "./fixtures";

describe("known limits", () => {
  const limits = recordLimit(NO_LIMITS, 1000, 3000);

  test("an attempt started inside a window was sent into a known limit", () => {
    expect(classifyAttempt(limits, 1000, 1200)).toBe("during-known-limit");
    expect(classifyAttempt(limits, 2999, 3100)).toBe("during-known-limit");
  });

  test("an attempt started before the 429 arrived and answered after it is the overlap", () => {
    expect(classifyAttempt(limits, 900, 1000)).toBe("in-flight-at-limit");
    expect(classifyAttempt(limits, 900, 5000)).toBe("in-flight-at-limit");
  });

  test("before the window (answered before it) and after it: clear", () => {
    expect(classifyAttempt(limits, 800, 999)).toBe("clear");
    expect(classifyAttempt(limits, 3000, 3100)).toBe("clear");
    expect(classifyAttempt(NO_LIMITS, 1000, 1100)).toBe("clear");
  });

  test("a 429 inside a window extends it; a later one opens a new window and older ones still count", () => {
    const extended = recordLimit(limits, 2000, 4000);
    expect(extended.windows).toEqual([{ since: 1000, until: 4000 }]);
    const two = recordLimit(extended, 10_000, 11_000);
    expect(two.windows).toHaveLength(2);
    expect(classifyAttempt(two, 1500, 12_000)).toBe("during-known-limit");
    expect(classifyAttempt(two, 5000, 10_500)).toBe("in-flight-at-limit");
  });

  test("windows are bounded", () => {
    let many = NO_LIMITS;
    for (let i = 0; i < MAX_WINDOWS + 10; i++) many = recordLimit(many, i * 10, i * 10 + 5);
    expect(many.windows).toHaveLength(MAX_WINDOWS);
  });

  test("counting", () => {
    let stats = { sentDuringKnownLimit: 0, inFlightAtRateLimit: 0 };
    for (const kind of ["during-known-limit", "in-flight-at-limit", "in-flight-at-limit", "clear"] as const) stats = countAttempt(stats, kind);
    expect(stats).toEqual({ sentDuringKnownLimit: 1, inFlightAtRateLimit: 2 });
  });
});

describe("slot and attempt admission", () => {
  const E = "GET /rest/api/3/group/member";
  const burst = headers({ "Retry-After": "2", "RateLimit-Reason": "jira-burst-based" });

  test("a paused endpoint still gives slots (up to its halved width) but no attempt until the pause ends", () => {
    const { state } = onRateLimited(initialConcurrency(), E, burst, 1000);
    expect(slotAdmission(state, E, 0)).toEqual({ action: "start" });
    expect(slotAdmission(state, E, 1)).toEqual({ action: "full" });
    expect(attemptAdmission(state, E, 1500)).toEqual({ action: "wait", untilMs: 3000 });
    expect(attemptAdmission(state, E, 3000)).toEqual({ action: "start" });
    expect(attemptAdmission(state, "GET /rest/api/3/users/search", 1500)).toEqual({ action: "start" });
  });

  test("free slots: width minus in flight, none when stopped", () => {
    expect(freeSlots(initialConcurrency(), E, 0)).toBe(2);
    expect(freeSlots(initialConcurrency(), E, 5)).toBe(0);
    const { state } = onRateLimited(initialConcurrency(), E, headers({ "Retry-After": "1800", "RateLimit-Reason": "jira-quota-global-based" }), 0);
    expect(freeSlots(state, E, 0)).toBe(0);
    expect(slotAdmission(state, E, 0)).toEqual({ action: "stop" });
    expect(attemptAdmission(state, E, 0)).toEqual({ action: "stop" });
  });
});

describe("width while paced", () => {
  const E = "GET /rest/api/3/group/member";
  const config = { ...DEFAULT_CONCURRENCY, maxPaced: 25 };
  const grow = (paced: boolean) => {
    let state = initialConcurrency();
    for (let i = 0; i < 2000; i++) state = onSuccess(state, E, headers({}), config, paced);
    return state.endpoints[E]!.limit;
  };
  test("an endpoint paced by its bucket's headers may grow to maxPaced; one without them stops at max", () => {
    expect(grow(true)).toBe(25);
    expect(grow(false)).toBe(DEFAULT_CONCURRENCY.max);
  });
});

describe("slow start", () => {
  const E = "GET /rest/api/3/group/member";
  const config = { ...DEFAULT_CONCURRENCY, slowStart: true };
  test("one more slot per success until the first 429, then one per window of successes again", () => {
    let state = initialConcurrency();
    for (let i = 0; i < 4; i++) state = onSuccess(state, E, headers({}), config);
    expect(state.endpoints[E]!.limit).toBe(6);
    state = onRateLimited(state, E, headers({ "Retry-After": "1" }), 0, config).state;
    expect(state.endpoints[E]!.limit).toBe(3);
    for (let i = 0; i < 2; i++) state = onSuccess(state, E, headers({}), config);
    expect(state.endpoints[E]!.limit).toBe(3);
    state = onSuccess(state, E, headers({}), config);
    expect(state.endpoints[E]!.limit).toBe(4);
  });
});
