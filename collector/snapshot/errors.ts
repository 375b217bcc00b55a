/**
 * Typed snapshot errors. Every message names the storage location (`s3://bucket/prefix` or `file:/dir`), the key or
 * path involved and the fix. Snapshot contents (user emails) and AWS credentials never appear in a message: only
 * keys, paths, AWS error names and their (length-bounded) messages.
 *
 * Written for Pulumi's closure serializer like the token-store errors: it turns classes into plain functions and
 * calls the parent as `Error.call(this, …)`, which sets neither `message` nor `stack` and drops class-field
 * initializers, so every property is assigned explicitly in the base constructor.
 */

import { assignErrorIdentity } from "../../atlassian/typed-error";

export type SnapshotErrorCode =
  | "INVALID_ARGUMENT"
  | "PERMISSION_DENIED"
  | "STORAGE_NOT_FOUND"
  | "STORAGE_CONFIGURATION"
  | "STORAGE_UNAVAILABLE"
  | "STORAGE_REJECTED"
  | "MALFORMED_SNAPSHOT"
  | "WRITER_STATE";

/** Base of every snapshot error. */
export abstract class SnapshotError extends Error {
  declare readonly code: SnapshotErrorCode;
  /** Whether the same call may succeed later without any configuration change. */
  declare readonly retryable: boolean;
  /** The sink's location (never secret), or `""` for errors raised before any sink is involved. */
  declare readonly location: string;

  constructor(identity: { code: SnapshotErrorCode; name: string; retryable?: boolean }, location: string, message: string) {
    super(message);
    assignErrorIdentity(this, { message, name: identity.name, code: identity.code, retryable: identity.retryable ?? false }, { location });
  }
}

/** A caller passed a value that cannot be used (bad connector name, key, date, option). `field` names it. */
export class InvalidSnapshotArgumentError extends SnapshotError {
  declare readonly code: "INVALID_ARGUMENT";
  constructor(readonly field: string, reason: string) {
    super({ code: "INVALID_ARGUMENT", name: "InvalidSnapshotArgumentError" }, "", `${field}: ${reason}`);
  }
}

/** The identity running the collector may not perform `action` on `resource`. */
export class SnapshotPermissionError extends SnapshotError {
  declare readonly code: "PERMISSION_DENIED";
  constructor(location: string, readonly action: string, readonly resource: string, detail: string, hint = "") {
    super(
      { code: "PERMISSION_DENIED", name: "SnapshotPermissionError" },
      location,
      `${location}: permission denied for ${action} on ${resource} (${detail}). Grant ${action} on ${resource} ` +
        `to the role or user running the collector.${hint ? ` ${hint}` : ""}`,
    );
  }
}

/** The bucket or directory does not exist. */
export class SnapshotStorageNotFoundError extends SnapshotError {
  declare readonly code: "STORAGE_NOT_FOUND";
  constructor(location: string, reason: string) {
    super({ code: "STORAGE_NOT_FOUND", name: "SnapshotStorageNotFoundError" }, location, `${location}: ${reason}`);
  }
}

/** The storage cannot be reached as configured (no region, no credentials). */
export class SnapshotStorageConfigurationError extends SnapshotError {
  declare readonly code: "STORAGE_CONFIGURATION";
  constructor(location: string, detail: string) {
    super({ code: "STORAGE_CONFIGURATION", name: "SnapshotStorageConfigurationError" }, location, `${location}: ${detail}`);
  }
}

/** A transient failure (throttling, 5xx, network): the same call may succeed later. */
export class SnapshotStorageUnavailableError extends SnapshotError {
  declare readonly code: "STORAGE_UNAVAILABLE";
  constructor(location: string, readonly operation: string, readonly target: string, detail: string) {
    super(
      { code: "STORAGE_UNAVAILABLE", name: "SnapshotStorageUnavailableError", retryable: true },
      location,
      `${location}: ${operation} of ${target} failed (${detail}) after the SDK's retries. Run the collector again later.`,
    );
  }
}

/** The storage refused the request for another reason (validation, quota, disk full). */
export class SnapshotStorageRejectedError extends SnapshotError {
  declare readonly code: "STORAGE_REJECTED";
  constructor(location: string, readonly operation: string, readonly target: string, detail: string) {
    super(
      { code: "STORAGE_REJECTED", name: "SnapshotStorageRejectedError" },
      location,
      `${location}: ${operation} of ${target} was refused (${detail}).`,
    );
  }
}

/** A stored snapshot file (e.g. `latest.json`) is not what this package writes. Its content is never quoted. */
export class MalformedSnapshotError extends SnapshotError {
  declare readonly code: "MALFORMED_SNAPSHOT";
  constructor(location: string, readonly key: string, problem: string) {
    super(
      { code: "MALFORMED_SNAPSHOT", name: "MalformedSnapshotError" },
      location,
      `${location}: ${key} is malformed (${problem}). Delete it; the next complete collection writes it again.`,
    );
  }
}

/** The `SnapshotWriter` was used out of order (e.g. `finish` with a stream still open). Nothing was written. */
export class SnapshotWriterStateError extends SnapshotError {
  declare readonly code: "WRITER_STATE";
  constructor(location: string, detail: string) {
    super({ code: "WRITER_STATE", name: "SnapshotWriterStateError" }, location, `${location}: ${detail}`);
  }
}

/** Bounds backend-provided text before it goes into a message (it is not ours to trust, nor to print in full). */
export function boundDetail(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}
