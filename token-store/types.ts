/**
 * The contract shared by every refresh-token store.
 *
 * Atlassian refresh tokens rotate: each exchange returns a new token and the presented one dies ten minutes later;
 * presenting a dead one revokes the whole grant. Two writers share one store (the Pulumi provider seeds it, the
 * collector rotates it), so writes are compare-and-swap: a writer that read an older state can never overwrite a
 * newer token.
 */

/** One refresh token and the two timestamps that order it against any other. */
export interface RefreshTokenRecord {
  /** The secret. Never logged, never placed in an error. */
  refreshToken: string;
  /** ISO 8601: when this token was issued (the exchange that returned it). Orders tokens within one family. */
  rotatedAt: string;
  /** ISO 8601: the consent that started this grant family, i.e. the start of the 365-day absolute expiry clock. */
  familyStartedAt: string;
  /**
   * Optional, opaque and not secret: a one-way fingerprint of the admin-supplied token this family was seeded from.
   * The Pulumi provider uses it to recognise that its configured token was already consumed by an earlier run.
   * Stores persist it unchanged; it plays no part in ordering.
   */
  seededFrom?: string;
  /**
   * Optional: a run that is about to exchange this token holds it until `until` (ISO 8601), so that no other run
   * exchanges the same token meanwhile (see `rotateUnderLease`). Not secret; plays no part in ordering.
   */
  lease?: TokenLease;
}

/** Who is rotating the token right now, and until when the claim holds if that run dies. */
export interface TokenLease {
  holder: string;
  until: string;
  /**
   * ISO 8601: the latest moment the stored token can still be exchanged if an earlier holder already exchanged it
   * (claim time + Atlassian's 10-minute leeway). Carried across takeovers so that no chain of crashed runs can
   * lease the token past it.
   */
  leewayEndsBy?: string;
}

/** A record as read from a store, with the version a compare-and-swap must name to replace it. */
export interface StoredRefreshToken extends RefreshTokenRecord {
  /** Opaque: the Secrets Manager VersionId, or the file's content hash. Not secret. */
  version: string;
}

/** Where the current refresh token lives. Implementations: Secrets Manager, a local file. */
export interface RefreshTokenStore {
  /** Human-readable, never secret, e.g. `secretsmanager:<arn>` or `file:<path>`. Used in messages and logs. */
  readonly location: string;
  /** The current record, or `undefined` when the store was never seeded (secret without a value / file absent). */
  read(): Promise<StoredRefreshToken | undefined>;
  /**
   * Writes `next` only if the store still holds `expectedVersion` (`undefined` = expects an unseeded store).
   * Returns the new version. Throws `TokenStoreConflictError` when another writer got there first.
   */
  compareAndSwap(expectedVersion: string | undefined, next: RefreshTokenRecord): Promise<string>;
}
