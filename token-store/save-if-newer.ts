/**
 * The one write path writers should use: never lets an older refresh token replace a newer one, even when the
 * provider and the collector (or two collector runs) write at the same moment.
 */
import { ClockSkewError, TokenStoreConflictError } from "./errors";
import { assertValidRecord, earlierFamilyStart, isNewerRecord, msAheadOf, pickRecord, sameFamily } from "./record";
import { MAX_RECORD_AHEAD_MS } from "./rotation-rules";
import type { RefreshTokenRecord, RefreshTokenStore, StoredRefreshToken } from "./types";

export interface SaveIfNewerOptions {
  /**
   * How many read → compare → compare-and-swap rounds to try before giving up with `TokenStoreConflictError`.
   * Default 10. Every round has a winner and every loser either stops (the winner's record is at least as new) or
   * is newer than the winner, so `n` concurrent writers always settle within `n` rounds.
   */
  maxAttempts?: number;
  /**
   * This writer's clock (epoch ms). With it, a record dated more than 5 minutes ahead — `next`, or the stored one
   * that would make this write a no-op — is clock skew: `next` is refused, and `notWrittenReason` says so.
   */
  now?: number;
}

export interface SaveIfNewerResult {
  /** Whether this call wrote `next`. `false`: the store already held a record at least as new. */
  written: boolean;
  /** The store's version after this call (ours if written, else the one that made us stop). */
  version: string;
  /** What the store holds after this call, as far as this writer knows. */
  stored: StoredRefreshToken;
  /** When not written: why, in words an admin can act on (never quoting a token). */
  notWrittenReason?: string;
}

/**
 * Writes `next` unless the store holds a newer (or the same) record: read → `isNewerRecord` → compare-and-swap,
 * re-reading and retrying on conflict, at most `maxAttempts` rounds. Throws `InvalidRecordError` before touching
 * the store when `next` is malformed, and the last `TokenStoreConflictError` when every round lost.
 */
export async function saveIfNewer(
  store: RefreshTokenStore,
  next: RefreshTokenRecord,
  options: SaveIfNewerOptions = {},
): Promise<SaveIfNewerResult> {
  assertValidRecord(next, store.location);
  const nextAhead = options.now !== undefined ? msAheadOf(next, options.now) : 0;
  if (nextAhead > MAX_RECORD_AHEAD_MS) {
    throw new ClockSkewError(store.location, nextAhead, "refusing to write a refresh-token record dated ahead of this clock");
  }
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 10));
  const record = pickRecord(next);
  let lastConflict: TokenStoreConflictError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await store.read();
    if (current !== undefined && !isNewerRecord(record, current)) {
      const ahead = options.now !== undefined ? msAheadOf(current, options.now) : 0;
      const notWrittenReason =
        ahead > MAX_RECORD_AHEAD_MS
          ? `the store holds a record dated ${Math.round(ahead / 60_000)} min ahead of this machine's clock (written by a machine whose clock ran fast), which no correctly dated record can supersede`
          : `the store already holds a record at least as new (family started ${current.familyStartedAt}, rotated ${current.rotatedAt})`;
      return { written: false, version: current.version, stored: current, notWrittenReason };
    }
    // A newer token of the same family keeps the family's earliest known start (never moved later).
    const toWrite = current !== undefined && sameFamily(record, current) ? { ...record, familyStartedAt: earlierFamilyStart(record.familyStartedAt, current.familyStartedAt) } : record;
    try {
      const version = await store.compareAndSwap(current?.version, toWrite);
      return { written: true, version, stored: { ...toWrite, version } };
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError)) throw error;
      lastConflict = error;
      // Losers of one round would otherwise collide again in lockstep; a short random pause spreads them out.
      if (attempt < maxAttempts) await sleep(Math.random() * 20 * attempt);
    }
  }
  throw lastConflict!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
