import { RateLimitedError } from "../../atlassian/errors";
import { DEFAULT_CONCURRENCY } from "../../collector/decisions/concurrency";
import { AdaptiveRequestGate } from "../../collector/request-gate";
import { headers } from "./decisions/fixtures";

const GROUP_MEMBER = "GET /rest/api/3/group/member";
const ok = { operation: GROUP_MEMBER, status: 200, headers: headers({}) };

/** N requests through the gate that each answer `status` via `observe`, recording the peak in flight. */
async function burst(gate: AdaptiveRequestGate, n: number, respond: (i: number) => { status: number; headers: ReturnType<typeof headers> }) {
  let inFlight = 0;
  let peak = 0;
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      gate.run(GROUP_MEMBER, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        gate.observe({ operation: GROUP_MEMBER, ...respond(i) });
        inFlight--;
        return i;
      }),
    ),
  );
  return { peak, results };
}

test("starts with a few requests in flight and widens as they succeed, up to the maximum", async () => {
  const gate = new AdaptiveRequestGate();
  const { peak, results } = await burst(gate, 200, () => ok);
  expect(results.every((r) => r.status === "fulfilled")).toBe(true);
  expect(peak).toBe(DEFAULT_CONCURRENCY.max);
  expect(gate.peakConcurrency).toBe(DEFAULT_CONCURRENCY.max);
});

test("a burst 429 pauses the endpoint for Retry-After; other endpoints carry on", async () => {
  let now = 1_000_000;
  const slept: number[] = [];
  const gate = new AdaptiveRequestGate(DEFAULT_CONCURRENCY, () => now, async (ms) => {
    slept.push(ms);
    now += ms;
  });
  gate.observe({ operation: GROUP_MEMBER, status: 429, headers: headers({ "Retry-After": "3", "RateLimit-Reason": "jira-burst-based" }) });
  await gate.run("GET /rest/api/3/users/search", async () => "other");
  expect(slept).toEqual([]);
  await gate.run(GROUP_MEMBER, async () => "after the pause");
  expect(slept).toEqual([3000]);
});

test("the hourly quota stops the gate: running and queued requests fail as rate-limited, with the reason", async () => {
  const gate = new AdaptiveRequestGate();
  const quota = headers({ "Retry-After": "1800", "RateLimit-Reason": "jira-quota-global-based" });
  const { results } = await burst(gate, 20, (i) => (i === 0 ? { status: 429, headers: quota } : ok));
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(rejected.length).toBeGreaterThan(10);
  for (const r of rejected) {
    expect(r.reason).toBeInstanceOf(RateLimitedError);
    expect((r.reason as RateLimitedError).reason).toBe("jira-quota-global-based");
  }
  expect(gate.stopped).toMatchObject({ reason: "quota-exhausted", endpoint: GROUP_MEMBER });
  await expect(gate.run(GROUP_MEMBER, async () => 1)).rejects.toBeInstanceOf(RateLimitedError);
});

test("paces by the burst bucket successful responses describe, instead of running into 429s", async () => {
  let now = 1_000_000;
  const slept: number[] = [];
  const gate = new AdaptiveRequestGate(DEFAULT_CONCURRENCY, () => now, async (ms) => {
    slept.push(ms);
    now += ms;
  });
  gate.observe({ operation: GROUP_MEMBER, status: 200, headers: headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "1" }) });
  await gate.run(GROUP_MEMBER, async () => 1); // the last token
  await gate.run(GROUP_MEMBER, async () => 2); // waits for the refill: 10 ms at 100/s
  expect(slept).toEqual([10]);
  // The hourly quota's headers do not pace.
  gate.observe({ operation: "GET /rest/api/3/users/search", status: 200, headers: headers({ "X-RateLimit-Limit": "65000", "X-RateLimit-Remaining": "0", "RateLimit-Policy": '"global-app-quota";q=65000;w=3600' }) });
  await gate.run("GET /rest/api/3/users/search", async () => 3);
  expect(slept).toEqual([10]);
});

test("thousands of queued requests: each response wakes at most `max` waiters, so admission work stays linear", async () => {
  let checks = 0;
  // Every admission check reads the clock: counting reads counts checks, whatever the machine's speed.
  const gate = new AdaptiveRequestGate(DEFAULT_CONCURRENCY, () => (checks++, Date.now()));
  const n = 3000;
  const { results } = await burst(gate, n, () => ok);
  expect(results.every((r) => r.status === "fulfilled")).toBe(true);
  // Waking every waiter on every response made this ~n²/2 (4.5 million); linear is n × (max + a few).
  expect(checks).toBeLessThan(n * (DEFAULT_CONCURRENCY.max + 5));
});

