import { assignErrorIdentity } from "../atlassian/typed-error";

/**
 * Typed refresh-token-store errors. Every message names the store (secret ARN or file path) and the fix.
 *
 * Rule: no refresh token, and no stored value (which may be a token pasted in place of the JSON document), is ever
 * placed in a message or a property of these errors. Versions (Secrets Manager VersionIds, content hashes) are not
 * secret and are included to help diagnose races. Backend messages are scrubbed of known token values first.
 *
 * These do not extend `AtlassianError`: its `code` is a closed union of Atlassian API failures, and a store failure
 * is not one.
 */

export type TokenStoreErrorCode =
  | "CONFLICT"
  | "STORE_NOT_FOUND"
  | "PERMISSION_DENIED"
  | "MALFORMED_VALUE"
  | "INVALID_RECORD"
  | "INSECURE_PERMISSIONS"
  | "LOCK_TIMEOUT"
  | "STORE_CONFIGURATION"
  | "STORE_UNAVAILABLE"
  | "STORE_REJECTED"
  | "LEASE_HELD"
  | "CLOCK_SKEW"
  | "ROTATED_TOKEN_NOT_SAVED"
  | "TOKEN_REJECTED";

/**
 * Base of every store error. `location` is the store's never-secret location, e.g. `secretsmanager:<arn>`.
 *
 * Written for Pulumi's closure serializer, which turns classes into plain functions and calls the parent as
 * `Error.call(this, …)`: that sets neither `message` nor `stack`, `new.target` is undefined, and class-field
 * initializers are dropped. So every property is assigned explicitly in this constructor, and subclasses only
 * `declare` their narrowed `code`.
 */
export abstract class TokenStoreError extends Error {
  declare readonly code: TokenStoreErrorCode;
  /** Whether the same call may succeed later without any configuration change. */
  declare readonly retryable: boolean;
  declare readonly location: string;

  constructor(
    identity: { code: TokenStoreErrorCode; name: string; retryable?: boolean },
    location: string,
    message: string,
  ) {
    super(message);
    assignErrorIdentity(this, { message, name: identity.name, code: identity.code, retryable: identity.retryable ?? false }, { location });
  }
}

/** Another writer changed the store after the caller read it. Re-read and decide again (`saveIfNewer` does). */
export class TokenStoreConflictError extends TokenStoreError {
  declare readonly code: "CONFLICT";
  constructor(
    location: string,
    /** The version the caller expected; `undefined` when it expected an unseeded store. */
    readonly expectedVersion: string | undefined,
    detail: string,
  ) {
    super(
      { code: "CONFLICT", name: "TokenStoreConflictError", retryable: true },
      location,
      `${location}: another writer stored a refresh token first (expected ` +
        `${expectedVersion === undefined ? "an unseeded store" : `version ${expectedVersion}`}; ${detail}). ` +
        `Nothing was overwritten. Re-read the store and write only if your token is newer (saveIfNewer does this).`,
    );
  }
}

/** The secret (or the file's directory) does not exist, or is scheduled for deletion. */
export class TokenStoreNotFoundError extends TokenStoreError {
  declare readonly code: "STORE_NOT_FOUND";
  constructor(location: string, reason: string) {
    super({ code: "STORE_NOT_FOUND", name: "TokenStoreNotFoundError" }, location, `${location}: ${reason}`);
  }
}

/** The caller's identity may not perform `action` (e.g. `secretsmanager:PutSecretValue`) on the store. */
export class TokenStorePermissionError extends TokenStoreError {
  declare readonly code: "PERMISSION_DENIED";
  constructor(location: string, readonly action: string, resource: string, detail: string) {
    super(
      { code: "PERMISSION_DENIED", name: "TokenStorePermissionError" },
      location,
      `${location}: permission denied for ${action} on ${resource} (${detail}). Grant ${action} on ${resource} ` +
        `to the role or user running this code.`,
    );
  }
}

