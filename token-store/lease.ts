/**
 * Single flight for token exchanges across processes (the rules are in `rotation-rules.ts`, the protocol in the
 * README's "Rotation protocol"). A run claims the store by compare-and-swap — recording *when* it presents which
 * token — before presenting anything; it then stores the successor, retrying store failures until shortly before
 * the presented token's deadline. Every path that presents a refresh token (collector rotation, the provider's and
 * the CLI's checks, seeding a newly configured token) goes through `rotateUnderLease`.
 */
import { randomUUID } from "node:crypto";
import {
  ClockSkewError,
  RotatedTokenNotSavedError,
  TokenLeaseHeldError,
  TokenRejectedError,
  TokenStoreConflictError,
  TokenStoreNotFoundError,
} from "./errors";
import { seededFamilyStart } from "./consent-time";
import { earlierFamilyStart, msAheadOf, pickRecord } from "./record";
import { runningClaims } from "./running-claims";
import {
  type ClaimTarget,
  decideClaim,
  DEFAULT_LEASE_MS,
  MAX_RECORD_AHEAD_MS,
  MAX_CLOCK_SKEW_MS,
  persistBudgetEnds,
  retryDelay,
} from "./rotation-rules";
import type { RefreshTokenRecord, RefreshTokenStore, StoredRefreshToken } from "./types";

export { DEFAULT_LEASE_MS };

/** How an exchange failed: it never reached Atlassian, Atlassian rejected the token, or nobody knows. */
export type ExchangeFailure = "not-presented" | "rejected" | "unknown";

export interface ExchangeAttempt {
  /** The attempt must finish within this many ms (its lease ends then); pass it to the client's timeouts. */
  budgetMs: number;
}

export interface RotateUnderLeaseOptions<T extends { refreshToken: string }> {
  /** This run (the Lambda request ID, or a random ID per CLI/provider run); not secret. Never shared by two runs. */
  holder: string;
  now: () => Date;
  /** Default: a timer. Tests and benchmarks pass their own clock's. */
  sleep?: (ms: number) => Promise<void>;
  leaseMs?: number;
  /** How long to wait for another run's lease to end before failing with `TokenLeaseHeldError` (default 0). */
  waitMs?: number;
  /** Presents `refreshToken`; returns the answer (its `refreshToken` equals the presented one if it did not rotate). */
  exchange: (refreshToken: string, attempt: ExchangeAttempt) => Promise<T>;
  /**
   * Seeding: present this configured token (a new consent's) instead of the stored one. `familyStartedAt`: when the
   * consent happened (the code exchange), if known; else the family starts with this claim.
   */
  configured?: { refreshToken: string; seededFrom: string; familyStartedAt?: string };
  /** Default: by the error's `code` (see `defaultFailureKind`). */
  classifyFailure?: (error: unknown) => ExchangeFailure;
  /** This clock minus the server's, in ms; asked before taking over a token another run presented. */
  serverClockOffsetMs?: () => Promise<number | undefined>;
  /** Re-run hint for the "not saved" error, e.g. "run `pulumi up` again". */
  rerunHint?: string;
  /** How long to keep retrying a store that is unavailable before the claim (default 0: fail at once). */
  storeWaitMs?: number;
}

export interface RotationResult<T> {
  exchanged: T;
  /** What the store holds now. */
  record: RefreshTokenRecord;
  version: string;
  /** The token is still at risk (answers without a new refresh token): the next run must come before `deadline`. */
  atRisk: boolean;
  /** Epoch ms: the presented token's deadline (earliest presentation + leeway). */
  deadline: number;
  /** The run took over a token an earlier run had presented without storing the outcome. */
  tookOver: boolean;
}

const MAX_CLAIM_ROUNDS = 10;
/** The least of its lease an in-run retry needs (the client's budget ends with the lease either way). */
const LAST_ATTEMPT_MS = 5_000;
/** In-run exchange attempts; the lease (≤ 5 min, before the deadline) bounds them in time. */
const MAX_EXCHANGE_ATTEMPTS = 30;

