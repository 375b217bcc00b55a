/**
 * `SnapshotWriter`: the layout and ordering rules on top of a sink, for one connector and one collection.
 *
 * Order: data files (in any order, streams concurrently) → `manifest.json` → `latest.json`. So a reader that follows
 * `latest.json` always finds a manifest, and a manifest's files are all stored. `latest.json` is written only for a
 * complete snapshot, and only if it is not older than the one `latest.json` already names (a late laptop run of an
 * earlier collection does not move it back). That read-compare-write is not atomic: two collectors of the same
 * connector finishing at the same instant may leave `latest` on the older of the two; the next run fixes it.
 *
 * The fleet tables (layout.ts FLEET_TABLES_PREFIX): users, activity, people and products are copied as they are
 * streamed (fleet-copy.ts); roles, a few lines derived from subscriptions.json, are written whole (`fleetRecords`);
 * the manifest's one-line record follows `manifest.json`, so Athena, which counts only snapshots with a manifest
 * record, never sees one whose data files are not all stored.
 */
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { MalformedSnapshotError, SnapshotWriterStateError } from "./errors";
import {
  assertConnectorName,
  CHECKPOINT_FILES,
  type CheckpointFileName,
  FLEET_FILES,
  type FleetFileName,
  type FleetTableKind,
  fleetTableKey,
  checkpointPointerKey,
  collectedAtSegment,
  JSON_CONTENT_TYPE,
  latestKey,
  MANIFEST_FILE,
  NDJSON_GZIP_CONTENT_TYPE,
  SNAPSHOT_FILES,
  snapshotPrefix,
  type SnapshotFileName,
} from "./layout";
import { FleetCopyingWriter, withSnapshotId } from "./fleet-copy";
import { latestPointer, readLatest } from "./latest";
import { NdjsonGzipWriter, type NdjsonFileSummary } from "./ndjson";
import { prettyJsonChunks } from "./pretty-json";
import { type SnapshotSink, whenClosed } from "./sink";

/** The JSON files written whole with `writeJson`. */
export type SnapshotJsonFile = typeof SNAPSHOT_FILES.subscriptions | typeof SNAPSHOT_FILES.seatReport;

/** One stored file, as listed in the manifest. `records` is set for NDJSON files. */
export interface SnapshotFileEntry {
  bytes: number;
  sha256: string;
  records?: number;
}

/** What the collector passes to `finish`. Any other JSON-serialisable fields (counts, errors, stats) are kept. */
export interface SnapshotManifestInput {
  /** `true` only when every part of the collection succeeded; only then is `latest.json` moved. */
  complete: boolean;
  [field: string]: unknown;
}

/** The stored `manifest.json`: the caller's fields, overridden by the writer's own (below). */
export interface SnapshotManifest extends SnapshotManifestInput {
  schema: 1;
  connectorName: string;
  /** ISO 8601 UTC. */
  collectedAt: string;
  snapshotId: string;
  /** File name → entry, for the files actually stored. */
  files: Partial<Record<SnapshotFileName | CheckpointFileName | FleetFileName, SnapshotFileEntry>>;
  finishedAt: string;
}

/** The snapshot files copied to a fleet table, by the table's kind. */
const FLEET_TABLE_OF: Partial<Record<SnapshotFileName | CheckpointFileName | FleetFileName, FleetTableKind>> = {
  [SNAPSHOT_FILES.users]: "users",
  [SNAPSHOT_FILES.activity]: "activity",
  [FLEET_FILES.people]: "people",
  [FLEET_FILES.products]: "products",
};

export interface FinishResult {
  manifest: SnapshotManifest;
  /** Whether `latest.json` now points at this snapshot. */
  latestUpdated: boolean;
}

/** Writes one snapshot. Create one per connector per collection. */
export class SnapshotWriter {
  /** `connectors/<name>/snapshots/<collectedAt>/` */
  readonly prefix: string;
  readonly snapshotId: string;
  // Assigned in the constructor, not as field initializers, which Pulumi's closure serializer drops.
  private readonly streams: Map<SnapshotFileName | CheckpointFileName | FleetFileName, NdjsonGzipWriter<unknown>>;
  private readonly jsonFiles: Map<SnapshotFileName, SnapshotFileEntry>;
  private pendingJson: number;
  private finished: boolean;

  constructor(
    private readonly sink: SnapshotSink,
    readonly connectorName: string,
    readonly collectedAt: Date,
  ) {
    assertConnectorName(connectorName);
    this.snapshotId = collectedAtSegment(collectedAt);
    this.prefix = snapshotPrefix(connectorName, collectedAt);
    this.streams = new Map();
    this.jsonFiles = new Map();
    this.pendingJson = 0;
    this.finished = false;
  }

  /** A streaming writer for `users.ndjson.gz`. Call once; `close()` it before `finish`. */
  users<T>(): NdjsonGzipWriter<T> {
    return this.stream<T>(SNAPSHOT_FILES.users);
  }