/**
 * The stored value is not a schema-1 record. The value itself is never quoted. `version` (when known) lets a caller
 * deliberately replace it with `compareAndSwap(error.version, record)`.
 */
export class MalformedStoreValueError extends TokenStoreError {
  declare readonly code: "MALFORMED_VALUE";
  constructor(location: string, readonly problems: string[], readonly version?: string) {
    super(
      { code: "MALFORMED_VALUE", name: "MalformedStoreValueError" },
      location,
      `${location}: the stored value is malformed (${problems.join("; ")}); it is not shown because it may ` +
        `contain a token. Replace it with a valid record {"schema":1,"refreshToken","rotatedAt","familyStartedAt"} ` +
        `(compareAndSwap with this error's version, or by hand), or delete the value and authorize again to seed it.`,
    );
  }
}

/** A caller tried to write (or compare) a record that is not well formed. Nothing was written. */
export class InvalidRecordError extends TokenStoreError {
  declare readonly code: "INVALID_RECORD";
  constructor(location: string, readonly problems: string[]) {
    super(
      { code: "INVALID_RECORD", name: "InvalidRecordError" },
      location,
      `${location}: refusing to use an invalid refresh-token record (${problems.join("; ")}). Pass a non-empty ` +
        `refreshToken and ISO 8601 timestamps with a zone, e.g. new Date().toISOString().`,
    );
  }
}

/** A token file is readable or writable by other users. */
export class InsecureTokenFileError extends TokenStoreError {
  declare readonly code: "INSECURE_PERMISSIONS";
  constructor(location: string, readonly path: string, readonly mode: number) {
    super(
      { code: "INSECURE_PERMISSIONS", name: "InsecureTokenFileError" },
      location,
      `${location}: ${path} has mode ${(mode & 0o777).toString(8).padStart(3, "0")}, so other users can read ` +
        `the refresh token. Run: chmod 600 '${path}' (and consider the token compromised if others had access).`,
    );
  }
}

/** Another process held the file store's lock for longer than the timeout. */
export class TokenStoreLockTimeoutError extends TokenStoreError {
  declare readonly code: "LOCK_TIMEOUT";
  constructor(location: string, readonly lockPath: string, waitedMs: number) {
    super(
      { code: "LOCK_TIMEOUT", name: "TokenStoreLockTimeoutError", retryable: true },
      location,
      `${location}: could not take the lock ${lockPath} within ${waitedMs} ms; another process is writing the ` +
        `token. Try again; if no other process is running, delete ${lockPath}.`,
    );
  }
}

/** The store cannot be reached as configured (no region, no credentials, bad endpoint). */
export class TokenStoreConfigurationError extends TokenStoreError {
  declare readonly code: "STORE_CONFIGURATION";
  constructor(location: string, detail: string) {
    super({ code: "STORE_CONFIGURATION", name: "TokenStoreConfigurationError" }, location, `${location}: ${detail}`);
  }
}

/** A transient failure (throttling, 5xx, network): the same call may succeed later. */
export class TokenStoreUnavailableError extends TokenStoreError {
  declare readonly code: "STORE_UNAVAILABLE";
  constructor(location: string, readonly operation: string, detail: string) {
    super(
      { code: "STORE_UNAVAILABLE", name: "TokenStoreUnavailableError", retryable: true },
      location,
      `${location}: ${operation} failed (${detail}) after the SDK's retries. Try again later.`,
    );
  }
}

/** The backend refused the request for another reason (quota, validation). */
export class TokenStoreRejectedError extends TokenStoreError {
  declare readonly code: "STORE_REJECTED";
  constructor(location: string, readonly operation: string, detail: string) {
    super(
      { code: "STORE_REJECTED", name: "TokenStoreRejectedError" },
      location,
      `${location}: ${operation} was refused (${detail}).`,
    );
  }
}