export async function rotateUnderLease<T extends { refreshToken: string }>(
  store: RefreshTokenStore,
  options: RotateUnderLeaseOptions<T>,
): Promise<RotationResult<T>> {
  const claims = runningClaims();
  const runningHere = claims.has(options.holder);
  claims.enter(options.holder);
  try {
    return await rotate(store, options, runningHere);
  } finally {
    claims.leave(options.holder);
  }
}

async function rotate<T extends { refreshToken: string }>(
  store: RefreshTokenStore,
  options: RotateUnderLeaseOptions<T>,
  holderRunningHere: boolean,
): Promise<RotationResult<T>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const nowMs = () => options.now().getTime();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const claimId = randomUUID();
  const waitUntil = nowMs() + (options.waitMs ?? 0);
  const storeWaitUntil = nowMs() + (options.storeWaitMs ?? 0);
  let storeFailures = 0;

  // 1. Claim: read, decide, compare-and-swap the lease (with this presentation recorded) — or wait for the holder.
  let claimed: { base: RefreshTokenRecord; target: ClaimTarget; token: string; version: string; deadline: number; earlier: string[]; tookOver: boolean; claimTime: string; until: number } | undefined;
  for (let round = 1; !claimed; round++) {
    let stored: StoredRefreshToken | undefined;
    try {
      stored = await store.read();
    } catch (error) {
      // A store outage before the claim: nothing was presented yet, so waiting it out costs nothing.
      const delay = storeRetryDelay(error, ++storeFailures, nowMs(), storeWaitUntil);
      if (delay === undefined) throw error;
      await sleep(delay);
      continue;
    }
    const now = nowMs();
    const configured = options.configured;
    if (!stored && !configured) {
      throw new TokenStoreNotFoundError(store.location, "it holds no refresh token yet (seed it with `pulumi up` or `jira-connector authorize`)");
    }
    // Already seeded from the configured token (an earlier run presented it): use the store's token instead.
    const useStored = stored !== undefined && (!configured || stored.seededFrom === configured.seededFrom);
    const base: RefreshTokenRecord = stored
      ? pickRecord(stored)
      : { refreshToken: configured!.refreshToken, rotatedAt: iso(now), familyStartedAt: earlierFamilyStart(configured!.familyStartedAt ?? iso(now), iso(now)), seededFrom: configured!.seededFrom };
    const target: ClaimTarget = stored && !useStored ? { kind: "configured", seededFrom: configured!.seededFrom } : { kind: "stored" };
    if (target.kind === "stored" && base.rejectedAt !== undefined) throw new TokenRejectedError(store.location, base.rejectedAt);
    const ahead = stored ? msAheadOf(stored, now) : 0;
    if (target.kind === "stored" && ahead > MAX_RECORD_AHEAD_MS) {
      throw new ClockSkewError(store.location, -ahead, `the stored record is dated ${Math.round(ahead / 60_000)} min ahead of this machine's clock`);
    }
    const decision = decideClaim(base, { target, holder: options.holder, claim: claimId, now, leaseMs, holderRunningHere });
    if (decision.kind === "held") {
      if (now >= waitUntil || round > 1000) throw new TokenLeaseHeldError(store.location, decision.holder, decision.until);
      await sleep(Math.max(1, Math.min(2000, waitUntil - now, Date.parse(decision.until) - now)));
      continue;
    }
    // Every claim writes times that later takeovers trust, so a writer whose clock is off the store's refuses any
    // claim (free: the read just measured it); a takeover also asks Atlassian when the store cannot tell.
    assertClockAgrees(store.location, store.serverClockOffsetMs?.(), "refusing to claim the refresh token");
    if (decision.takingOver && !decision.pastDeadline && store.serverClockOffsetMs?.() === undefined) {
      assertClockAgrees(store.location, await options.serverClockOffsetMs?.(), "refusing to take over a refresh token another run presented");
    }
    const earlier = decision.presentedAt.slice(0, -1);
    const claimRecord: RefreshTokenRecord =
      target.kind === "stored"
        ? { ...base, lease: decision.lease, presentedAt: decision.presentedAt }
        : { ...base, lease: decision.lease, seeding: { seededFrom: target.seededFrom, presentedAt: decision.presentedAt } };
    try {
      const version = await store.compareAndSwap(stored?.version, claimRecord);
      const token = target.kind === "stored" ? base.refreshToken : configured!.refreshToken;
      claimed = { base: claimRecord, target, token, version, deadline: decision.deadline, earlier, tookOver: decision.takingOver, claimTime: iso(now), until: Date.parse(decision.lease.until) };
    } catch (error) {
      if (error instanceof TokenStoreConflictError && round < MAX_CLAIM_ROUNDS) continue;
      const delay = storeRetryDelay(error, ++storeFailures, nowMs(), storeWaitUntil);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }

  // 2. Present, retrying inside the lease while the outcome is unknown (the token is then at risk).
  const { base, target, token, deadline } = claimed;
  let version = claimed.version;
  const classify = options.classifyFailure ?? defaultFailureKind;
  // Each attempt's client budget ends with the lease; a new attempt needs at least this much of it left.
  const retryBudgetEnd = claimed.until - LAST_ATTEMPT_MS;
  let unknownOutcomes = 0;
  // Presentations whose outcome is not stored: the earlier runs', plus this claim's once any attempt's is unknown.
  const risky = () => (unknownOutcomes > 0 ? [...claimed.earlier, claimed.claimTime] : claimed.earlier);
  let exchanged: T | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      exchanged = await options.exchange(token, { budgetMs: Math.max(1, claimed.until - nowMs()) });
    } catch (error) {
      const kind = classify(error);
      if (kind === "unknown") unknownOutcomes++;
      const delay = kind === "unknown" && attempt < MAX_EXCHANGE_ATTEMPTS ? retryDelay(attempt, nowMs(), retryBudgetEnd) : undefined;
      if (delay !== undefined) {
        await sleep(delay);
        continue;
      }
      await store.compareAndSwap(version, released(base, target, risky(), kind === "rejected", iso(nowMs()))).catch(() => undefined);
      throw error;
    }
    if (exchanged.refreshToken !== token) break;
    // Not rotated: this presentation changed nothing, but earlier ones (or this run's unknown outcomes) may have.
    if (risky().length === 0) break;
    const delay = attempt < MAX_EXCHANGE_ATTEMPTS ? retryDelay(attempt, nowMs(), retryBudgetEnd) : undefined;
    if (delay === undefined) {
      const record = released(base, target, risky(), false, iso(nowMs()));
      const kept = await persist(store, version, record, { ...options, sleep, nowMs, deadline });
      return { exchanged, record, version: kept, atRisk: true, deadline, tookOver: claimed.tookOver };
    }
    await sleep(delay);
  }

  // 3. Store the successor before the caller uses anything from the exchange. The claim ends here.
  const record = successor(base, target, exchanged.refreshToken, iso(nowMs()), claimed.claimTime, options.configured);
  try {
    version = await persist(store, version, record, { ...options, sleep, nowMs, deadline });
  } catch (error) {
    // Let a re-run take over at once (best effort: the store may still be down); the presentation stays on record.
    if (error instanceof RotatedTokenNotSavedError) {
      await store.compareAndSwap(version, released(base, target, [...claimed.earlier, claimed.claimTime], false, iso(nowMs()))).catch(() => undefined);
    }
    throw error;
  }
  return { exchanged, record, version, atRisk: false, deadline, tookOver: claimed.tookOver };
}

