/**
 * Single flight for token rotation across processes: a run claims the stored token (a lease written by
 * compare-and-swap) before exchanging it, and releases the claim by storing the rotated token. Two runs can then
 * never exchange the same token at once — which would leave one of them holding a token Atlassian has already
 * retired. If the holder dies between exchange and persist, its lease expires (5 minutes by default, inside
 * Atlassian's 10-minute leeway) and the next run exchanges the old token again, which the leeway still accepts.
 */
import { TokenLeaseHeldError, TokenStoreConflictError, TokenStoreNotFoundError } from "./errors";
import { pickRecord } from "./record";
import type { RefreshTokenRecord, RefreshTokenStore } from "./types";

export const DEFAULT_LEASE_MS = 5 * 60 * 1000;
/** Atlassian keeps a rotated-out refresh token usable for 10 minutes (atlassian-api.md §3.3). */
const LEEWAY_MS = 10 * 60 * 1000;
/** Room for the exchange and the persist to finish before the leeway ends. */
const LEASE_SAFETY_MARGIN_MS = 60 * 1000;

export interface RotateUnderLeaseOptions<T extends { refreshToken: string }> {
  /** Identifies this run in the lease (e.g. the Lambda request ID); not secret. */
  holder: string;
  now: () => Date;
  leaseMs?: number;
  /** Exchanges the stored token; returns the rotated one (plus whatever else the caller needs, e.g. an access token). */
  exchange: (refreshToken: string, stored: RefreshTokenRecord) => Promise<T>;
}

/** What was exchanged and what is stored now. */
export interface RotationResult<T> {
  exchanged: T;
  record: RefreshTokenRecord;
  version: string;
}

export async function rotateUnderLease<T extends { refreshToken: string }>(
  store: RefreshTokenStore,
  options: RotateUnderLeaseOptions<T>,
): Promise<RotationResult<T>> {
  const stored = await store.read();
  if (!stored) throw new TokenStoreNotFoundError(store.location, "it holds no refresh token yet (seed it with `pulumi up` or `jira-connector authorize`)");
  const now = options.now();
  if (stored.lease && stored.lease.holder !== options.holder && Date.parse(stored.lease.until) > now.getTime()) {
    throw new TokenLeaseHeldError(store.location, stored.lease.holder, stored.lease.until);
  }
  const { lease: previousLease, ...current } = pickRecord(stored);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // A previous holder may have exchanged this token before dying: it is then usable only until its claim time plus
  // the leeway. Taking over never extends that deadline (a chain of crashed runs would otherwise outlive it).
  const inherited = previousLease
    ? previousLease.leewayEndsBy ?? new Date(Date.parse(previousLease.until) - leaseMs + LEEWAY_MS).toISOString()
    : undefined;
  // A deadline already past protects nothing (the token either never rotated, or is beyond saving): claim afresh,
  // with a full lease, rather than a zero-length one that would let a concurrent run in.
  const takingOver = inherited !== undefined && Date.parse(inherited) > now.getTime();
  const leewayEndsBy = takingOver ? inherited : new Date(now.getTime() + LEEWAY_MS).toISOString();
  const until = Math.min(now.getTime() + leaseMs, Date.parse(leewayEndsBy) - LEASE_SAFETY_MARGIN_MS);
  const lease = {
    holder: options.holder,
    until: new Date(Math.max(until, now.getTime())).toISOString(),
    leewayEndsBy,
  };
  let leasedVersion: string;
  try {
    leasedVersion = await store.compareAndSwap(stored.version, { ...current, lease });
  } catch (error) {
    if (error instanceof TokenStoreConflictError) {
      const winner = await store.read();
      throw new TokenLeaseHeldError(store.location, winner?.lease?.holder ?? "another writer", winner?.lease?.until ?? "now");
    }
    throw error;
  }

  let exchanged: T;
  try {
    exchanged = await options.exchange(current.refreshToken, current);
  } catch (error) {
    // Release the claim (best effort), but keep the deadline: the exchange may have reached Atlassian (a garbled or
    // lost answer) and started the stored token's leeway. The next run may take over at once, inside that deadline.
    const released = { ...current, lease: { holder: options.holder, until: new Date(Math.min(options.now().getTime(), Date.parse(leewayEndsBy))).toISOString(), leewayEndsBy } };
    await store.compareAndSwap(leasedVersion, released).catch(() => undefined);
    throw error;
  }

  // Persist before the caller uses anything from the exchange. No lease in the new record: the claim ends here.
  const record: RefreshTokenRecord = { ...current, refreshToken: exchanged.refreshToken, rotatedAt: options.now().toISOString() };
  if (exchanged.refreshToken === current.refreshToken) {
    // Atlassian omitted refresh_token (field report): keep the token, just release the lease.
    const version = await persist(store, leasedVersion, current);
    return { exchanged, record: current, version };
  }
  const version = await persist(store, leasedVersion, record);
  return { exchanged, record, version };
}

/** The rotated token must not be lost to a transient store failure: a few quick retries (conflicts are final). */
async function persist(store: RefreshTokenStore, expected: string, record: RefreshTokenRecord): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.compareAndSwap(expected, record);
    } catch (error) {
      const retryable = (error as { retryable?: unknown }).retryable === true && !(error instanceof TokenStoreConflictError);
      if (!retryable || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
