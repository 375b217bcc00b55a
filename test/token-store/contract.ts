/**
 * The contract every RefreshTokenStore must meet, run against each implementation (Secrets Manager on moto, file).
 * Call `describeStoreContract` inside a test file; `fresh()` must return an unseeded store nobody else uses.
 */
import {
  InvalidRecordError,
  MalformedStoreValueError,
  saveIfNewer,
  TokenStoreConflictError,
  type RefreshTokenRecord,
  type RefreshTokenStore,
} from "../../token-store";
import { expectNoSecrets, incrementCounter, record, rejectionOf, shuffled, withoutVersion } from "./helpers";

export interface StoreHarness {
  /** A new, unseeded store. */
  fresh(): Promise<RefreshTokenStore>;
  /** Replaces the store's current value with `raw`, bypassing compare-and-swap (a hand edit). */
  writeRaw(store: RefreshTokenStore, raw: string): Promise<void>;
}

export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name}: RefreshTokenStore contract`, () => {
    it("reads undefined when never seeded", async () => {
      const store = await harness.fresh();
      expect(await store.read()).toBeUndefined();
      expect(store.location).toMatch(/^(secretsmanager|file):/);
    });

    it("seeds an unseeded store and reads back the record with its version", async () => {
      const store = await harness.fresh();
      const r1 = record(1);
      const version = await store.compareAndSwap(undefined, r1);
      expect(typeof version).toBe("string");
      expect(await store.read()).toEqual({ ...r1, version });
    });

    it("swaps when the expected version is current, and refuses a stale one", async () => {
      const store = await harness.fresh();
      const [r1, r2, r3] = [record(1), record(2), record(3)];
      const v1 = await store.compareAndSwap(undefined, r1);
      const v2 = await store.compareAndSwap(v1, r2);
      expect(v2).not.toBe(v1);
      expect(await store.read()).toEqual({ ...r2, version: v2 });

      const stale = await rejectionOf(store.compareAndSwap(v1, r3));
      expect(stale).toBeInstanceOf(TokenStoreConflictError);
      expect(stale).toMatchObject({ code: "CONFLICT", expectedVersion: v1, retryable: true, location: store.location });
      expectNoSecrets(stale, [r1.refreshToken, r2.refreshToken, r3.refreshToken]);

      const unseeded = await rejectionOf(store.compareAndSwap(undefined, r3));
      expect(unseeded).toBeInstanceOf(TokenStoreConflictError);
      expect(await store.read()).toEqual({ ...r2, version: v2 });
    });

    it("the race: two writers read the same version and both swap; exactly one wins", async () => {
      const store = await harness.fresh();
      let version = await store.compareAndSwap(undefined, record(0));
      for (let round = 1; round <= 5; round++) {
        const [a, b] = [record(2 * round), record(2 * round + 1)];
        const results = await Promise.allSettled([store.compareAndSwap(version, a), store.compareAndSwap(version, b)]);
        const won = results.filter((r): r is PromiseFulfilledResult<string> => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(TokenStoreConflictError);
        expectNoSecrets(lost[0]!.reason, [a.refreshToken, b.refreshToken]);
        const winner = results[0]!.status === "fulfilled" ? a : b;
        version = won[0]!.value;
        expect(await store.read()).toEqual({ ...winner, version });
      }
    });

    it("the race on an unseeded store: exactly one of five seeders wins", async () => {
      const store = await harness.fresh();
      const seeds = [1, 2, 3, 4, 5].map((n) => record(n));
      const results = await Promise.allSettled(seeds.map((seed) => store.compareAndSwap(undefined, seed)));
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ seed: seeds[i]!, version: r.value }] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(TokenStoreConflictError);
      }
      expect(await store.read()).toEqual({ ...winners[0]!.seed, version: winners[0]!.version });
    });

    it("concurrent read-CAS-retry increments lose no update", async () => {
      const store = await harness.fresh();
      const writers = 4;
      const each = 5;
      await Promise.all(Array.from({ length: writers }, (_, w) => incrementCounter(store, each, `w${w}`)));
      expect((await store.read())!.refreshToken).toMatch(new RegExp(`^counter-${writers * each}-`));
    });

    it("saveIfNewer: ten concurrent writers, the newest record is what stays", async () => {
      const store = await harness.fresh();
      await store.compareAndSwap(undefined, record(0));
      const candidates = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => record(n));
      const results = await Promise.all(shuffled(candidates).map((c) => saveIfNewer(store, c)));
      const newest = candidates[candidates.length - 1]!;
      expect(withoutVersion(await store.read())).toEqual(newest);
      const newestResult = results.find((r) => r.stored.refreshToken === newest.refreshToken && r.written);
      expect(newestResult).toBeDefined();
      expect((await store.read())!.version).toBe(newestResult!.version);
    });

    it("saveIfNewer never lets an older record replace a newer one, and a later family always wins", async () => {
      const store = await harness.fresh();
      const newer = record(5);
      const first = await saveIfNewer(store, newer);
      expect(first).toMatchObject({ written: true, stored: { ...newer } });

      const older = await saveIfNewer(store, record(3));
      expect(older).toEqual({
        written: false,
        version: first.version,
        stored: { ...newer, version: first.version },
        notWrittenReason: expect.stringContaining("already holds a record at least as new"),
      });

      const replay = await saveIfNewer(store, newer);
      expect(replay.written).toBe(false);

      const nextFamily = record(0, { family: 1 }); // re-consent: a later family, even with an "earlier" rotation
      const moved = await saveIfNewer(store, nextFamily);
      expect(moved.written).toBe(true);
      expect(withoutVersion(await store.read())).toEqual(nextFamily);
      expect((await saveIfNewer(store, record(100))).written).toBe(false); // old family, however late
    });

    it("saveIfNewer with a clock: refuses a record dated ahead, and names a stored record dated ahead as clock skew", async () => {
      const store = await harness.fresh();
      const future = record(0, { family: 3 }); // dated 3 days after `now` below: a laptop whose clock ran fast
      const now = Date.parse(record(0).familyStartedAt);
      const refused = await rejectionOf(saveIfNewer(store, future, { now }));
      expect(refused).toMatchObject({ code: "CLOCK_SKEW" });
      expect(await store.read()).toBeUndefined();
      await saveIfNewer(store, future); // written without a clock (e.g. by an older version)
      const seed = await saveIfNewer(store, record(1), { now });
      expect(seed.written).toBe(false);
      expect(seed.notWrittenReason).toMatch(/dated \d+ min ahead of this machine's clock/);
      expectNoSecrets(refused, [future.refreshToken]);
    });

    it("saveIfNewer racing: an old writer never overwrites a newer one, whatever the interleaving", async () => {
      const store = await harness.fresh();
      for (let round = 0; round < 3; round++) {
        const newer = record(10 * (round + 1) + 5);
        const older = record(10 * (round + 1));
        await Promise.all(shuffled([newer, older]).map((r) => saveIfNewer(store, r)));
        expect(withoutVersion(await store.read())).toEqual(newer);
      }
    });

    it("rejects an invalid record without writing and without quoting it", async () => {
      const store = await harness.fresh();
      const bad = { refreshToken: "rt-secret-not-written-xyz", rotatedAt: "yesterday", familyStartedAt: "" };
      for (const attempt of [() => store.compareAndSwap(undefined, bad), () => saveIfNewer(store, bad)]) {
        const error = await rejectionOf(attempt());
        expect(error).toBeInstanceOf(InvalidRecordError);
        expect((error as Error).message).toContain(store.location);
        expectNoSecrets(error, [bad.refreshToken, "yesterday"]);
      }
      const noToken = await rejectionOf(store.compareAndSwap(undefined, { ...record(1), refreshToken: "" }));
      expect(noToken).toBeInstanceOf(InvalidRecordError);
      expect(await store.read()).toBeUndefined();
    });

    it("a malformed value is a typed error that never quotes it, and can be replaced deliberately", async () => {
      const store = await harness.fresh();
      const pasted = "rt-secret-pasted-bare-token-0123456789";
      const malformed: Array<[string, RegExp]> = [
        [pasted, /not JSON/],
        [JSON.stringify({ refreshToken: pasted }), /schema field is missing/],
        [JSON.stringify({ schema: 2, refreshToken: pasted }), /schema is not 1/],
        [JSON.stringify({ schema: 1, refreshToken: pasted, rotatedAt: pasted, familyStartedAt: 1 }), /rotatedAt/],
        [JSON.stringify([pasted]), /not a JSON object/],
      ];
      let version: string | undefined;
      for (const [raw, reason] of malformed) {
        await harness.writeRaw(store, raw);
        const error = await rejectionOf(store.read());
        expect(error).toBeInstanceOf(MalformedStoreValueError);
        expect((error as Error).message).toMatch(reason);
        expect((error as Error).message).toContain(store.location);
        expectNoSecrets(error, [pasted]);
        expect(await rejectionOf(saveIfNewer(store, record(1)))).toBeInstanceOf(MalformedStoreValueError);
        version = (error as MalformedStoreValueError).version;
      }
      expect(version).toEqual(expect.any(String));
      const repaired: RefreshTokenRecord = record(1);
      const v = await store.compareAndSwap(version, repaired);
      expect(await store.read()).toEqual({ ...repaired, version: v });
    });
  });
}
