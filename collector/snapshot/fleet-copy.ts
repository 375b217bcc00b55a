/**
 * A snapshot NDJSON stream that also writes each record, with its `snapshotId`, to the fleet table object of its
 * kind (layout.ts `fleetTableKey`), so Athena reads the same records under a partitioned prefix. The copy is written
 * as the original is, not re-read afterwards: a 100k-user file is streamed once, and memory stays bounded (one more
 * gzip stream and upload part, no records held).
 */
import type { Writable } from "node:stream";
import { SnapshotWriterStateError } from "./errors";
import { lineInBoth, NdjsonGzipWriter, type NdjsonFileSummary } from "./ndjson";

export class FleetCopyingWriter<T> extends NdjsonGzipWriter<T> {
  // Assigned in the constructor, not as field initializers, which Pulumi's closure serializer drops.
  private readonly copy: NdjsonGzipWriter<Record<string, unknown>>;
  private readonly snapshotIdJson: string;

  constructor(target: Writable, location: string, label: string, copy: NdjsonGzipWriter<Record<string, unknown>>, snapshotId: string) {
    super(target, location, label);
    this.copy = copy;
    this.snapshotIdJson = JSON.stringify(snapshotId);
  }

  /**
   * The line, and the same text with `"snapshotId"` appended: `write` stringifies once and comes here, and a caller
   * that serializes its own lines (user-stream.ts) gets the copy too. A second object and a second stringify per
   * record doubled the garbage of a 100k-user run (memory-local.test.ts). Last, so no field of the record overrides it.
   */
  override writeLine(line: string): Promise<void> | undefined {
    if (!line.startsWith("{")) throw new SnapshotWriterStateError(this.location, `${this.label}: a fleet table record must be a JSON object`);
    // Both at once: each waits only when its own gzip is behind, and the two compress side by side.
    return lineInBoth(super.writeLine(line), () => this.copy.writeLine(withSnapshotId(line, this.snapshotIdJson)));
  }

  /**
   * Commits the original, then the copy. A failed copy fails the close (the run then stores a partial manifest), so
   * a complete snapshot never lacks its fleet table rows; a copy stored without its manifest record is never joined.
   */
  override async close(): Promise<NdjsonFileSummary> {
    let summary: NdjsonFileSummary;
    try {
      summary = await super.close();
    } catch (error) {
      await this.copy.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await this.copy.close();
    return summary;
  }

  override async abort(reason?: Error): Promise<void> {
    await Promise.all([super.abort(reason), this.copy.abort(reason)]);
  }
}

/** A record's JSON line (an object) with `"snapshotId"` appended as its last field: a fleet table line. */
export function withSnapshotId(line: string, snapshotIdJson: string): string {
  return `${line === "{}" ? "{" : `${line.slice(0, -1)},`}"snapshotId":${snapshotIdJson}}`;
}
