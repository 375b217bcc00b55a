/**
 * The storage contract under the snapshot layout. Two implementations: `LocalDirectorySink` (laptop CLI) and
 * `S3SnapshotSink` (Lambda). Both guarantee that a reader sees an object either whole or not at all.
 */
import type { Writable } from "node:stream";

export interface SnapshotSink {
  /** Where objects go, for logs and errors: `s3://bucket/prefix` or `file:/abs/dir`. Never secret. */
  readonly location: string;

  /**
   * Stores `body` under `key` (relative, `/`-separated; see `assertObjectKey`), replacing any previous object.
   * Atomic: readers see the old or the new content, never a mix or a truncated file.
   */
  writeObject(key: string, body: Buffer | string, contentType: string): Promise<void>;

  /**
   * A byte stream stored under `key`, with bounded memory (backpressure: `write()` returns `false` while the sink is
   * busy). `end()` commits: the object becomes visible atomically, and `'finish'` fires only once it is. Destroying
   * the stream (`destroy(error)`, or any write/commit failure) discards it: no object appears, and temporary files or
   * multipart uploads are removed before `'close'`.
   */
  writeStream(key: string, contentType: string): Writable;

  /** The object's bytes, or `undefined` when there is no object under `key`. */
  readObject(key: string): Promise<Buffer | undefined>;
}

/** Resolves once `stream` has emitted `'close'` (i.e. its destroy-time cleanup has finished). */
export function whenClosed(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.once("close", () => resolve()));
}
