import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AtlassianClient } from "../../atlassian";
import { createFileStore, rotateUnderLease, TokenLeaseHeldError, type RefreshTokenStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";

/** Single-flight rotation against the emulator's real rotation rules: concurrent runs and crashes never kill the grant. */

let emulator: AtlassianEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startAtlassianEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lease-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
async function seededStore(): Promise<{ store: RefreshTokenStore; familyId: string }> {
  const store = createFileStore({ path: path.join(dir, `token-${++counter}.json`) });
  const grant = emulator.grant();
  const now = new Date(emulator.clock.now()).toISOString();
  await store.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: now, familyStartedAt: now });
  return { store, familyId: grant.familyId };
}
const atlassian = () => new AtlassianClient({ env: emulator.env, retry: { baseDelayMs: 1 } });
const exchange = (refreshToken: string) => atlassian().oauth.refresh({ ...emulator.app(), refreshToken });
const now = () => new Date(emulator.clock.now());

test("a rotation persists the new token and releases the lease", async () => {
  const { store, familyId } = await seededStore();
  const result = await rotateUnderLease(store, { holder: "run-1", now, exchange });
  const stored = await store.read();
  expect(stored?.refreshToken).toBe(result.exchanged.refreshToken);
  expect(stored?.lease).toBeUndefined();
  expect(emulator.family(familyId)?.currentRefreshToken).toBe(stored?.refreshToken);
});

test("two runs at once: one rotates, the other backs off, the grant survives", async () => {
  const { store, familyId } = await seededStore();
  const outcomes = await Promise.allSettled([
    rotateUnderLease(store, { holder: "run-a", now, exchange }),
    rotateUnderLease(store, { holder: "run-b", now, exchange }),
  ]);
  const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
  const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
  expect(fulfilled).toHaveLength(1);
  expect(rejected).toHaveLength(1);
  expect(rejected[0].reason).toBeInstanceOf(TokenLeaseHeldError);
  expect(emulator.family(familyId)?.rotations).toBe(1);
  // A day later the stored token still works: nothing was knocked out.
  emulator.clock.advance(24 * 3600 * 1000);
  await expect(rotateUnderLease(store, { holder: "next-day", now, exchange })).resolves.toBeDefined();
  expect(emulator.family(familyId)?.revoked).toBe(false);
});

test("a crash between exchange and persist leaves the connector recoverable inside the leeway", async () => {
  const { store, familyId } = await seededStore();
  const crashing: RefreshTokenStore = {
    location: store.location,
    read: () => store.read(),
    compareAndSwap: async (expected, next) => {
      if (!next.lease) throw new Error("simulated crash after the exchange, before the persist");
      return store.compareAndSwap(expected, next);
    },
  };
  await expect(rotateUnderLease(crashing, { holder: "crashed-run", now, exchange })).rejects.toThrow(/simulated crash/);
  expect(emulator.family(familyId)?.rotations).toBe(1);
  // The lease (5 min) has expired; the old token is still inside Atlassian's 10-minute leeway.
  emulator.clock.advance(6 * 60 * 1000);
  const recovered = await rotateUnderLease(store, { holder: "next-run", now, exchange });
  expect((await store.read())?.refreshToken).toBe(recovered.exchanged.refreshToken);
  emulator.clock.advance(24 * 3600 * 1000);
  await expect(rotateUnderLease(store, { holder: "day-after", now, exchange })).resolves.toBeDefined();
  expect(emulator.family(familyId)?.revoked).toBe(false);
});

test("a failed exchange releases the lease (the next run may start at once) and keeps the token and its deadline", async () => {
  const { store } = await seededStore();
  const before = await store.read();
  emulator.faults.add({ match: { path: "/oauth/token" }, times: Infinity, action: { kind: "status", status: 503 } });
  const failedAt = now().getTime();
  try {
    await expect(rotateUnderLease(store, { holder: "run", now, exchange })).rejects.toThrow(/did not answer/);
  } finally {
    emulator.faults.clear();
  }
  const after = await store.read();
  expect(after?.refreshToken).toBe(before?.refreshToken);
  // Released: expired at once. Kept: when the stored token's leeway ends, should that exchange have reached Atlassian.
  expect(Date.parse(after!.lease!.until)).toBeLessThanOrEqual(now().getTime());
  expect(Date.parse(after!.lease!.leewayEndsBy!)).toBeGreaterThanOrEqual(failedAt + 10 * 60 * 1000 - 1000);
  await expect(rotateUnderLease(store, { holder: "next", now, exchange })).resolves.toBeDefined();
  expect((await store.read())?.lease).toBeUndefined();
});

