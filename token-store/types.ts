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
   * Optional: a run that is about to exchange a token (this one, or a configured one: see `seeding`) holds the
   * store until `until`, so that no other run presents the same token meanwhile (see `rotateUnderLease`).
   */
  lease?: TokenLease;
  /**
   * Optional, ISO 8601: every moment this record's `refreshToken` was presented to Atlassian by a run that did not
   * get to store the outcome (crashed, lost answer, store outage). Atlassian may have rotated it at the earliest of
   * them, so it is usable only until that moment + the 10-minute leeway. Cleared when a successor is stored.
   */
  presentedAt?: string[];
  /**
   * Optional: a configured token (from an admin's new consent) whose exchange is in flight or was left unfinished.
   * The configured token itself is not stored (only its fingerprint), so the stored token stays intact if the
   * configured one turns out invalid; whoever holds the configured token may re-present it before the deadline.
   */
  seeding?: SeedingMarker;
  /**
   * Optional, ISO 8601: when Atlassian rejected this record's token (`invalid_grant`): the grant needs a new
   * consent. Lets `collect --refresh-token` replace the record without `--force`.
   */
  rejectedAt?: string;
}

/** Who is rotating the token right now, and until when the claim holds if that run dies. */
export interface TokenLease {
  /** The run (e.g. the Lambda request ID, or a random ID per CLI/provider run). Only a retry of the same run reuses it. */
  holder: string;
  /** Random per claim: tells a holder's running claim from one it abandoned. */
  claim?: string;
  until: string;
  /** Read from records written by earlier versions (claim time + leeway); new writers record `presentedAt`. */
  leewayEndsBy?: string;
}

/** An exchange of a configured (not stored) token: which one, and when it was presented. */
export interface SeedingMarker {
  /** `seedFingerprint` of the configured token. */
  seededFrom: string;
  presentedAt: string[];
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
  /**
   * Optional: this machine's clock minus the backend's (from the last response's `Date` header), in ms, or
   * `undefined` when no response was seen. A writer that is off by more than a minute must not take over a lease.
   */
  serverClockOffsetMs?(): number | undefined;
}