/**
 * The record after a successful exchange: the new token, fresh (no lease, no presentations). `configured.familyStartedAt`:
 * when the configured token's grant was consented to, if known (it never moves a family's start later).
 */
function successor(base: RefreshTokenRecord, target: ClaimTarget, refreshToken: string, now: string, claimTime: string, configured?: { seededFrom: string; familyStartedAt?: string }): RefreshTokenRecord {
  const consentAt = configured?.familyStartedAt;
  const { lease: _lease, presentedAt: _presented, rejectedAt: _rejected, seeding, ...rest } = base;
  if (target.kind === "configured") {
    // A new grant: its family starts at the consent, else with this exchange; after any family it replaces.
    const replaced = base.seededFrom !== target.seededFrom ? base.familyStartedAt : undefined;
    return { refreshToken, rotatedAt: now, familyStartedAt: seededFamilyStart(consentAt, claimTime, replaced), seededFrom: target.seededFrom };
  }
  // The stored token was seeded from the configured one: its consent time may move the family's start earlier.
  const sameSeed = consentAt !== undefined && base.seededFrom !== undefined && base.seededFrom === configured!.seededFrom;
  return {
    ...rest,
    ...(sameSeed ? { familyStartedAt: earlierFamilyStart(base.familyStartedAt, consentAt!) } : {}),
    refreshToken,
    rotatedAt: refreshToken === base.refreshToken ? base.rotatedAt : now,
    ...(seeding ? { seeding } : {}),
  };
}

