import { MAX_PACING_WAIT_MS, mirrorFromHeaders, takeToken } from "../../../collector/decisions/pacing";
import { headers } from "./fixtures";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");

describe("mirrorFromHeaders", () => {
  test("a burst budget: tokens left minus our requests the server may not have counted yet", () => {
    expect(mirrorFromHeaders(headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "7" }), 3, NOW)).toEqual({ tokens: 4, perSecond: 100, at: NOW });
  });
  test("hourly quota headers (RateLimit-Policy) are not a per-second bucket", () => {
    const quota = headers({ "X-RateLimit-Limit": "65000", "X-RateLimit-Remaining": "12", "RateLimit-Policy": '"global-app-quota";q=65000;w=3600' });
    expect(mirrorFromHeaders(quota, 0, NOW)).toBeUndefined();
  });
  test.each([[{}], [{ "X-RateLimit-Limit": "0", "X-RateLimit-Remaining": "1" }], [{ "X-RateLimit-Limit": "abc", "X-RateLimit-Remaining": "1" }], [{ "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "-1" }]])(
    "no usable budget in %j",
    (h) => expect(mirrorFromHeaders(headers(h), 0, NOW)).toBeUndefined(),
  );
});

describe("takeToken", () => {
  test("takes a token while there is one", () => {
    const { bucket, waitMs } = takeToken({ tokens: 2, perSecond: 100, at: NOW }, NOW);
    expect(waitMs).toBe(0);
    expect(bucket.tokens).toBe(1);
  });
  test("an empty bucket: wait until the refill brings one token", () => {
    expect(takeToken({ tokens: 0, perSecond: 100, at: NOW }, NOW).waitMs).toBe(10);
    expect(takeToken({ tokens: -4, perSecond: 100, at: NOW }, NOW).waitMs).toBe(50);
    // 30 ms later the deficit of -4 has refilled to -1: 20 ms more.
    expect(takeToken({ tokens: -4, perSecond: 100, at: NOW }, NOW + 30).waitMs).toBe(20);
  });
  test("refill never exceeds the bucket's size, and a wait is never longer than the cap", () => {
    expect(takeToken({ tokens: 0, perSecond: 100, at: NOW }, NOW + 60_000).bucket.tokens).toBe(99);
    expect(takeToken({ tokens: -1e6, perSecond: 100, at: NOW }, NOW).waitMs).toBe(MAX_PACING_WAIT_MS);
  });
  test("paced at the refill rate: 300 requests at 100/s take about 2 s after a full bucket of 100", () => {
    let bucket = { tokens: 100, perSecond: 100, at: NOW };
    let now = NOW;
    for (let i = 0; i < 300; i++) {
      for (;;) {
        const r = takeToken(bucket, now);
        bucket = r.bucket;
        if (r.waitMs === 0) break;
        now += r.waitMs;
      }
    }
    expect(now - NOW).toBeGreaterThanOrEqual(1990);
    expect(now - NOW).toBeLessThanOrEqual(2010);
  });
});