/**
 * Replaces every occurrence of the given secrets in backend-provided text with `[REDACTED]` and bounds its length,
 * so a backend message (which should never echo a value, but is not ours to trust) can be put in an error. The
 * whole text is scrubbed before it is cut: a cut first could split a secret and leave its prefix behind.
 */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let scrubbed = text;
  // Longest first: scrubbing a secret that is part of a longer one first would leave the rest of the longer one.
  const ordered = secrets.filter((s): s is string => s !== undefined && s.length > 0).sort((a, b) => b.length - a.length);
  // No length threshold: a pathological short "token" mangling a message beats leaking it.
  for (const secret of ordered) scrubbed = scrubbed.split(secret).join("[REDACTED]");
  return scrubbed.length > 400 ? `${scrubbed.slice(0, 400)}…` : scrubbed;
}

/** Another run holds the token lease: it is exchanging the token right now. Try again after `until`. */
export class TokenLeaseHeldError extends TokenStoreError {
  declare readonly code: "LEASE_HELD";
  constructor(location: string, readonly holder: string, readonly until: string) {
    super(
      { code: "LEASE_HELD", name: "TokenLeaseHeldError", retryable: true },
      location,
      `${location}: another run (${holder}) holds the token until ${clockTime(until)}; retry then. This run did not ` +
        `present the token: two runs exchanging the same token would leave one of them with a token Atlassian retired.`,
    );
  }
}

/**
 * This machine's clock disagrees with the server's (or a stored record is dated ahead of it), so deadlines computed
 * from it cannot be trusted. Nothing was presented.
 */
export class ClockSkewError extends TokenStoreError {
  declare readonly code: "CLOCK_SKEW";
  constructor(location: string, readonly skewMs: number, detail: string) {
    super(
      { code: "CLOCK_SKEW", name: "ClockSkewError", retryable: false },
      location,
      `${location}: ${detail} (${describeSkew(skewMs)}). The refresh token's deadlines are computed from clocks, so ` +
        `this run did not present it. Synchronise this machine's clock (NTP) and run again.`,
    );
  }
}

/**
 * Atlassian rotated the token, but its successor could not be stored before the deadline. `minutesLeft`: how long
 * the presented token stays usable, i.e. the time to re-run safely (the re-run presents it again and stores the
 * new successor). After that, the grant needs a new consent.
 */
export class RotatedTokenNotSavedError extends TokenStoreError {
  declare readonly code: "ROTATED_TOKEN_NOT_SAVED";
  constructor(location: string, readonly deadline: string, readonly minutesLeft: number, cause: string, rerun: string) {
    super(
      { code: "ROTATED_TOKEN_NOT_SAVED", name: "RotatedTokenNotSavedError", retryable: true },
      location,
      `${location}: Atlassian rotated the refresh token but the new one could not be saved (${cause}). ` +
        (minutesLeft > 0
          ? `Fix the store and ${rerun} within ${minutesLeft} minute${minutesLeft === 1 ? "" : "s"} (before ${clockTime(deadline)}): `
          : `It is now too late to re-run safely (the deadline was ${clockTime(deadline)}): `) +
        `${minutesLeft > 0 ? "the re-run presents the old token again, which Atlassian still accepts until then. After that, " : ""}` +
        `re-authorize (jira-connector authorize) and seed the new token.`,
    );
  }
}

/** Atlassian rejected the stored token earlier (`invalid_grant`); presenting it again is pointless. */
export class TokenRejectedError extends TokenStoreError {
  declare readonly code: "TOKEN_REJECTED";
  constructor(location: string, readonly rejectedAt: string) {
    super(
      { code: "TOKEN_REJECTED", name: "TokenRejectedError" },
      location,
      `${location}: Atlassian rejected the stored refresh token at ${rejectedAt} (invalid_grant): the grant was revoked ` +
        `or expired. An admin must consent again: run jira-connector authorize, then seed the new token ` +
        `(oauth.refreshToken in the Pulumi config, or --refresh-token).`,
    );
  }
}

/** `HH:MM:SS UTC` of an ISO timestamp (or the input unchanged when it does not parse). */
export function clockTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return `this clock is ${seconds} s ${skewMs >= 0 ? "ahead of" : "behind"} the server's`;
}
