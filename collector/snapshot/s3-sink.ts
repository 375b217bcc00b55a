/**
 * A snapshot sink in an S3 bucket, under an optional key prefix, for the Lambda collector.
 *
 * - Small objects: one `PutObject` (atomic in S3). Streams: see s3-upload-stream.ts (multipart, bounded memory).
 * - Encryption: with `kmsKeyId`, every write sends `ServerSideEncryption: "aws:kms"` and `SSEKMSKeyId`; without it
 *   the bucket's default encryption applies.
 * - Endpoint: `endpoint`, else the SDK's standard `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` (read when each client
 *   is made). With an override, path-style addressing is used (`http://host/bucket/key`), which emulators need.
 *
 * IAM for a collector of connector `<name>`: `s3:PutObject`, `s3:GetObject`, `s3:AbortMultipartUpload` on
 * `arn:aws:s3:::<bucket>/<prefix>connectors/<name>/*`; `s3:ListBucket` on `arn:aws:s3:::<bucket>` (so a missing
 * `latest.json` reads as missing rather than AccessDenied); with a KMS key, `kms:GenerateDataKey` and `kms:Decrypt`.
 *
 * Pulumi's closure serializer may capture this module: the SDK is `require`d inside methods, and no client lives at
 * module level or on the instance (one short-lived client per operation or stream).
 */
import { InvalidSnapshotArgumentError } from "./errors";
import { assertObjectKey } from "./layout";
import { toS3SnapshotError, type S3ErrorContext } from "./s3-errors";
import { createS3UploadStream } from "./s3-upload-stream";
import type { SnapshotSink } from "./sink";
import type { Writable } from "node:stream";

type Sdk = typeof import("@aws-sdk/client-s3");
type Client = InstanceType<Sdk["S3Client"]>;

/** S3's minimum size for every part of a multipart upload but the last. */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;

export interface S3SinkOptions {
  bucket: string;
  /** Key prefix, e.g. `jira` → `jira/connectors/…`. Leading and trailing `/` are ignored. Default: none. */
  prefix?: string;
  /** Default: the SDK's chain (`AWS_REGION`, profile, Lambda's environment). */
  region?: string;
  /** A KMS key ID, ARN or alias ARN: enables SSE-KMS on every write. */
  kmsKeyId?: string;
  /** Endpoint override (an emulator). Default: `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, else AWS. */
  endpoint?: string;
  /** Multipart part size for streams; also the most a stream buffers. Default 8 MiB, minimum 5 MiB. */
  partSizeBytes?: number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A `SnapshotSink` backed by S3. See the module comment. */
export class S3SnapshotSink implements SnapshotSink {
  readonly location: string;
  readonly bucket: string;
  /** `""` or the prefix with one trailing `/`. */
  readonly prefix: string;
  readonly region: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly endpoint: string | undefined;
  readonly partSizeBytes: number;

  constructor(options: S3SinkOptions) {
    if (typeof options.bucket !== "string" || !BUCKET_NAME.test(options.bucket)) {
      throw new InvalidSnapshotArgumentError("bucket", `${JSON.stringify(options.bucket)} is not an S3 bucket name`);
    }
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    if (prefix !== "") {
      try {
        assertObjectKey(prefix);
      } catch (error) {
        throw new InvalidSnapshotArgumentError("prefix", (error as Error).message.replace(/^key: /, ""));
      }
    }
    const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE_BYTES) {
      throw new InvalidSnapshotArgumentError("partSizeBytes", `must be an integer ≥ ${MIN_PART_SIZE_BYTES} (5 MiB)`);
    }
    if (options.kmsKeyId !== undefined && (typeof options.kmsKeyId !== "string" || options.kmsKeyId.trim() === "")) {
      throw new InvalidSnapshotArgumentError("kmsKeyId", "is empty; omit it to use the bucket's default encryption");
    }
    this.bucket = options.bucket;
    this.prefix = prefix === "" ? "" : `${prefix}/`;
    this.region = options.region;
    this.kmsKeyId = options.kmsKeyId;
    this.endpoint = options.endpoint;
    this.partSizeBytes = partSize;
    this.location = `s3://${this.bucket}/${prefix}`;
  }

  /** One `PutObject`. */
  async writeObject(key: string, body: Buffer | string, contentType: string): Promise<void> {
    const Key = this.keyOf(key);
    await this.withClient(Key, "PutObject", (client, sdk) =>
      client.send(
        new sdk.PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: contentType, ...this.encryption() }),
      ),
    );
  }

  /** A multipart upload (or one `PutObject` if small); see s3-upload-stream.ts. */
  writeStream(key: string, contentType: string): Writable {
    const Key = this.keyOf(key);
    const { sdk, client } = this.createClient(Key, "CreateMultipartUpload");
    return createS3UploadStream({
      client,
      sdk,
      bucket: this.bucket,
      key: Key,
      contentType,
      encryption: this.encryption(),
      partSizeBytes: this.partSizeBytes,
      errorContext: this.errorContext(Key),
    });
  }

  /** `GetObject`; `undefined` on `NoSuchKey`. */
  async readObject(key: string): Promise<Buffer | undefined> {
    const Key = this.keyOf(key);
    return this.withClient(Key, "GetObject", async (client, sdk) => {
      let response;
      try {
        response = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key }));
      } catch (error) {
        if ((error as { name?: unknown }).name === "NoSuchKey") return undefined;
        throw error;
      }
      if (!response.Body) return Buffer.alloc(0);
      return Buffer.from(await response.Body.transformToByteArray());
    });
  }

  /** The full S3 key of a sink key. */
  keyOf(key: string): string {
    assertObjectKey(key);
    return `${this.prefix}${key}`;
  }

  private encryption(): { ServerSideEncryption?: "aws:kms"; SSEKMSKeyId?: string } {
    return this.kmsKeyId === undefined ? {} : { ServerSideEncryption: "aws:kms", SSEKMSKeyId: this.kmsKeyId };
  }

  private errorContext(key: string): S3ErrorContext {
    return { location: this.location, bucket: this.bucket, key, prefix: this.prefix, kmsKeyId: this.kmsKeyId };
  }

  private createClient(key: string, operation: string): { sdk: Sdk; client: Client } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the module comment (closure capture)
    const sdk = require("@aws-sdk/client-s3") as Sdk;
    const endpoint = this.endpoint ?? (process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined);
    try {
      const client = new sdk.S3Client({
        ...(this.region !== undefined ? { region: this.region } : {}),
        ...(this.endpoint !== undefined ? { endpoint: this.endpoint } : {}),
        forcePathStyle: endpoint !== undefined,
      });
      return { sdk, client };
    } catch (error) {
      throw toS3SnapshotError(error, operation, this.errorContext(key));
    }
  }

  /** One short-lived client per call: nothing non-serializable survives between calls. */
  private async withClient<T>(key: string, operation: string, body: (client: Client, sdk: Sdk) => Promise<T>): Promise<T> {
    const { sdk, client } = this.createClient(key, operation);
    try {
      return await body(client, sdk);
    } catch (error) {
      throw toS3SnapshotError(error, operation, this.errorContext(key));
    } finally {
      client.destroy();
    }
  }
}
