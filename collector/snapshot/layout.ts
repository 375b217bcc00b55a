/**
 * The snapshot layout, relative to a sink's root (an S3 bucket + prefix, or a local directory):
 *
 * ```
 * connectors/<name>/latest.json                                   → newest complete snapshot, written last
 * connectors/<name>/snapshots/<collectedAt>/manifest.json
 * connectors/<name>/snapshots/<collectedAt>/subscriptions.json
 * connectors/<name>/snapshots/<collectedAt>/users.ndjson.gz
 * connectors/<name>/snapshots/<collectedAt>/activity.ndjson.gz
 * connectors/<name>/snapshots/<collectedAt>/seat-report.json
 * connectors/<name>/snapshots/<collectedAt>/checkpoint-*.ndjson.gz  → partial (points quota) only
 * connectors/<name>/checkpoint.json                               → newest snapshot holding a checkpoint
 * fleet-tables/<kind>/connector=<name>/day=<YYYY-MM-DD>/<collectedAt>.ndjson.gz → the same records for Athena
 * ```
 *
 * `<collectedAt>` is `Date.toISOString()` with `:` replaced by `-`, e.g. `2026-11-28T23-00-00.000Z`: always
 * 24 characters, UTC, millisecond precision, so plain string order is time order (years are restricted to
 * 1970–9999, where `toISOString` has a fixed width). `:` is avoided because it is awkward in S3 console URLs and
 * invalid in Windows file names.
 */
import { InvalidSnapshotArgumentError } from "./errors";

/** The data files of a snapshot, besides `manifest.json`. */
export const SNAPSHOT_FILES = {
  subscriptions: "subscriptions.json",
  users: "users.ndjson.gz",
  activity: "activity.ndjson.gz",
  seatReport: "seat-report.json",
} as const;
export type SnapshotFileName = (typeof SNAPSHOT_FILES)[keyof typeof SNAPSHOT_FILES];
/**
 * A partial snapshot stopped by the points quota also stores what the next run reuses (see collector/checkpoint.ts):
 * the complete group listings and the raw users read so far. Never part of a complete snapshot's required files.
 */
export const CHECKPOINT_FILES = {
  groups: "checkpoint-groups.ndjson.gz",
  users: "checkpoint-users.ndjson.gz",
} as const;
export type CheckpointFileName = (typeof CHECKPOINT_FILES)[keyof typeof CHECKPOINT_FILES];
/**
 * One-line-per-record copies of the seat report, for the fleet views (and, copied again under FLEET_TABLES_PREFIX,
 * for Athena, whose JSON SerDe cannot read the pretty-printed seat-report.json). Written with it; not required for `complete`
 * (snapshots of older collectors lack them; the fleet views then have no seat-report rows for those).
 */
export const FLEET_FILES = {
  people: "people.ndjson.gz",
  products: "products.ndjson.gz",
} as const;
export type FleetFileName = (typeof FLEET_FILES)[keyof typeof FLEET_FILES];
/**
 * The fleet tables for Athena: one gzip NDJSON object per file kind and snapshot, each record carrying its
 * `snapshotId`, under Hive-style `connector=`/`day=` folders, so a Glue table per kind can project both partitions
 * (no crawler) and read its own objects only, with one line-based SerDe. `day` is the UTC date of `collectedAt`.
 * Copies, like FLEET_FILES: never required for `complete`; the snapshot folder stays the truth. `roles` is the one
 * kind without a file of its own: one record per product role of subscriptions.json (its key, name and granting
 * groups), so the views can join users' granting groups to products with a scalar-array UNNEST.
 */
export const FLEET_TABLES_PREFIX = "fleet-tables/";
export const FLEET_TABLE_KINDS = ["manifests", "users", "activity", "people", "products", "roles"] as const;
export type FleetTableKind = (typeof FLEET_TABLE_KINDS)[number];
export const MANIFEST_FILE = "manifest.json";
export const LATEST_FILE = "latest.json";
/** `connectors/<name>/checkpoint.json`: the newest partial snapshot holding a checkpoint. */
export const CHECKPOINT_POINTER_FILE = "checkpoint.json";

export const JSON_CONTENT_TYPE = "application/json";
/** The stored bytes are gzip; no Content-Encoding, so HTTP clients hand back exactly what was stored. */
export const NDJSON_GZIP_CONTENT_TYPE = "application/x-ndjson+gzip";

const CONNECTOR_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const COLLECTED_AT_SEGMENT = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})Z$/;

