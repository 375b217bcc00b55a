import { deadlineReason, lambdaReadDeadline, LAMBDA_WRITE_MARGIN_MS, parseDeadline } from "../../../collector/decisions/deadline";

test("lambdaReadDeadline keeps max(30 s, 10%) of the remaining time for writing the snapshot", () => {
  expect(lambdaReadDeadline(1_000, 600_000)).toBe(1_000 + 540_000);
  expect(lambdaReadDeadline(1_000, 120_000)).toBe(1_000 + 120_000 - LAMBDA_WRITE_MARGIN_MS);
  // Less than the margin left: reads stop at once (a partial manifest beats none).
  expect(lambdaReadDeadline(1_000, 10_000)).toBe(1_000);
});

test("deadlineReason says after how long and that the data is partial", () => {
  expect(deadlineReason(0, 540_000)).toMatch(/^run deadline reached after 540 s: reads not finished by then are missing, the data is partial/);
});

test("parseDeadline: durations and zoned ISO times; everything else a message that does not echo the value", () => {
  const now = Date.UTC(2026, 11, 1, 10, 0, 0);
  expect(parseDeadline("90s", now)).toEqual({ at: now + 90_000 });
  expect(parseDeadline("90", now)).toEqual({ at: now + 90_000 });
  expect(parseDeadline("10m", now)).toEqual({ at: now + 600_000 });
  expect(parseDeadline("1h30m", now)).toEqual({ at: now + 5_400_000 });
  expect(parseDeadline("2026-12-01T10:05:00Z", now)).toEqual({ at: now + 300_000 });
  expect(parseDeadline("2026-12-01T11:05:00+01:00", now)).toEqual({ at: now + 300_000 });
  for (const bad of ["", "soon", "-5m", "2026-12-01T10:05:00", "1d", "secret-token-abc"]) {
    const parsed = parseDeadline(bad, now);
    expect(parsed).toHaveProperty("error");
    if (bad) expect((parsed as { error: string }).error).not.toContain(bad);
  }
  expect(parseDeadline("0s", now)).toEqual({ error: "--deadline must be a positive duration" });
  expect(parseDeadline("2026-12-01T09:00:00Z", now)).toEqual({ error: "--deadline is in the past" });
});