test("a garbled answer (the token may have rotated) keeps the deadline: a takeover is bounded by it", async () => {
  const { store, familyId } = await seededStore();
  emulator.faults.add({ match: { path: "/oauth/token" }, times: 1, action: { kind: "malformed-json" } });
  await expect(rotateUnderLease(store, { holder: "garbled", now, exchange })).rejects.toThrow();
  const deadline = Date.parse((await store.read())!.lease!.leewayEndsBy!);
  emulator.clock.advance(4 * 60 * 1000);
  // The next run crashes after its exchange: its lease must end a minute before the first attempt's deadline.
  const crashing = crashingAfterExchange(store);
  await expect(rotateUnderLease(crashing, { holder: "crasher", now, exchange })).rejects.toThrow("crash");
  const lease = (await store.read())!.lease!;
  expect(Date.parse(lease.until)).toBeLessThanOrEqual(deadline - 60 * 1000);
  // Recovery after that lease, still inside the first attempt's leeway: works, the grant survives.
  emulator.clock.advance(Date.parse(lease.until) - now().getTime() + 1000);
  await expect(rotateUnderLease(store, { holder: "recovery", now, exchange })).resolves.toBeDefined();
  expect(emulator.family(familyId)?.revoked).toBe(false);
});

test("a lease left days ago by a crashed run: the next claim is a full lease, not a zero-length one", async () => {
  const { store } = await seededStore();
  const crashing = crashingAfterExchange(store);
  await expect(rotateUnderLease(crashing, { holder: "crasher", now, exchange })).rejects.toThrow("crash");
  emulator.clock.advance(2 * 24 * 3600 * 1000);
  let concurrent: unknown = "not run";
  const slow = rotateUnderLease(store, {
    holder: "slow",
    now,
    exchange: async (token) => {
      // While this run holds the claim, a concurrent one must back off.
      concurrent = await rotateUnderLease(store, { holder: "concurrent", now, exchange }).then(() => "rotated", (error: unknown) => error);
      return exchange(token);
    },
  });
  await expect(slow).rejects.toBeDefined(); // the old token is dead after two days (reuse outside the leeway)
  expect(concurrent).toBeInstanceOf(TokenLeaseHeldError);
});

test("taking over a dead holder's lease never extends past that holder's leeway (chains of crashes)", async () => {
  const { store } = await seededStore();
  const crashAfterExchange: RefreshTokenStore = {
    location: store.location,
    read: () => store.read(),
    compareAndSwap: async (expected, next) => {
      if (!next.lease) throw new Error("simulated crash");
      return store.compareAndSwap(expected, next);
    },
  };
  const firstClaim = emulator.clock.now();
  await expect(rotateUnderLease(crashAfterExchange, { holder: "first", now, exchange })).rejects.toThrow(/simulated crash/);
  emulator.clock.advance(6 * 60 * 1000);
  await expect(rotateUnderLease(crashAfterExchange, { holder: "second", now, exchange })).rejects.toThrow(/simulated crash/);
  const lease = (await store.read())?.lease;
  // The second lease ends a margin before the first claim's 10-minute leeway, not 5 minutes after its own claim.
  expect(Date.parse(lease!.leewayEndsBy!)).toBeLessThanOrEqual(firstClaim + 10 * 60 * 1000 + 1000);
  expect(Date.parse(lease!.until)).toBeLessThan(Date.parse(lease!.leewayEndsBy!));
  emulator.clock.set(Date.parse(lease!.until) + 1000);
  await expect(rotateUnderLease(store, { holder: "third", now, exchange })).resolves.toBeDefined();
});

/** The store, except that persisting the rotated token (a write without a lease) "crashes" the run. */
function crashingAfterExchange(store: RefreshTokenStore): RefreshTokenStore {
  return {
    location: store.location,
    read: () => store.read(),
    compareAndSwap: async (expected, next) => {
      if (!next.lease) throw new Error("crash");
      return store.compareAndSwap(expected, next);
    },
  };
}
