/**
 * `rotateUnderLease` against the emulator's rotation rules (file store; the clock moves only when the test or a
 * sleep moves it). Concurrency, takeovers and outages are in rotation-protocol.test.ts.
 */
import { rotateUnderLease, TokenLeaseHeldError, type RefreshTokenStore } from "../../token-store";
import { crashBeforePersist, MINUTE, type RotationWorld, startRotationWorld } from "./rotation-world";

let world: RotationWorld;
beforeAll(async () => {
  world = await startRotationWorld();
});
afterAll(async () => world.close());
afterEach(() => world.emulator.faults.clear());

const rotate = (store: RefreshTokenStore, holder: string, exchange = world.exchange) =>
  rotateUnderLease(store, { holder, now: world.now, sleep: world.sleep, exchange });

test("a rotation persists the new token and clears the claim", async () => {
  const store = world.fileStore();
  const { familyId } = await world.seeded(store);
  const result = await rotate(store, "run-1");
  const stored = await store.read();
  expect(stored?.refreshToken).toBe(result.exchanged.refreshToken);
  expect(stored?.lease).toBeUndefined();
  expect(stored?.presentedAt).toBeUndefined();
  expect(world.emulator.family(familyId)?.currentRefreshToken).toBe(stored?.refreshToken);
});

test("an exchange that keeps failing (503) is retried inside the lease, then releases it and keeps the presentation", async () => {
  const store = world.fileStore();
  const { refreshToken } = await world.seeded(store);
  const claimedAt = world.emulator.clock.now();
  world.emulator.faults.add({ match: { path: "/oauth/token" }, times: Infinity, action: { kind: "status", status: 503 } });
  await expect(rotate(store, "run")).rejects.toThrow(/did not answer|503/);
  expect(world.presentations(refreshToken)).toBeGreaterThan(2); // in-run retries, not just the client's
  const after = (await store.read())!;
  expect(after.refreshToken).toBe(refreshToken);
  expect(Date.parse(after.lease!.until)).toBeLessThanOrEqual(world.emulator.clock.now()); // released
  expect(after.presentedAt).toEqual([new Date(claimedAt).toISOString()]); // the deadline's source, kept
  expect(world.emulator.clock.now()).toBeLessThan(claimedAt + 5 * MINUTE); // never past its own lease
  world.emulator.faults.clear();
  const next = await rotate(store, "next");
  expect(next.deadline).toBe(claimedAt + 10 * MINUTE);
  expect((await store.read())?.presentedAt).toBeUndefined();
});

test("a garbled answer (the token may have rotated) keeps the deadline: a crashed takeover's lease is bounded by it", async () => {
  const store = world.fileStore();
  const { familyId } = await world.seeded(store);
  const claimedAt = world.emulator.clock.now();
  world.emulator.faults.add({ match: { path: "/oauth/token" }, times: Infinity, action: { kind: "malformed-json" } });
  await expect(rotate(store, "garbled")).rejects.toThrow();
  world.emulator.faults.clear();
  world.emulator.clock.set(claimedAt + 6 * MINUTE);
  await expect(rotate(crashBeforePersist(store), "crasher")).rejects.toThrow();
  const lease = (await store.read())!.lease!;
  expect(Date.parse(lease.until)).toBe(claimedAt + 9 * MINUTE);
  world.emulator.clock.set(Date.parse(lease.until) + 1000);
  await rotate(store, "recovery");
  expect(world.emulator.family(familyId)?.revoked).toBe(false);
});

test("a claim left days ago by a crashed run: the next claim is a full lease, and a concurrent run backs off", async () => {
  const store = world.fileStore();
  await world.seeded(store);
  await expect(rotate(crashBeforePersist(store), "crasher")).rejects.toThrow();
  world.emulator.clock.advance(2 * 24 * 60 * MINUTE);
  let concurrent: unknown = "not run";
  const slow = rotate(store, "slow", async (token, attempt) => {
    concurrent = await rotate(store, "concurrent").then(() => "rotated", (error: unknown) => error);
    return world.exchange(token, attempt);
  });
  await expect(slow).rejects.toBeDefined(); // the old token is dead after two days (reuse outside the leeway)
  expect(concurrent).toBeInstanceOf(TokenLeaseHeldError);
});
