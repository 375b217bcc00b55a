/**
 * The family start as the consent time (issue 14 item 3): seeding with a known consent, ordering of two copies of
 * one seeded family, `saveIfNewer` never moving a start later, and `adoptFamilyStart` writing only a quiet record.
 * File stores and the emulator; the clock moves only when the test moves it.
 */
import { adoptFamilyStart, consentTimeProblem, isNewerRecord, type RefreshTokenRecord, rotateUnderLease, saveIfNewer, seedFingerprint } from "../../token-store";
import { MINUTE, type RotationWorld, startRotationWorld } from "./rotation-world";

const DAY = 24 * 60 * MINUTE;
let world: RotationWorld;
beforeAll(async () => {
  world = await startRotationWorld();
});
afterAll(async () => world.close());

const iso = (ms: number) => new Date(ms).toISOString();
const nowMs = () => world.now().getTime();

test("seeding with a consent time: the new family starts at the consent, not at the exchange", async () => {
  const store = world.fileStore();
  const grant = world.emulator.grant();
  const consent = iso(nowMs() - 30 * DAY);
  const seededFrom = seedFingerprint(grant.refreshToken);
  await rotateUnderLease(store, { holder: "seed", now: world.now, sleep: world.sleep, exchange: world.exchange, configured: { refreshToken: grant.refreshToken, seededFrom, familyStartedAt: consent } });
  expect((await store.read())!.familyStartedAt).toBe(consent);

  // Without one: the exchange's claim time (the first use).
  const other = world.fileStore();
  const second = world.emulator.grant();
  const claimAt = nowMs();
  await rotateUnderLease(other, { holder: "seed-2", now: world.now, sleep: world.sleep, exchange: world.exchange, configured: { refreshToken: second.refreshToken, seededFrom: seedFingerprint(second.refreshToken) } });
  expect(Date.parse((await other.read())!.familyStartedAt)).toBe(claimAt);
});

test("a consent time ahead of the clock is cut to now (a record dated ahead would read as clock skew)", async () => {
  const store = world.fileStore();
  const grant = world.emulator.grant();
  const at = nowMs();
  await rotateUnderLease(store, { holder: "seed", now: world.now, sleep: world.sleep, exchange: world.exchange, configured: { refreshToken: grant.refreshToken, seededFrom: seedFingerprint(grant.refreshToken), familyStartedAt: iso(at + 3 * MINUTE) } });
  expect(Date.parse((await store.read())!.familyStartedAt)).toBe(at);
});

test("a re-authorization whose consent predates the replaced family's recorded start still orders after it", async () => {
  const store = world.fileStore();
  await world.seeded(store); // recorded start: now (its first use)
  const old = (await store.read())!;
  const grant = world.emulator.grant();
  await rotateUnderLease(store, {
    holder: "reauth",
    now: world.now,
    sleep: world.sleep,
    exchange: world.exchange,
    configured: { refreshToken: grant.refreshToken, seededFrom: seedFingerprint(grant.refreshToken), familyStartedAt: iso(nowMs() - DAY) },
  });
  const next = (await store.read())!;
  expect(isNewerRecord(next, old)).toBe(true);
  expect(isNewerRecord(old, next)).toBe(false); // a stale copy of the old grant can never replace the new one
});

test("the same seeded family (same seededFrom): rotation decides, whatever start each copy recorded", () => {
  const a: RefreshTokenRecord = { refreshToken: "rt-a", rotatedAt: "2026-03-01T00:00:00Z", familyStartedAt: "2026-02-01T00:00:00Z", seededFrom: "seed-1" };
  const stale: RefreshTokenRecord = { refreshToken: "rt-stale", rotatedAt: "2026-02-15T00:00:00Z", familyStartedAt: "2026-02-10T00:00:00Z", seededFrom: "seed-1" };
  expect(isNewerRecord(stale, a)).toBe(false); // its later start must not make an older token win
  expect(isNewerRecord(a, stale)).toBe(true);
  // Different seeds: the family start still decides.
  expect(isNewerRecord({ ...stale, seededFrom: "seed-2" }, a)).toBe(true);
});

test("saveIfNewer keeps a family's earliest known start when a newer token of it is written", async () => {
  const store = world.fileStore();
  const start = "2026-01-01T00:00:00.000Z";
  await store.compareAndSwap(undefined, { refreshToken: "rt-one", rotatedAt: "2026-01-02T00:00:00.000Z", familyStartedAt: start, seededFrom: "seed-x" });
  const written = await saveIfNewer(store, { refreshToken: "rt-two", rotatedAt: "2026-01-03T00:00:00.000Z", familyStartedAt: "2026-01-02T12:00:00.000Z", seededFrom: "seed-x" });
  expect(written.written).toBe(true);
  expect((await store.read())).toMatchObject({ refreshToken: "rt-two", familyStartedAt: start });
  // An earlier start that comes with the newer token is taken.
  await saveIfNewer(store, { refreshToken: "rt-three", rotatedAt: "2026-01-04T00:00:00.000Z", familyStartedAt: "2025-12-30T00:00:00.000Z", seededFrom: "seed-x" });
  expect((await store.read())!.familyStartedAt).toBe("2025-12-30T00:00:00.000Z");
});