  /** A streaming writer for `activity.ndjson.gz`. Call once; `close()` it before `finish`. */
  activity<T>(): NdjsonGzipWriter<T> {
    return this.stream<T>(SNAPSHOT_FILES.activity);
  }

  /** A streaming writer for a checkpoint file (partial snapshots only). `close()` or `abort()` it before `finish`. */
  checkpoint<T>(name: CheckpointFileName): NdjsonGzipWriter<T> {
    if (!Object.values(CHECKPOINT_FILES).includes(name)) {
      throw new SnapshotWriterStateError(this.sink.location, `checkpoint: ${JSON.stringify(name)} is not a checkpoint file`);
    }
    return this.stream<T>(name);
  }

  /** A streaming writer for a fleet table (`people.ndjson.gz`, `products.ndjson.gz`). `close()` it before `finish`. */
  fleetTable<T>(name: FleetFileName): NdjsonGzipWriter<T> {
    if (!Object.values(FLEET_FILES).includes(name)) {
      throw new SnapshotWriterStateError(this.sink.location, `fleetTable: ${JSON.stringify(name)} is not a fleet file`);
    }
    return this.stream<T>(name);
  }

  /** Stores `subscriptions.json` or `seat-report.json` (pretty-printed JSON) atomically. */
  async writeJson(name: SnapshotJsonFile, value: unknown): Promise<void> {
    this.assertOpen();
    if (name !== SNAPSHOT_FILES.subscriptions && name !== SNAPSHOT_FILES.seatReport) {
      throw new SnapshotWriterStateError(this.sink.location, `writeJson: ${JSON.stringify(name)} is not a JSON snapshot file`);
    }
    // Streamed: a big seat report stringified whole was the run's memory peak (see pretty-json.ts).
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      throw new SnapshotWriterStateError(this.sink.location, `writeJson(${name}): value is not JSON`);
    }
    const chunks = prettyJsonChunks(value);
    this.pendingJson++;
    try {
      const stream = this.sink.writeStream(`${this.prefix}${name}`, JSON_CONTENT_TYPE);
      const hash = createHash("sha256");
      let bytes = 0;
      const write = async (text: string) => {
        const chunk = Buffer.from(text, "utf8");
        hash.update(chunk);
        bytes += chunk.length;
        if (!stream.write(chunk)) await once(stream, "drain");
      };
      try {
        for (const text of chunks) await write(text);
        await write("\n");
        stream.end();
        await finished(stream);
      } catch (error) {
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
        await whenClosed(stream);
        throw error;
      }
      this.jsonFiles.set(name, { bytes, sha256: hash.digest("hex") });
    } finally {
      this.pendingJson--;
    }
  }

  /**
   * Stores the fleet table object of a kind with no snapshot file of its own (`roles`): each record one compact line
   * plus `snapshotId`, gzip, in one write (a few lines per snapshot). A copy, so not listed in the manifest's files.
   */
  async fleetRecords(kind: "roles", records: readonly Record<string, unknown>[]): Promise<void> {
    this.assertOpen();
    if (kind !== "roles") throw new SnapshotWriterStateError(this.sink.location, `fleetRecords: ${JSON.stringify(kind)} has a snapshot file; write that instead`);
    const snapshotIdJson = JSON.stringify(this.snapshotId);
    const lines = records.map((record) => `${withSnapshotId(JSON.stringify(record), snapshotIdJson)}\n`).join("");
    this.pendingJson++;
    try {
      await this.sink.writeObject(fleetTableKey(kind, this.connectorName, this.collectedAt), gzipSync(lines), NDJSON_GZIP_CONTENT_TYPE);
    } finally {
      this.pendingJson--;
    }
  }

  /** Aborts every stream still open (their files are discarded). For the collector's failure path, before `finish`. */
  async abortOpenStreams(reason?: Error): Promise<void> {
    await Promise.all([...this.streams.values()].map((stream) => stream.abort(reason)));
  }

  /**
   * Writes `manifest.json`, then — only if `manifest.complete` and this snapshot is not older than the current
   * one — `latest.json`. Every stream must be closed or aborted and every `writeJson` settled first. A complete
   * snapshot must hold all four data files. A partial manifest with a `checkpoint` section is then named by
   * `checkpoint.json`, written after the manifest like `latest.json`. Call once.
   */
  async finish(input: SnapshotManifestInput): Promise<FinishResult> {
    this.assertOpen();
    if (typeof input !== "object" || input === null || typeof input.complete !== "boolean") {
      throw new SnapshotWriterStateError(this.sink.location, "finish: manifest.complete must be true or false");
    }
    const open = [...this.streams].filter(([, stream]) => stream.status === "open" || stream.status === "closing");
    if (open.length > 0 || this.pendingJson > 0) {
      const names: string[] = open.map(([name]) => name);
      if (this.pendingJson > 0) names.push("a writeJson or fleetRecords call");
      throw new SnapshotWriterStateError(
        this.sink.location,
        `finish: ${names.join(", ")} still in progress under ${this.prefix}; close or abort streams and await ` +
          `writeJson and fleetRecords first.`,
      );
    }
    const files = this.storedFiles();
    const missing = Object.values(SNAPSHOT_FILES).filter((name) => files[name] === undefined);
    if (input.complete && missing.length > 0) {
      throw new SnapshotWriterStateError(
        this.sink.location,
        `finish: complete is true but ${missing.join(", ")} ${missing.length === 1 ? "was" : "were"} not stored ` +
          `under ${this.prefix}; finish with complete: false.`,
      );
    }
    this.finished = true;
    const manifest: SnapshotManifest = {
      ...input,
      schema: 1,
      connectorName: this.connectorName,
      collectedAt: this.collectedAt.toISOString(),
      snapshotId: this.snapshotId,
      complete: input.complete,
      files,
      finishedAt: new Date().toISOString(),
    };
    try {
      await this.sink.writeObject(`${this.prefix}${MANIFEST_FILE}`, `${JSON.stringify(manifest, null, 2)}\n`, JSON_CONTENT_TYPE);
      // One compact line (Athena's line-based SerDe); partial manifests too, which the views leave out.
      const record = gzipSync(`${JSON.stringify(manifest)}\n`);
      await this.sink.writeObject(fleetTableKey("manifests", this.connectorName, this.collectedAt), record, NDJSON_GZIP_CONTENT_TYPE);
      if (!manifest.complete && manifest.checkpoint !== undefined) {
        const pointer = latestPointer(this.connectorName, this.collectedAt);
        await this.sink.writeObject(checkpointPointerKey(this.connectorName), `${JSON.stringify(pointer, null, 2)}\n`, JSON_CONTENT_TYPE);
      }
      if (!manifest.complete || !(await this.isNotOlderThanLatest())) return { manifest, latestUpdated: false };
      const pointer = latestPointer(this.connectorName, this.collectedAt);
      await this.sink.writeObject(latestKey(this.connectorName), `${JSON.stringify(pointer, null, 2)}\n`, JSON_CONTENT_TYPE);
      return { manifest, latestUpdated: true };
    } catch (error) {
      this.finished = false; // a storage failure (e.g. throttling) may be retried with another finish()
      throw error;
    }
  }

  private stream<T>(name: SnapshotFileName | CheckpointFileName | FleetFileName): NdjsonGzipWriter<T> {
    this.assertOpen();
    if (this.streams.has(name)) {
      throw new SnapshotWriterStateError(this.sink.location, `${name} was already opened for ${this.prefix}`);
    }
    const key = `${this.prefix}${name}`;
    const target = this.sink.writeStream(key, NDJSON_GZIP_CONTENT_TYPE);
    const kind = FLEET_TABLE_OF[name];
    let writer: NdjsonGzipWriter<T>;
    if (kind === undefined) writer = new NdjsonGzipWriter<T>(target, this.sink.location, key);
    else {
      const copyKey = fleetTableKey(kind, this.connectorName, this.collectedAt);
      const copy = new NdjsonGzipWriter<Record<string, unknown>>(this.sink.writeStream(copyKey, NDJSON_GZIP_CONTENT_TYPE), this.sink.location, copyKey);
      writer = new FleetCopyingWriter<T>(target, this.sink.location, key, copy, this.snapshotId);
    }
    this.streams.set(name, writer as NdjsonGzipWriter<unknown>);
    return writer;
  }

  private storedFiles(): Partial<Record<SnapshotFileName | CheckpointFileName | FleetFileName, SnapshotFileEntry>> {
    const files: Partial<Record<SnapshotFileName | CheckpointFileName | FleetFileName, SnapshotFileEntry>> = {};
    for (const name of [...Object.values(SNAPSHOT_FILES), ...Object.values(CHECKPOINT_FILES), ...Object.values(FLEET_FILES)]) {
      const summary: NdjsonFileSummary | undefined = this.streams.get(name)?.summary;
      const entry = summary !== undefined ? { ...summary } : this.jsonFiles.get(name as SnapshotFileName);
      if (entry !== undefined) files[name] = entry;
    }
    return files;
  }

  private async isNotOlderThanLatest(): Promise<boolean> {
    try {
      const current = await readLatest(this.sink, this.connectorName);
      return current === undefined || current.collectedAt.getTime() <= this.collectedAt.getTime();
    } catch (error) {
      if (error instanceof MalformedSnapshotError) return true; // replace a broken pointer with a good one
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.finished) throw new SnapshotWriterStateError(this.sink.location, `the snapshot ${this.prefix} is finished`);
  }
}
