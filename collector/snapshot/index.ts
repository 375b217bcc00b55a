/**
 * The snapshot writing layer of the collector: layout (layout.ts), sinks (local directory, S3), streaming gzip
 * NDJSON, and `SnapshotWriter`, which applies the ordering rules. See README.md in this folder.
 */
export * from "./errors";
export * from "./layout";
export { readLatest, readCheckpointPointer, latestPointer, type LatestPointer, type LatestSnapshot } from "./latest";
export { LocalDirectorySink } from "./local-sink";
export { NdjsonGzipWriter, readNdjsonGzip, type NdjsonFileSummary } from "./ndjson";
export { S3SnapshotSink, DEFAULT_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES, type S3SinkOptions } from "./s3-sink";
export type { SnapshotSink } from "./sink";
export {
  SnapshotWriter,
  type FinishResult,
  type SnapshotFileEntry,
  type SnapshotJsonFile,
  type SnapshotManifest,
  type SnapshotManifestInput,
} from "./writer";