describe("adoptFamilyStart", () => {
  async function seededStore(seed: string, extra: Partial<RefreshTokenRecord> = {}) {
    const store = world.fileStore();
    const at = iso(nowMs() - DAY);
    await store.compareAndSwap(undefined, { refreshToken: "rt-live", rotatedAt: at, familyStartedAt: at, seededFrom: seedFingerprint(seed), ...extra });
    return { store, at };
  }
  const request = (seed: string, familyStartedAt: string) => ({ seededFrom: seedFingerprint(seed), familyStartedAt, now: world.now });

  test("moves a quiet record's start earlier, keeping token and rotation; never later", async () => {
    const { store, at } = await seededStore("seed-token");
    const consent = iso(nowMs() - 30 * DAY);
    expect(await adoptFamilyStart(store, request("seed-token", consent))).toEqual({ kind: "moved", familyStartedAt: consent });
    expect(await store.read()).toMatchObject({ refreshToken: "rt-live", rotatedAt: at, familyStartedAt: consent });
    expect(await adoptFamilyStart(store, request("seed-token", iso(nowMs() - 2 * DAY)))).toEqual({ kind: "already-earlier", familyStartedAt: consent });
    expect((await store.read())!.familyStartedAt).toBe(consent);
  });

  test("leaves alone a record another grant seeded, and one a run is using (lease, presentation or seeding in flight)", async () => {
    const consent = iso(nowMs() - 30 * DAY);
    const other = await seededStore("another-token");
    expect(await adoptFamilyStart(other.store, request("seed-token", consent))).toEqual({ kind: "other-family" });
    for (const busy of [
      { lease: { holder: "collector", until: iso(nowMs() + MINUTE) } },
      { presentedAt: [iso(nowMs() - MINUTE)] },
      { seeding: { seededFrom: "f", presentedAt: [iso(nowMs() - MINUTE)] } },
    ]) {
      const { store, at } = await seededStore("seed-token", busy);
      const before = (await store.read())!.version;
      expect(await adoptFamilyStart(store, request("seed-token", consent))).toEqual({ kind: "busy" });
      expect((await store.read())!).toMatchObject({ version: before, familyStartedAt: at });
    }
    // A released lease (its end passed) is quiet.
    const released = await seededStore("seed-token", { lease: { holder: "collector", until: iso(nowMs() - MINUTE) } });
    expect((await adoptFamilyStart(released.store, request("seed-token", consent))).kind).toBe("moved");
  });
});

test("consentTimeProblem names the field and the fix, and never quotes the value", () => {
  const now = Date.parse("2026-12-01T00:00:00Z");
  expect(consentTimeProblem("f", "2026-11-01T00:00:00Z", now)).toBeUndefined();
  expect(consentTimeProblem("f", "2026-12-01T00:04:00Z", now)).toBeUndefined(); // small skew
  expect(consentTimeProblem("f", "2026-12-01T00:06:00Z", now)).toMatch(/^f lies in the future/);
  expect(consentTimeProblem("f", "2025-12-01T00:00:00Z", now)).toMatch(/^f is more than 365 days ago, so the grant has expired.*authorize/);
  expect(consentTimeProblem("f", "2025-12-01T00:00:01Z", now)).toBeUndefined();
  const pasted = "eyJsecret-looking-token-value";
  expect(consentTimeProblem("f", pasted, now)).not.toContain(pasted);
  expect(consentTimeProblem("f", 1764547200000, now)).toMatch(/ISO 8601/);
});

test("the configured token already seeded the store (e.g. re-created state): its consent moves the stored family's start earlier under the claim", async () => {
  const store = world.fileStore();
  const grant = world.emulator.grant();
  const seededFrom = seedFingerprint(grant.refreshToken);
  const at = iso(nowMs());
  await store.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at, seededFrom });
  const consent = iso(nowMs() - 10 * DAY);
  await rotateUnderLease(store, { holder: "re-create", now: world.now, sleep: world.sleep, exchange: world.exchange, configured: { refreshToken: grant.refreshToken, seededFrom, familyStartedAt: consent } });
  const stored = (await store.read())!;
  expect(stored.refreshToken).not.toBe(grant.refreshToken); // the stored token was rotated, not re-seeded
  expect(stored).toMatchObject({ familyStartedAt: consent, seededFrom });
  expect(world.presentations(grant.refreshToken)).toBe(1);
});
