/**
 * `npm run bench:token-chaos [-- --seed N] [-- --runs N]` — randomized token rotation against the emulator's real
 * rotation rules (10-minute leeway, reuse outside it revokes the family, 90-day inactivity, 365-day absolute expiry).
 *
 * Each run calls `rotateUnderLease` with the file store; randomly: two runs at once, an injected fault on
 * `/oauth/token` (5xx, a hang with a short client timeout, an omitted refresh_token, malformed JSON — 1 to 3 times,
 * so sometimes more than the client's retries), a simulated crash between exchange and persist (a store wrapper that
 * throws on the persisting compareAndSwap). Between runs the emulator clock jumps minutes to days (log-uniform,
 * 1 min … 2 days, which keeps every run inside the 90-day inactivity window and the whole 1,000 runs inside the
 * 365-day family lifetime); while the store holds a rotated-out token (after a crash) the next attempt comes after
 * the crashed run's lease expired but inside the 10-minute leeway, as the schedule's retry would.
 *
 * Invariant, after every run and at the end: the family is not revoked and the stored token is the family's
 * current token, or a rotated-out one still inside its leeway. The leeway check is conservative: a token is
 * counted as retired at the last moment this bench saw it current, which is no later than its real retirement.
 * Prints figures; exits 1 if the invariant was ever violated.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AtlassianClient } from "../atlassian";
import { createFileStore, rotateUnderLease, TokenLeaseHeldError, type RefreshTokenStore } from "../token-store";
import { startAtlassianEmulator, type FaultAction } from "../test/support/atlassian-emulator";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LEEWAY_MS = 10 * MINUTE;
const LEASE_MS = 5 * MINUTE;
const CLIENT_TIMEOUT_MS = 150;
const MAX_RETRIES = 2;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
}

/** mulberry32: small, seedable, good enough for scheduling chaos. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type FaultKind = "5xx" | "hang" | "omit-refresh-token" | "malformed-json";
const FAULT_KINDS: FaultKind[] = ["5xx", "hang", "omit-refresh-token", "malformed-json"];

async function main() {
  const seed = Number(arg("seed") ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(arg("runs") ?? 1000);
  // Each run draws from its own stream (seed, run), so run n's chaos does not depend on earlier outcomes; only the
  // race inside a concurrent pair (which of the two claims the lease first) depends on timing.
  let random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);

  const emulator = await startAtlassianEmulator();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "token-chaos-"));
  const started = performance.now();
  const faults: Record<FaultKind, number> = { "5xx": 0, hang: 0, "omit-refresh-token": 0, "malformed-json": 0 };
  const outcomes = new Map<string, number>();
  const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  let crashes = 0;
  let concurrentPairs = 0;
  let leaseBackoffsInPairs = 0;
  let recoveryRuns = 0;
  let crashesDuringRecovery = 0;
  let leaseOutlivesLeeway = 0;
  const noRecoveryCrash = process.argv.includes("--no-recovery-crash");
  const violations: string[] = [];
  try {
    const store = createFileStore({ path: path.join(dir, "token.json") });
    let grant = emulator.grant();
    let familyStart = emulator.clock.now();
    const benchStart = familyStart;
    const at = new Date(familyStart).toISOString();
    await store.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
    let grantsLost = 0;
    const history: string[] = [];
    /** After a violation: an admin re-authorizes (a new grant is seeded) so the chaos can go on. */
    const reauthorize = async () => {
      grantsLost++;
      grant = emulator.grant();
      familyStart = emulator.clock.now();
      const t = new Date(familyStart).toISOString();
      const current = await store.read();
      await store.compareAndSwap(current?.version, { refreshToken: grant.refreshToken, rotatedAt: t, familyStartedAt: t });
      observe();
    };

    const now = () => new Date(emulator.clock.now());
    const atlassian = new AtlassianClient({ env: emulator.env, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: MAX_RETRIES, timeoutMs: CLIENT_TIMEOUT_MS } });
    const exchange = (refreshToken: string) => atlassian.oauth.refresh({ ...emulator.app(), refreshToken });
    const crashing: RefreshTokenStore = {
      location: store.location,
      read: () => store.read(),
      compareAndSwap: async (expected, next) => {
        if (!next.lease) throw new Error("simulated crash after the exchange, before the persist");
        return store.compareAndSwap(expected, next);
      },
    };

    /** Last emulator time at which each token was seen as the family's current token. */
    const lastSeenCurrent = new Map<string, number>();
    const observe = () => {
      const current = emulator.family(grant.familyId)?.currentRefreshToken;
      if (current) lastSeenCurrent.set(current, emulator.clock.now());
    };
    const check = async (when: string) => {
      const before = violations.length;
      await checkInner(when);
      if (violations.length > before) {
        violations[violations.length - 1] += ` — last runs: ${history.slice(-3).join(" | ")}`;
        await reauthorize();
      }
    };
    const checkInner = async (when: string) => {
      const family = emulator.family(grant.familyId)!;
      const stored = await store.read();
      const t = emulator.clock.now();
      if (family.revoked) return void violations.push(`${when}: family revoked (${family.revokedReason})`);
      if (!stored) return void violations.push(`${when}: store empty`);
      if (stored.refreshToken === family.currentRefreshToken) return;
      const seen = lastSeenCurrent.get(stored.refreshToken);
      if (seen === undefined) return void violations.push(`${when}: stored token was never the family's current token`);
      if (t >= seen + LEEWAY_MS) violations.push(`${when}: stored token rotated out ${((t - seen) / MINUTE).toFixed(1)} min ago (leeway 10 min)`);
    };
    /** Stored token rotated out (a crash): the next attempt must come inside the leeway. Returns when it was retired. */
    const atRiskSince = async (): Promise<number | undefined> => {
      const stored = await store.read();
      if (!stored || stored.refreshToken === emulator.family(grant.familyId)?.currentRefreshToken) return undefined;
      return lastSeenCurrent.get(stored.refreshToken);
    };

    observe();
    for (let run = 1; run <= runs; run++) {
      random = prng((seed ^ Math.imul(run, 0x9e3779b9)) >>> 0);
      // Time passes: minutes to days, or — after a crash — past the dead run's lease but inside the leeway.
      const retiredAt = await atRiskSince();
      if (retiredAt !== undefined) {
        recoveryRuns++;
        const lease = (await store.read())?.lease;
        const earliest = Math.max(emulator.clock.now(), lease ? Date.parse(lease.until) + 1000 : 0);
        const latest = retiredAt + LEEWAY_MS - 30_000;
        // If the dead run's lease outlives the token's leeway (a crash during an earlier recovery), the schedule can
        // only retry once the lease has expired — too late; that is what happens here too.
        if (latest > earliest) emulator.clock.advance(between(earliest, latest) - emulator.clock.now());
        else {
          leaseOutlivesLeeway++;
          emulator.clock.advance(earliest - emulator.clock.now());
        }
      } else {
        let jump = Math.exp(between(Math.log(MINUTE), Math.log(2 * DAY)));
        if (emulator.clock.now() + jump > familyStart + 355 * DAY) jump = between(MINUTE, 10 * MINUTE);
        emulator.clock.advance(jump);
      }
      observe(); // the current token is still current at the new time (nothing rotated while time passed)

      // Chaos for this run.
      if (random() < 0.3) {
        const kind = pick(FAULT_KINDS);
        const action: FaultAction =
          kind === "5xx" ? { kind: "status", status: pick([500, 502, 503, 504]) } : kind === "hang" ? { kind: "hang" } : { kind };
        const times = 1 + Math.floor(random() * (MAX_RETRIES + 2)); // 1 … retries+2: sometimes outlasts the client's retries
        emulator.faults.add({ match: { host: "auth", path: "/oauth/token" }, times, action });
        faults[kind]++;
      }
      const crash = random() < 0.08 && !(noRecoveryCrash && retiredAt !== undefined);
      if (crash) crashes++;
      if (crash && retiredAt !== undefined) crashesDuringRecovery++;
      const concurrent = random() < 0.1;

      const attempt = async (holder: string, useCrashing: boolean) => {
        try {
          await rotateUnderLease(useCrashing ? crashing : store, { holder, now, exchange, leaseMs: LEASE_MS });
          return "rotated";
        } catch (error) {
          if (error instanceof TokenLeaseHeldError) return "lease-held";
          const message = (error as Error).message;
          if (message.startsWith("simulated crash")) return "crashed";
          return (error as Error).name;
        }
      };
      if (concurrent) {
        concurrentPairs++;
        const results = await Promise.all([attempt(`run-${run}-a`, crash), attempt(`run-${run}-b`, false)]);
        if (results.includes("lease-held")) leaseBackoffsInPairs++;
        results.forEach((r) => count(`pair:${r}`));
        history.push(`#${run}${retiredAt !== undefined ? " recovery" : ""} pair ${results.join("/")}`);
      } else {
        const result = await attempt(`run-${run}`, crash);
        count(result);
        history.push(`#${run}${retiredAt !== undefined ? " recovery" : ""} ${result}`);
      }
      emulator.faults.clear();
      observe();
      await check(`run ${run}`);
    }

    // At the end: the invariant once more, then prove it — the stored token still rotates.
    await check("end");
    const retiredAt = await atRiskSince();
    if (retiredAt !== undefined) {
      const lease = (await store.read())?.lease;
      if (lease) emulator.clock.advance(Math.max(0, Date.parse(lease.until) + 1000 - emulator.clock.now()));
    }
    const final = await rotateUnderLease(store, { holder: "final", now, exchange }).then(
      () => "rotated",
      (error: Error) => `${error.name}: ${error.message}`,
    );
    if (final !== "rotated") violations.push(`end: the final rotation failed (${final})`);
    const family = emulator.family(grant.familyId)!;

    const wall = performance.now() - started;
    console.log(`seed ${seed} (reproduce with: npm run bench:token-chaos -- --seed ${seed})`);
    console.log(`runs: ${runs}; simulated time: ${((emulator.clock.now() - benchStart) / DAY).toFixed(1)} days; grants lost (re-authorized to go on): ${grantsLost}; last family: ${family.rotations} rotations, revoked: ${family.revoked}`);
    console.log(`faults injected (runs with a fault on /oauth/token): ${FAULT_KINDS.map((k) => `${k} ${faults[k]}`).join(", ")} (total ${FAULT_KINDS.reduce((n, k) => n + faults[k], 0)})`);
    console.log(`crashes between exchange and persist: ${crashes} armed, ${(outcomes.get("crashed") ?? 0) + (outcomes.get("pair:crashed") ?? 0)} fired (the others' exchange failed first; ${crashesDuringRecovery} of them during a recovery attempt${noRecoveryCrash ? "; --no-recovery-crash" : ""}); recovery attempts: ${recoveryRuns} (${leaseOutlivesLeeway} could not start before the token's leeway ended: the dead run's lease outlived it)`);
    console.log(`concurrent pairs: ${concurrentPairs} (one backed off on the lease in ${leaseBackoffsInPairs})`);
    console.log(`outcomes: ${[...outcomes].sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
    console.log(`final rotation: ${final}`);
    console.log(`invariant violations: ${violations.length}`);
    for (const v of violations.slice(0, 5)) console.log(`  - ${v}`);
    if (violations.length > 5) console.log(`  - … ${violations.length - 5} more`);
    console.log(`wall time: ${(wall / 1000).toFixed(1)} s`);
    if (violations.length > 0) process.exitCode = 1;
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