/** The record after a failed or inconclusive exchange: lease released, the presentations still at risk kept. */
function released(base: RefreshTokenRecord, target: ClaimTarget, risky: string[], rejected: boolean, now: string): RefreshTokenRecord {
  const { lease, presentedAt: _presented, seeding: _seeding, ...rest } = base;
  const releasedLease = lease ? { lease: { holder: lease.holder, ...(lease.claim ? { claim: lease.claim } : {}), until: now } } : {};
  if (target.kind === "configured") {
    // The stored token was not touched; the configured one's presentations stay on record for whoever holds it.
    const others = { ...rest, ...(base.presentedAt ? { presentedAt: base.presentedAt } : {}) };
    return rejected || risky.length === 0 ? { ...others, ...releasedLease } : { ...others, ...releasedLease, seeding: { seededFrom: target.seededFrom, presentedAt: risky } };
  }
  return {
    ...rest,
    ...(base.seeding ? { seeding: base.seeding } : {}),
    ...releasedLease,
    ...(risky.length > 0 && !rejected ? { presentedAt: risky } : {}),
    ...(rejected ? { rejectedAt: now } : {}),
  };
}

interface PersistContext {
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
  deadline: number;
  rerunHint?: string;
}

/** Compare-and-swap `record`, retrying transient store failures until shortly before the deadline. */
async function persist(store: RefreshTokenStore, expected: string, record: RefreshTokenRecord, context: PersistContext): Promise<string> {
  const budgetEnd = persistBudgetEnds(context.deadline, context.nowMs());
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.compareAndSwap(expected, record);
    } catch (error) {
      const delay = storeRetryDelay(error, attempt, context.nowMs(), budgetEnd);
      if (delay !== undefined) {
        await context.sleep(delay);
        continue;
      }
      if (error instanceof TokenStoreConflictError) throw error;
      const minutesLeft = Math.max(0, Math.floor((context.deadline - context.nowMs()) / 60_000));
      const cause = (error as { code?: unknown }).code ? `${String((error as { code: unknown }).code)}: ${(error as Error).message}` : "unknown store failure";
      throw new RotatedTokenNotSavedError(store.location, iso(context.deadline), minutesLeft, cause, context.rerunHint ?? "run again");
    }
  }
}

/** The wait before retrying a failed store call, or `undefined` when it is final (a conflict, not retryable, out of budget). */
function storeRetryDelay(error: unknown, attempt: number, now: number, budgetEnd: number): number | undefined {
  const retryable = (error as { retryable?: unknown })?.retryable === true && !(error instanceof TokenStoreConflictError);
  return retryable ? retryDelay(attempt, now, budgetEnd) : undefined;
}

/** Throws `ClockSkewError` when this clock is known to be more than a minute off the server's: deadlines would be misjudged. */
function assertClockAgrees(location: string, offset: number | undefined, what: string): void {
  if (offset !== undefined && Math.abs(offset) > MAX_CLOCK_SKEW_MS) throw new ClockSkewError(location, offset, what);
}

/** By `code`: invalid_grant → rejected; a refused client, a bad argument or a 429 never reached the exchange. */
export function defaultFailureKind(error: unknown): ExchangeFailure {
  const code = (error as { code?: unknown })?.code;
  if (code === "REAUTHORIZATION_REQUIRED") return "rejected";
  if (code === "INVALID_CLIENT_CREDENTIALS" || code === "INVALID_ARGUMENT" || code === "RATE_LIMITED") return "not-presented";
  return "unknown";
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

