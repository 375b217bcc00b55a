/**
 * The rotation protocol against the emulator's rotation rules and moto, over real HTTP. Each test names the
 * situation of issue 10 it covers: (1) concurrent runs on the live token, (4) deadlines follow presentations,
 * (5) store outages after a successful exchange and the same-request-ID re-entry.
 */
import { ClockSkewError, rotateUnderLease, TokenLeaseHeldError, type RefreshTokenStore } from "../../token-store";
import { crashBeforePersist, faultyStore, leaseTaken, MINUTE, persistOutageUntil, type RotationWorld, startRotationWorld } from "./rotation-world";

let world: RotationWorld;
beforeAll(async () => {
  world = await startRotationWorld({ moto: true });
});
afterAll(async () => world.close());
afterEach(() => world.emulator.faults.clear());

const rotate = (store: RefreshTokenStore, holder: string, extra: Partial<Parameters<typeof rotateUnderLease>[1]> = {}) =>
  rotateUnderLease(store, { holder, now: world.now, sleep: world.sleep, exchange: world.exchange, ...extra });

/**
 * A fresh file store whose first run exchanged its token and crashed before storing the successor, then 5.5 min:
 * the dead run's lease (5 min) has expired, the leeway (10 min) has not.
 */
async function crashedRunLeaseExpired(): Promise<{ store: RefreshTokenStore; familyId: string; claimedAt: number }> {
  const store = world.fileStore();
  const { familyId } = await world.seeded(store);
  const claimedAt = world.emulator.clock.now();
  await expect(rotate(crashBeforePersist(store), "run-1")).rejects.toThrow();
  world.emulator.clock.advance(5.5 * MINUTE);
  return { store, familyId, claimedAt };
}

/** The store holds the family's current token, and the family is alive. */
async function expectCurrent(store: RefreshTokenStore, familyId: string): Promise<void> {
  const family = world.emulator.family(familyId)!;
  expect(family.revoked).toBe(false);
  expect((await store.read())?.refreshToken).toBe(family.currentRefreshToken);
}

describe("(1) concurrent runs on the live token", () => {
  test("two checks at once on Secrets Manager: one presents, the other waits for it and rotates the successor", async () => {
    const store = await world.secretsManagerStore();
    const { familyId, refreshToken } = await world.seeded(store);
    const [a, b] = await Promise.all([rotate(store, "check-a", { waitMs: 60_000 }), rotate(store, "check-b", { waitMs: 60_000 })]);
    expect(a.exchanged.refreshToken).not.toBe(b.exchanged.refreshToken);
    expect(world.presentations(refreshToken)).toBe(1); // never two presentations of one token
    expect(world.emulator.family(familyId)!.rotations).toBe(2);
    await expectCurrent(store, familyId);
  });

  test("without waiting, the loser fails naming the holder and the time to retry, and presented nothing", async () => {
    const store = await world.secretsManagerStore();
    const { familyId, refreshToken } = await world.seeded(store);
    world.emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, action: { kind: "latency", ms: 300 } });
    const up = rotate(store, "pulumi-up");
    await leaseTaken(store);
    const error = await rotate(store, "cli-check").catch((e: unknown) => e);
    await up;
    expect(error).toBeInstanceOf(TokenLeaseHeldError);
    expect((error as Error).message).toMatch(/another run \(pulumi-up\) holds the token until \d\d:\d\d:\d\d UTC; retry then/);
    expect(world.presentations(refreshToken)).toBe(1);
    await expectCurrent(store, familyId);
  });

  test("the same holder cannot re-enter a claim that is still running in this process", async () => {
    const store = world.fileStore();
    const { familyId, refreshToken } = await world.seeded(store);
    world.emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, action: { kind: "latency", ms: 300 } });
    const first = rotate(store, "pulumi:acme");
    await leaseTaken(store);
    await expect(rotate(store, "pulumi:acme")).rejects.toBeInstanceOf(TokenLeaseHeldError);
    await first;
    expect(world.presentations(refreshToken)).toBe(1);
    await expectCurrent(store, familyId);
  });
});