test("a gate that stops wakes every queued request, each to fail (none is left waiting)", async () => {
  const gate = new AdaptiveRequestGate();
  const quota = { status: 429, headers: headers({ "retry-after": "3600", "ratelimit-reason": "jira-quota-global-based" }) };
  const { results } = await burst(gate, 500, (i) => (i === 0 ? quota : ok));
  expect(results.filter((r) => r.status === "rejected").length).toBeGreaterThan(400);
  expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof RateLimitedError)).toBe(true);
});

describe("attempts through the pipeline hook", () => {
  const clockGate = () => {
    const clock = { now: 1_000_000, slept: [] as number[] };
    const gate = new AdaptiveRequestGate(DEFAULT_CONCURRENCY, () => clock.now, async (ms) => {
      clock.slept.push(ms);
      clock.now += ms;
    });
    return { gate, clock, hooks: gate.pipelineHooks() };
  };
  const limited = { operation: GROUP_MEMBER, status: 429, headers: headers({ "Retry-After": "3", "RateLimit-Reason": "jira-burst-based" }) };

  test("a retry inside a held slot waits out a 429 learned meanwhile, and never waits for a slot", async () => {
    const { gate, clock, hooks } = clockGate();
    const order: string[] = [];
    let sent = 0;
    let allSent!: () => void;
    const bothSent = new Promise<void>((resolve) => (allSent = resolve));
    // Both slots of the (initially 2 wide) endpoint are held; each makes two attempts.
    await Promise.all(
      [0, 1].map((i) =>
        gate.run(GROUP_MEMBER, async () => {
          await hooks.beforeAttempt(GROUP_MEMBER);
          order.push(`first ${i} at ${clock.now}`);
          if (++sent === 2) allSent();
          await bothSent; // both first attempts are on their way before any answer arrives
          if (i === 0) hooks.onResponse({ ...limited, startedAt: 999_999 });
          else hooks.onResponse({ operation: GROUP_MEMBER, status: 503, headers: headers({}), startedAt: 999_999 }); // sent before the 429 arrived
          await hooks.beforeAttempt(GROUP_MEMBER); // the retry
          order.push(`retry ${i} at ${clock.now}`);
        }),
      ),
    );
    expect(order.slice(0, 2)).toEqual(["first 0 at 1000000", "first 1 at 1000000"]);
    // The 503's retry (300 ms of backoff would do) waits out the 429 its sibling got; neither waits for a slot.
    expect(order.slice(2).sort()).toEqual(["retry 0 at 1003000", "retry 1 at 1003000"]);
    expect(gate.limitStats).toEqual({ sentDuringKnownLimit: 0, inFlightAtRateLimit: 1 });
  });

  test("calls outside run() are held by a pause too; a stopped gate refuses them", async () => {
    const { gate, clock, hooks } = clockGate();
    hooks.onResponse({ ...limited, startedAt: clock.now });
    await hooks.beforeAttempt(GROUP_MEMBER);
    expect(clock.slept).toEqual([3000]);
    hooks.onResponse({ operation: GROUP_MEMBER, status: 429, headers: headers({ "Retry-After": "1800", "RateLimit-Reason": "jira-quota-global-based" }), startedAt: clock.now });
    expect(() => hooks.beforeAttempt("GET /rest/api/3/users/search")).toThrow(RateLimitedError);
    expect(gate.stopped?.reason).toBe("quota-exhausted");
  });

  test("an attempt that bypassed the gate during a pause is counted as sent into the limit", () => {
    const { gate, clock, hooks } = clockGate();
    hooks.onResponse({ ...limited, startedAt: clock.now - 10 });
    clock.now += 500;
    hooks.onResponse({ ...ok, startedAt: clock.now - 5 });
    expect(gate.limitStats).toEqual({ sentDuringKnownLimit: 1, inFlightAtRateLimit: 0 });
  });

  test("freed slots go to waiters first come, first served, without waking the others", async () => {
    const { gate } = clockGate();
    const started: number[] = [];
    const release: (() => void)[] = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      gate.run(GROUP_MEMBER, () => {
        started.push(i);
        return new Promise<void>((resolve) => release.push(resolve));
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    for (let n = 0; n < 6; n++) {
      release.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
