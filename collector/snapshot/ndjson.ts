/**
 * Streaming gzip NDJSON: one JSON value per line, gzip-compressed on the way into a sink stream, with backpressure
 * so memory stays bounded however many records are written (100k users do not sit in memory, as text or gzip).
 */
import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { Readable, Transform, type TransformOptions, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip, type Gzip, type ZlibOptions } from "node:zlib";
import { SnapshotWriterStateError } from "./errors";
import { whenClosed } from "./sink";

const BATCH_CHARACTERS = 64 * 1024;
/** gzip's input buffer: four batches, so memory stays bounded per file (~256 KiB of text). */
const GZIP_INPUT_BUFFER = 4 * BATCH_CHARACTERS;
/**
 * zlib's level 3, not its default 6: on a 100k-user file (33 MB of NDJSON) it compresses in 55 % of the time for
 * 10 % more bytes (4.7 MB instead of 4.3; activity 2.1 instead of 2.0). The file is compressed after the last read,
 * twice with the fleet copy, on a Lambda of about a third of a vCPU; the bytes cost cents a year to store and scan.
 */
const GZIP_LEVEL = 3;

/**
 * Queues a line in two writers (`first` already queued, `second` queued here): what must be awaited of both, or
 * nothing. If the second throws, the first's pending wait is not left to reject unhandled.
 */
export function lineInBoth(first: Promise<void> | undefined, second: () => Promise<void> | undefined): Promise<void> | undefined {
  let other: Promise<void> | undefined;
  try {
    other = second();
  } catch (error) {
    first?.catch(() => undefined); // the second's failure is the one reported
    throw error;
  }
  if (first === undefined) return other;
  return other === undefined ? first : Promise.all([first, other]).then(() => undefined);
}

/** What a closed writer stored. Recorded in the snapshot manifest. */
export interface NdjsonFileSummary {
  records: number;
  /** Size of the stored (compressed) bytes. */
  bytes: number;
  /** SHA-256 of the stored (compressed) bytes, hex. */
  sha256: string;
}

/**
 * Writes records as gzip NDJSON into `target` (a sink's `writeStream`). Use it as:
 * `for (…) await writer.write(record)` then `await writer.close()`; on failure `await writer.abort(error)`.
 * Not awaiting `write` is allowed but gives up the memory bound.
 */
export class NdjsonGzipWriter<T> {
  // Assigned in the constructor, not as field initializers, which Pulumi's closure serializer drops.
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  private readonly hash: Hash;
  private failure: unknown;
  private records: number;
  private bytes: number;
  private state: "open" | "closing" | "closed" | "aborted";
  private stored: NdjsonFileSummary | undefined;
  private batch: string[];
  private batchLength: number;

  /** @param location the sink's location, and `label` the key, for error messages. */
  constructor(private readonly target: Writable, protected readonly location: string, protected readonly label: string) {
    // Room for a few batches: the next batch is built while the thread pool compresses the last one. With gzip's
    // 16 KiB default every 64 KiB batch waited for its own compression, and a 100k-user file spent ~1 s idle.
    const options: ZlibOptions & TransformOptions = { writableHighWaterMark: GZIP_INPUT_BUFFER, level: GZIP_LEVEL }; // zlib passes the mark on to its Transform
    this.gzip = createGzip(options);
    this.hash = createHash("sha256");
    this.records = 0;
    this.bytes = 0;
    this.state = "open";
    this.batch = [];
    this.batchLength = 0;
    const measure = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    // The pipeline destroys every stream on any failure, which makes the sink discard the object.
    this.done = pipeline(this.gzip, measure, target);
    this.done.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /**
   * Queues one record. Resolves at once unless the sink is behind, in which case it waits for it to drain.
   * Lines are handed to gzip in batches of about 64 KiB: one zlib call per record would cost a thread-pool round
   * trip each.
   */
  async write(record: T): Promise<void> {
    await this.writeEach([record]);
  }

  /**
   * Queues each record in order, as `write` in a loop would, but waiting only when gzip is behind: no promise per
   * record (60k activity lines were 60k promises). Stops at the first record that cannot be written.
   */
  async writeEach(records: Iterable<T>): Promise<void> {
    for (const record of records) {
      const line = JSON.stringify(record);
      if (line === undefined) throw new SnapshotWriterStateError(this.location, `${this.label}: record is not JSON`);
      const pending = this.writeLine(line);
      if (pending !== undefined) await pending;
    }
  }

  /**
   * Queues one record already serialized (one line of JSON, no newline), as `write` does after stringifying it.
   * Returns a promise only when the caller must wait (a full batch handed to gzip), to be awaited before the next
   * line; otherwise nothing, so a 100k-line file does not pay a promise per line. Throws if the writer is not open.
   */
  writeLine(line: string): Promise<void> | undefined {
    if (this.state !== "open") throw new SnapshotWriterStateError(this.location, `${this.label} is ${this.state}`);
    if (this.failure !== undefined) throw this.failure;
    this.records++;
    this.batch.push(line);
    this.batchLength += line.length + 1;
    return this.batchLength >= BATCH_CHARACTERS ? this.flush() : undefined;
  }

  /** Flushes and commits the file; resolves once the object is stored. */
  async close(): Promise<NdjsonFileSummary> {
    if (this.state !== "open") throw new SnapshotWriterStateError(this.location, `${this.label} is ${this.state}`);
    this.state = "closing";
    try {
      await this.flush();
      this.gzip.end();
      await this.done;
    } catch (error) {
      this.state = "aborted";
      this.gzip.destroy(error as Error); // makes sure the sink discards, whatever failed
      await whenClosed(this.target);
      throw error;
    }
    this.state = "closed";
    this.stored = { records: this.records, bytes: this.bytes, sha256: this.hash.digest("hex") };
    return this.stored;
  }

  /** Discards the file (no object is stored) and resolves once the sink has cleaned up. Idempotent. */
  async abort(reason: Error = new Error(`${this.label} aborted`)): Promise<void> {
    if (this.state === "closed" || this.state === "aborted") return;
    this.state = "aborted";
    this.gzip.destroy(reason);
    await this.done.catch(() => undefined);
    await whenClosed(this.target);
  }

  /** Hands the batch to gzip, waiting for 'drain' when gzip's buffer is full (the backpressure). */
  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = `${this.batch.join("\n")}\n`;
    this.batch = [];
    this.batchLength = 0;
    if (!this.gzip.write(text)) {
      // Either it drains, or the pipeline fails (and `done` rejects with the sink's typed error).
      await Promise.race([once(this.gzip, "drain"), this.done]);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** What was stored, once `close()` has succeeded. */
  get summary(): NdjsonFileSummary | undefined {
    return this.stored;
  }

  /** `open`, `closing`, `closed` (stored) or `aborted` (discarded, or failed). */
  get status(): "open" | "closing" | "closed" | "aborted" {
    return this.state;
  }
}

/** Reads gzip NDJSON (a whole stored object, or a stream of it) back, one parsed record at a time. */
export async function* readNdjsonGzip<T = unknown>(source: Buffer | Readable): AsyncGenerator<T> {
  const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  const gunzip = createGunzip();
  input.on("error", (error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line !== "") yield JSON.parse(line) as T;
    }
  } finally {
    lines.close();
    gunzip.destroy();
  }
}
