/**
 * `connectors/<name>/latest.json`: the pointer to a connector's newest complete snapshot. It is derived data (the
 * snapshot directories are the truth), written last by `SnapshotWriter.finish`, and validated strictly on read so a
 * hand-edited or foreign file can never point a reader outside the connector's own snapshots.
 */
import { MalformedSnapshotError } from "./errors";
import {
  assertConnectorName,
  checkpointPointerKey,
  collectedAtSegment,
  latestKey,
  MANIFEST_FILE,
  parseCollectedAtSegment,
  snapshotPrefix,
} from "./layout";
import type { SnapshotSink } from "./sink";

/** The JSON document stored in `latest.json`. */
export interface LatestPointer {
  schema: 1;
  connectorName: string;
  /** ISO 8601 UTC, e.g. `2026-11-28T23:00:00.000Z`. */
  collectedAt: string;
  /** The path-safe form used in keys, e.g. `2026-11-28T23-00-00.000Z`. */
  snapshotId: string;
  /** Relative to the sink's root, with a trailing `/`: `connectors/<name>/snapshots/<snapshotId>/`. */
  snapshotPrefix: string;
  /** `<snapshotPrefix>manifest.json` */
  manifestKey: string;
}

/** What `readLatest` returns. */
export interface LatestSnapshot {
  /** Relative to the sink's root, with a trailing `/`. Append a file name (e.g. `users.ndjson.gz`) to read it. */
  snapshotPrefix: string;
  collectedAt: Date;
  snapshotId: string;
  manifestKey: string;
}

/** The pointer document for a snapshot of `connectorName` taken at `collectedAt`. */
export function latestPointer(connectorName: string, collectedAt: Date): LatestPointer {
  const prefix = snapshotPrefix(connectorName, collectedAt);
  return {
    schema: 1,
    connectorName,
    collectedAt: collectedAt.toISOString(),
    snapshotId: collectedAtSegment(collectedAt),
    snapshotPrefix: prefix,
    manifestKey: `${prefix}${MANIFEST_FILE}`,
  };
}

/**
 * The newest complete snapshot of `connectorName`, or `undefined` before the first complete run.
 * Throws `MalformedSnapshotError` if `latest.json` is not a pointer to one of this connector's snapshots.
 */
export async function readLatest(sink: SnapshotSink, connectorName: string): Promise<LatestSnapshot | undefined> {
  assertConnectorName(connectorName);
  return readPointer(sink, connectorName, latestKey(connectorName));
}

/** The newest partial snapshot holding a checkpoint (`checkpoint.json`, the same pointer format), if any. */
export async function readCheckpointPointer(sink: SnapshotSink, connectorName: string): Promise<LatestSnapshot | undefined> {
  assertConnectorName(connectorName);
  return readPointer(sink, connectorName, checkpointPointerKey(connectorName));
}

async function readPointer(sink: SnapshotSink, connectorName: string, key: string): Promise<LatestSnapshot | undefined> {
  const raw = await sink.readObject(key);
  if (raw === undefined) return undefined;
  const malformed = (problem: string): MalformedSnapshotError => new MalformedSnapshotError(sink.location, key, problem);
  let document: Partial<LatestPointer>;
  try {
    document = JSON.parse(raw.toString("utf8")) as Partial<LatestPointer>;
  } catch {
    throw malformed("not JSON");
  }
  if (typeof document !== "object" || document === null) throw malformed("not a JSON object");
  if (document.schema !== 1) throw malformed(`schema is ${JSON.stringify(document.schema)}, expected 1`);
  if (document.connectorName !== connectorName) throw malformed(`it names another connector`);
  const collectedAt = typeof document.snapshotId === "string" ? parseCollectedAtSegment(document.snapshotId) : undefined;
  if (collectedAt === undefined) throw malformed("snapshotId is not a collectedAt path segment");
  // Everything else must be exactly what this snapshot's pointer would say: no key is taken from the file as is.
  const expected = latestPointer(connectorName, collectedAt);
  for (const field of ["collectedAt", "snapshotPrefix", "manifestKey"] as const) {
    if (document[field] !== expected[field]) throw malformed(`${field} does not match snapshotId`);
  }
  return {
    snapshotPrefix: expected.snapshotPrefix,
    collectedAt,
    snapshotId: expected.snapshotId,
    manifestKey: expected.manifestKey,
  };
}
