/**
 * A Writable that stores its bytes as one S3 object with bounded memory: bytes are buffered up to one part
 * (`partSizeBytes`, ≥ 5 MiB, S3's minimum for all parts but the last) and each full part is uploaded before the
 * stream accepts more (backpressure), so memory is about one part (two, briefly, while a part's chunks are joined)
 * whatever the object's size. Parts go up one at a time: the collector is bound by Atlassian's rate limits, not by
 * S3 throughput. At most 10,000 parts: 80 GB with the default 8 MiB parts.
 *
 * - Small objects (ended before the first part fills) are stored with one `PutObject`: no multipart upload at all.
 * - Otherwise `CreateMultipartUpload` → `UploadPart`… → `CompleteMultipartUpload`, which is atomic: the object
 *   appears whole on completion. `'finish'` fires only after it.
 * - On any failure or `destroy()`, the upload is aborted (`AbortMultipartUpload`) before `'close'`, so no parts
 *   linger. The abort is best effort (it needs `s3:AbortMultipartUpload`); a bucket lifecycle rule
 *   `AbortIncompleteMultipartUpload` is the backstop for crashes.
 * - Parts carry CRC32 checksums (declared at creation, computed by the SDK), so S3 verifies every part.
 */
import { Writable } from "node:stream";
import { toS3SnapshotError, type S3ErrorContext } from "./s3-errors";

type Sdk = typeof import("@aws-sdk/client-s3");
type Client = InstanceType<Sdk["S3Client"]>;

export interface S3UploadStreamOptions {
  /** Owned by the stream from now on: destroyed when the stream closes. */
  client: Client;
  sdk: Sdk;
  bucket: string;
  /** The full S3 key (prefix included). */
  key: string;
  contentType: string;
  /** `{ ServerSideEncryption: "aws:kms", SSEKMSKeyId }` or `{}`. */
  encryption: { ServerSideEncryption?: "aws:kms"; SSEKMSKeyId?: string };
  partSizeBytes: number;
  errorContext: S3ErrorContext;
}

interface CompletedPart {
  PartNumber: number;
  ETag: string | undefined;
  ChecksumCRC32: string | undefined;
}

/** See the module comment. */
export function createS3UploadStream(options: S3UploadStreamOptions): Writable {
  const { client, sdk, bucket, key, contentType, encryption, partSizeBytes, errorContext } = options;
  let chunks: Buffer[] = [];
  let buffered = 0;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];
  let committed = false;
  let discarding = false;
  /** The S3 call under way, if any: `destroy` may come while one runs, and must not race it. */
  let inFlight: Promise<void> | undefined;
  const track = (work: Promise<void>): Promise<void> => {
    const settled = work.finally(() => {
      if (inFlight === settled) inFlight = undefined;
    });
    inFlight = settled;
    return settled;
  };

  /** Runs one S3 call, mapping its failure to a typed error that names the operation. */
  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toS3SnapshotError(error, operation, errorContext);
    }
  };

  const takeBuffered = (): Buffer => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    chunks = [];
    buffered = 0;
    return body;
  };

  const uploadPart = async (): Promise<void> => {
    if (uploadId === undefined) {
      const created = await call("CreateMultipartUpload", () =>
        client.send(
          new sdk.CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            ContentType: contentType,
            ChecksumAlgorithm: "CRC32",
            ...encryption,
          }),
        ),
      );
      if (!created.UploadId) throw toS3SnapshotError(new Error("no UploadId returned"), "CreateMultipartUpload", errorContext);
      uploadId = created.UploadId;
    }
    if (discarding) return; // destroyed while the upload was being created: it is aborted next, send nothing more
    const id = uploadId;
    const PartNumber = parts.length + 1;
    const Body = takeBuffered();
    const response = await call("UploadPart", () =>
      client.send(
        new sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: id, PartNumber, Body, ChecksumAlgorithm: "CRC32" }),
      ),
    );
    parts.push({ PartNumber, ETag: response.ETag, ChecksumCRC32: response.ChecksumCRC32 });
  };

  const commit = async (): Promise<void> => {
    if (uploadId === undefined) {
      const Body = takeBuffered();
      await call("PutObject", () =>
        client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body, ContentType: contentType, ...encryption })),
      );
    } else {
      if (buffered > 0) await uploadPart();
      const id = uploadId;
      await call("CompleteMultipartUpload", () =>
        client.send(
          new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id, MultipartUpload: { Parts: parts } }),
        ),
      );
    }
    committed = true;
  };

  const discard = async (): Promise<void> => {
    discarding = true;
    chunks = [];
    buffered = 0;
    // Let a running CreateMultipartUpload / UploadPart finish first: aborting before it lands would orphan it.
    await inFlight?.catch(() => undefined);
    if (uploadId !== undefined && !committed) {
      const id = uploadId;
      try {
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }));
      } catch {
        // Best effort (see the module comment); the original failure is what the caller needs to see.
      }
    }
    client.destroy();
  };

  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      buffered += chunk.length;
      if (buffered < partSizeBytes) return callback();
      // Holding the callback until the part is stored is the backpressure: the writer waits for 'drain'.
      track(uploadPart()).then(() => callback(), callback);
    },
    final(callback) {
      track(commit()).then(() => callback(), callback);
    },
    destroy(error, callback) {
      void discard().then(() => callback(error));
    },
  });
}
