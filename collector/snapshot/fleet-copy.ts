/**
 * A snapshot NDJSON stream that also writes each record, with its `snapshotId`, to the fleet table object of its
 * kind (layout.ts `fleetTableKey`), so Athena reads the same records under a partitioned prefix. The copy is written
 * as the original is, not re-read afterwards: a 100k-user file is streamed once, and memory stays bounded (one more
 * gzip stream and upload part, no records held).
 */
import type { Writable } from "node:stream";
import { NdjsonGzipWriter, type NdjsonFileSummary } from "./ndjson";

export class FleetCopyingWriter<T> extends NdjsonGzipWriter<T> {
  // Assigned in the constructor, not as field initializers, which Pulumi's closure serializer drops.
  private readonly copy: NdjsonGzipWriter<Record<string, unknown>>;
  private readonly snapshotId: string;

  constructor(target: Writable, location: string, label: string, copy: NdjsonGzipWriter<Record<string, unknown>>, snapshotId: string) {
    super(target, location, label);
    this.copy = copy;
    this.snapshotId = snapshotId;
  }

  override async write(record: T): Promise<void> {
    await super.write(record);
    // Last, so no field of the record can override it: it is what the views join a partition's rows on.
    await this.copy.write({ ...(record as Record<string, unknown>), snapshotId: this.snapshotId });
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
