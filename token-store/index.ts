/**
 * Where the live Atlassian refresh token is kept, shared by the Pulumi provider (seeds it) and the collector
 * (rotates it). Write with `saveIfNewer`: it never lets an older token replace a newer one.
 *
 * ```ts
 * const store = createSecretsManagerStore({ secretArn });
 * const current = await store.read();                        // undefined: never seeded
 * const tokens = await atlassian.oauth.refresh({ clientId, clientSecret, refreshToken: current!.refreshToken });
 * await saveIfNewer(store, { refreshToken: tokens.refreshToken, rotatedAt: new Date().toISOString(),
 *                            familyStartedAt: current!.familyStartedAt });   // before using the access token
 * ```
 */
import { FileRefreshTokenStore, type FileStoreOptions } from "./file-store";
import { SecretsManagerRefreshTokenStore, type SecretsManagerStoreOptions } from "./secrets-manager-store";

export * from "./types";
export * from "./errors";
export { isNewerRecord, serializeRecord, parseRecord, assertValidRecord } from "./record";
export {
  rotateUnderLease,
  defaultFailureKind,
  DEFAULT_LEASE_MS,
  type ExchangeAttempt,
  type ExchangeFailure,
  type RotateUnderLeaseOptions,
  type RotationResult,
} from "./lease";
export { seedFingerprint, newHolderId, decideSeed, type SeedDecision } from "./seed";
export * as rotationRules from "./rotation-rules";
export { adoptFamilyStart, type FamilyStartOutcome } from "./family-start";
export { consentTimeProblem, FAMILY_LIFETIME_MS } from "./consent-time";
export { saveIfNewer, type SaveIfNewerOptions, type SaveIfNewerResult } from "./save-if-newer";
export {
  SecretsManagerRefreshTokenStore,
  PENDING_STAGE,
  type SecretsManagerStoreOptions,
} from "./secrets-manager-store";
export { FileRefreshTokenStore, contentVersion, type FileStoreOptions } from "./file-store";
export type { FileLockOptions } from "./file-lock";

/** A store in the Secrets Manager secret `secretArn` (region: option, else the ARN's, else the SDK default). */
export function createSecretsManagerStore(options: SecretsManagerStoreOptions): SecretsManagerRefreshTokenStore {
  return new SecretsManagerRefreshTokenStore(options);
}

/** A store in a local JSON file (mode 0600), for laptops and the CLI. */
export function createFileStore(options: FileStoreOptions): FileRefreshTokenStore {
  return new FileRefreshTokenStore(options);
}
