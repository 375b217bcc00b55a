/** The rotation protocol's decisions as pure functions (the executor is tested against the emulator elsewhere). */
import { decideSeed, rotationRules, seedFingerprint, type RefreshTokenRecord } from "../../token-store";

const { decideClaim, deadlineOf, leaseEnd, riskyPresentations, LEEWAY_MS } = rotationRules;
const T0 = Date.UTC(2026, 11, 1, 12);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const fresh: RefreshTokenRecord = { refreshToken: "rt", rotatedAt: iso(T0), familyStartedAt: iso(T0) };
const claim = (record: RefreshTokenRecord, now: number, holder = "b", holderRunningHere = false) =>
  decideClaim(record, { target: { kind: "stored" }, holder, claim: "c", now, leaseMs: 5 * MIN, holderRunningHere });

test("a fresh token: a full lease, the claim's own presentation recorded, deadline = now + leeway", () => {
  const d = claim(fresh, T0);
  expect(d).toMatchObject({ kind: "claim", takingOver: false, pastDeadline: false, deadline: T0 + LEEWAY_MS, presentedAt: [iso(T0)] });
  expect(d.kind === "claim" && d.lease.until).toBe(iso(T0 + 5 * MIN));
});

test("another run's live lease is held; the same holder re-enters only an abandoned claim", () => {
  const leased = { ...fresh, lease: { holder: "a", until: iso(T0 + 5 * MIN) }, presentedAt: [iso(T0)] };
  expect(claim(leased, T0 + MIN)).toEqual({ kind: "held", holder: "a", until: iso(T0 + 5 * MIN) });
  expect(claim(leased, T0 + MIN, "a", true)).toMatchObject({ kind: "held" });
  expect(claim(leased, T0 + MIN, "a", false)).toMatchObject({ kind: "claim", takingOver: true, deadline: T0 + LEEWAY_MS });
});

test("a takeover keeps every presentation and caps its lease a minute before the earliest deadline", () => {
  const atRisk = { ...fresh, presentedAt: [iso(T0 + 2 * MIN), iso(T0)] };
  const d = claim(atRisk, T0 + 6 * MIN);
  expect(d).toMatchObject({ kind: "claim", takingOver: true, deadline: T0 + LEEWAY_MS, presentedAt: [iso(T0 + 2 * MIN), iso(T0), iso(T0 + 6 * MIN)] });
  expect(d.kind === "claim" && d.lease.until).toBe(iso(T0 + 9 * MIN));
});

test("inside the last minute the lease runs to the deadline itself (never zero-length); past it, a full fresh lease", () => {
  expect(leaseEnd(T0 + 9.5 * MIN, 5 * MIN, T0 + LEEWAY_MS)).toBe(T0 + LEEWAY_MS);
  const d = claim({ ...fresh, presentedAt: [iso(T0)] }, T0 + 11 * MIN);
  expect(d).toMatchObject({ kind: "claim", pastDeadline: true, presentedAt: [iso(T0 + 11 * MIN)], deadline: T0 + 21 * MIN });
});

test("records from before presentedAt: the lease's leewayEndsBy still sets the deadline", () => {
  const legacy = { ...fresh, lease: { holder: "a", until: iso(T0), leewayEndsBy: iso(T0 + LEEWAY_MS) } };
  expect(riskyPresentations(legacy, { kind: "stored" })).toEqual([iso(T0)]);
  expect(deadlineOf([])).toBeUndefined();
});

test("a configured token's presentations are its own: the stored token's do not cap it, and vice versa", () => {
  const seededFrom = seedFingerprint("configured");
  const record = { ...fresh, presentedAt: [iso(T0)], seeding: { seededFrom, presentedAt: [iso(T0 + 3 * MIN)] } };
  expect(riskyPresentations(record, { kind: "configured", seededFrom })).toEqual([iso(T0 + 3 * MIN)]);
  expect(riskyPresentations(record, { kind: "configured", seededFrom: seedFingerprint("another") })).toEqual([]);
  expect(riskyPresentations(record, { kind: "stored" })).toEqual([iso(T0)]);
});

test("seeding: the same token uses the store; another grant's live token is kept unless forced, rejected or expired", () => {
  const seededFrom = seedFingerprint("x");
  expect(decideSeed(undefined, seededFrom, T0, false)).toEqual({ kind: "seed" });
  expect(decideSeed({ ...fresh, seededFrom }, seededFrom, T0, false)).toEqual({ kind: "use-stored" });
  expect(decideSeed(fresh, seededFrom, T0, false)).toMatchObject({ kind: "refuse", reason: expect.stringContaining("another grant") });
  expect(decideSeed(fresh, seededFrom, T0, true)).toEqual({ kind: "seed" });
  expect(decideSeed({ ...fresh, rejectedAt: iso(T0) }, seededFrom, T0, false)).toEqual({ kind: "seed" });
  expect(decideSeed(fresh, seededFrom, T0 + 366 * 24 * 60 * MIN, false)).toEqual({ kind: "seed" });
});

test("in-run retries back off 1 s, 2 s … 15 s, and the last one comes at the budget's end, none after", () => {
  const { retryDelay } = rotationRules;
  expect([1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, T0, T0 + MIN))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
  expect(retryDelay(5, T0, T0 + 6000)).toBe(6000);
  expect(retryDelay(1, T0 + MIN, T0 + MIN)).toBeUndefined();
});