describe("(4) deadlines follow presentations", () => {
  test("a takeover answered without refresh_token keeps the first deadline and retries inside the run", async () => {
    const { store, familyId, claimedAt } = await crashedRunLeaseExpired();
    world.emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times: 2, action: { kind: "omit-refresh-token" } });
    const result = await rotate(store, "run-2");
    expect(result.tookOver).toBe(true);
    expect(result.atRisk).toBe(false);
    expect(result.deadline).toBe(claimedAt + 10 * MINUTE);
    expect(world.emulator.clock.now()).toBeLessThan(claimedAt + 10 * MINUTE);
    await expectCurrent(store, familyId);
    expect((await store.read())?.presentedAt).toBeUndefined();
  });

  test("when every answer omits refresh_token, the record keeps the presentations: the next run still knows the deadline", async () => {
    const { store, familyId, claimedAt } = await crashedRunLeaseExpired();
    world.emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times: Infinity, action: { kind: "omit-refresh-token" } });
    const result = await rotate(store, "run-2");
    expect(result.atRisk).toBe(true);
    const after = (await store.read())!;
    expect(Date.parse(after.presentedAt![0]!)).toBe(claimedAt);
    expect(Date.parse(after.lease!.until)).toBeLessThanOrEqual(world.emulator.clock.now());
    world.emulator.faults.clear();
    const next = await rotate(store, "run-3");
    expect(next.deadline).toBe(claimedAt + 10 * MINUTE);
    await expectCurrent(store, familyId);
  });

  test("a chain of crashed takeovers never leases past the first presentation's deadline; the last one recovers", async () => {
    const store = world.fileStore();
    const { familyId } = await world.seeded(store);
    const firstClaim = world.emulator.clock.now();
    await expect(rotate(crashBeforePersist(store), "run-1")).rejects.toThrow();
    expect(Date.parse((await store.read())!.lease!.until)).toBe(firstClaim + 5 * MINUTE);
    world.emulator.clock.set(firstClaim + 5 * MINUTE + 10_000);
    await expect(rotate(crashBeforePersist(store), "run-2")).rejects.toThrow();
    const after = (await store.read())!;
    // Capped one minute before the first presentation's deadline, not 5 minutes after this takeover.
    expect(Date.parse(after.lease!.until)).toBe(firstClaim + 9 * MINUTE);
    expect(after.presentedAt!.map(Date.parse)).toEqual([firstClaim, firstClaim + 5 * MINUTE + 10_000]);
    world.emulator.clock.set(firstClaim + 9 * MINUTE + 1000);
    const recovered = await rotate(store, "run-3");
    expect(recovered.deadline).toBe(firstClaim + 10 * MINUTE);
    await expectCurrent(store, familyId);
  });

  test("an exchange with an unknown outcome is retried inside the run (5xx three times outlasts the client's retries)", async () => {
    const store = world.fileStore();
    const { familyId } = await world.seeded(store);
    world.emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times: 5, action: { kind: "status", status: 503 } });
    await rotate(store, "run-1");
    await expectCurrent(store, familyId);
  });

  test("a writer whose clock is 3 minutes off Atlassian's refuses to take over, and presents nothing", async () => {
    const { store, familyId } = await crashedRunLeaseExpired();
    const skewed = world.atlassian({ skewMs: 3 * MINUTE });
    const presentedBefore = world.emulator.requests.filter((r) => r.path === "/oauth/token").length;
    const error = await rotate(store, "fast-laptop", {
      now: () => new Date(world.emulator.clock.now() + 3 * MINUTE),
      serverClockOffsetMs: () => skewed.serverClockOffsetMs("acme"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClockSkewError);
    expect((error as Error).message).toMatch(/18\d s ahead of the server's/);
    expect(world.emulator.requests.filter((r) => r.path === "/oauth/token").length).toBe(presentedBefore);
    await rotate(store, "correct-clock");
    await expectCurrent(store, familyId);
  });
  test("a writer whose clock is 3 minutes off the store's (Secrets Manager's Date header) claims nothing, not even a fresh token", async () => {
    const store = world.fileStore();
    const { refreshToken } = await world.seeded(store);
    const measured: RefreshTokenStore = { ...faultyStore(store, () => undefined), serverClockOffsetMs: () => 3 * MINUTE };
    const error = await rotate(measured, "fast-lambda").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClockSkewError);
    expect((error as Error).message).toMatch(/refusing to claim the refresh token \(this clock is 180 s ahead of the server's\)/);
    expect(world.presentations(refreshToken)).toBe(0);
    expect((await store.read())?.lease).toBeUndefined(); // nothing written either
  });
});

describe("(5) store outages after a successful exchange", () => {
  test("a 3-minute Secrets Manager outage: the run keeps retrying the persist and succeeds inside the leeway", async () => {
    const store = await world.secretsManagerStore();
    const { familyId } = await world.seeded(store);
    const started = world.emulator.clock.now();
    const outage = persistOutageUntil(world, store, started + 3 * MINUTE);
    await rotate(outage, "lambda-req-1");
    expect(world.emulator.clock.now()).toBeGreaterThanOrEqual(started + 3 * MINUTE); // it retried through the outage
    await expectCurrent(store, familyId);
  });

  test("an outage longer than the leeway: the error says the deadline has passed and to re-authorize", async () => {
    const store = world.fileStore();
    await world.seeded(store);
    const outage = persistOutageUntil(world, store, world.emulator.clock.now() + 12 * MINUTE);
    const error = await rotate(outage, "lambda-req-2").catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ROTATED_TOKEN_NOT_SAVED");
    expect((error as Error).message).toMatch(/within 0 minutes|too late to re-run safely|re-authorize/);
  });

  test("a Lambda retry with the same request ID re-enters its abandoned claim at +1 minute; another run may not", async () => {
    const store = await world.secretsManagerStore();
    const { familyId } = await world.seeded(store);
    await expect(rotate(crashBeforePersist(store), "req-7f3a")).rejects.toThrow(); // the invocation crashed
    world.emulator.clock.advance(1 * MINUTE);
    await expect(rotate(store, "req-other")).rejects.toBeInstanceOf(TokenLeaseHeldError);
    const retry = await rotate(store, "req-7f3a");
    expect(retry.tookOver).toBe(true);
    await expectCurrent(store, familyId);
  });

  test("the retry at +3 minutes after two crashes still lands inside the first deadline", async () => {
    const store = await world.secretsManagerStore();
    const { familyId } = await world.seeded(store);
    const first = world.emulator.clock.now();
    await expect(rotate(crashBeforePersist(store), "req-9c1d")).rejects.toThrow();
    world.emulator.clock.advance(1 * MINUTE);
    await expect(rotate(crashBeforePersist(store), "req-9c1d")).rejects.toThrow();
    world.emulator.clock.advance(2 * MINUTE);
    const retry = await rotate(store, "req-9c1d");
    expect(retry.deadline).toBe(first + 10 * MINUTE);
    await expectCurrent(store, familyId);
  });

  test("a store that refuses the claim (missing PutSecretValue) means nothing is presented", async () => {
    const store = world.fileStore();
    const { refreshToken } = await world.seeded(store);
    const denied = faultyStore(store, ({ op }) => (op === "compareAndSwap" ? Object.assign(new Error("AccessDenied"), { code: "PERMISSION_DENIED" }) : undefined));
    await expect(rotate(denied, "run-x")).rejects.toThrow(/AccessDenied/);
    expect(world.presentations(refreshToken)).toBe(0);
  });
});