/**
 * Throws `InvalidSnapshotArgumentError` (field `connectorName`) unless `name` is 1–63 lowercase letters, digits and
 * hyphens, starting and ending with a letter or digit. The name becomes a path segment and an S3 key segment, so
 * anything else (`..`, `/`, `\`, upper case, spaces) is refused rather than escaped.
 */
export function assertConnectorName(name: unknown, field = "connectorName"): asserts name is string {
  if (typeof name !== "string") throw new InvalidSnapshotArgumentError(field, `must be a string, got ${typeof name}`);
  if (!CONNECTOR_NAME.test(name)) {
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    throw new InvalidSnapshotArgumentError(
      field,
      `${shown} is not a valid connector name: use 1–63 lowercase letters, digits and hyphens, starting and ending ` +
        `with a letter or digit (e.g. "acme-prod"). It is used in storage paths, so "/", "..", "." and upper case are refused.`,
    );
  }
}

/** `2026-11-28T23:00:00.000Z` → `2026-11-28T23-00-00.000Z`. Throws for invalid dates and years outside 1970–9999. */
export function collectedAtSegment(collectedAt: Date): string {
  // Not `instanceof`: a Date from another realm is fine, and an object that only looks like one is not.
  if (Object.prototype.toString.call(collectedAt) !== "[object Date]" || Number.isNaN(collectedAt.getTime())) {
    throw new InvalidSnapshotArgumentError("collectedAt", "must be a valid Date");
  }
  const year = collectedAt.getUTCFullYear();
  if (year < 1970 || year > 9999) {
    throw new InvalidSnapshotArgumentError("collectedAt", `year ${year} is outside 1970–9999 (paths must sort by time)`);
  }
  return collectedAt.toISOString().replace(/:/g, "-");
}

/** The inverse of `collectedAtSegment`; `undefined` for anything it would not produce. */
export function parseCollectedAtSegment(segment: string): Date | undefined {
  const match = COLLECTED_AT_SEGMENT.exec(segment);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`);
  if (Number.isNaN(date.getTime()) || collectedAtSegment(date) !== segment) return undefined; // e.g. month 13
  return date;
}

/** `connectors/<name>/` */
export function connectorPrefix(connectorName: string): string {
  assertConnectorName(connectorName);
  return `connectors/${connectorName}/`;
}

/** `connectors/<name>/latest.json` */
export function latestKey(connectorName: string): string {
  return `${connectorPrefix(connectorName)}${LATEST_FILE}`;
}

/** `connectors/<name>/checkpoint.json` */
export function checkpointPointerKey(connectorName: string): string {
  return `${connectorPrefix(connectorName)}${CHECKPOINT_POINTER_FILE}`;
}

/** `connectors/<name>/snapshots/<collectedAt>/` (with the trailing slash). */
export function snapshotPrefix(connectorName: string, collectedAt: Date): string {
  return `${connectorPrefix(connectorName)}snapshots/${collectedAtSegment(collectedAt)}/`;
}

/** `fleet-tables/<kind>/connector=<name>/day=<YYYY-MM-DD>/<collectedAt>.ndjson.gz` */
export function fleetTableKey(kind: FleetTableKind, connectorName: string, collectedAt: Date): string {
  assertConnectorName(connectorName);
  if (!FLEET_TABLE_KINDS.includes(kind)) throw new InvalidSnapshotArgumentError("kind", `${JSON.stringify(kind)} is not a fleet table`);
  const segment = collectedAtSegment(collectedAt);
  return `${FLEET_TABLES_PREFIX}${kind}/connector=${connectorName}/day=${segment.slice(0, 10)}/${segment}.ndjson.gz`;
}

/**
 * Throws unless `key` is a relative, `/`-separated key whose segments are non-empty, not `.`/`..`, and free of `\`
 * and control characters. Sinks check every key with this (defence in depth: the layout functions already only
 * build such keys), so no key can escape a local root directory or an S3 prefix.
 */
export function assertObjectKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0 || key.length > 512) {
    throw new InvalidSnapshotArgumentError("key", "must be a non-empty string of at most 512 characters");
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(key)) {
    throw new InvalidSnapshotArgumentError("key", `${JSON.stringify(key)} contains "\\" or a control character`);
  }
  if (key.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new InvalidSnapshotArgumentError(
      "key",
      `${JSON.stringify(key)} must be relative, with no empty, "." or ".." segments`,
    );
  }
}
