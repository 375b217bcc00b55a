/**
 * The multipart stream against a scripted fake client, for orderings moto cannot be made to show on demand
 * (a destroy that lands while a call is on the wire).
 */
import { createS3UploadStream } from "../../../collector/snapshot/s3-upload-stream";
import { MIN_PART_SIZE_BYTES } from "../../../collector/snapshot";

type Sent = { command: string; input: Record<string, unknown> };

/** A fake SDK whose commands record their name, and a client whose every call takes `delayMs`. */
function fakeS3(delayMs: number) {
  const sent: Sent[] = [];
  const command = (name: string) =>
    class {
      readonly command = name;
      constructor(readonly input: Record<string, unknown>) {}
    };
  const sdk = {
    CreateMultipartUploadCommand: command("CreateMultipartUpload"),
    UploadPartCommand: command("UploadPart"),
    CompleteMultipartUploadCommand: command("CompleteMultipartUpload"),
    AbortMultipartUploadCommand: command("AbortMultipartUpload"),
    PutObjectCommand: command("PutObject"),
  };
  let destroyed = false;
  const client = {
    async send(request: Sent) {
      sent.push({ command: request.command, input: request.input });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (request.command === "CreateMultipartUpload") return { UploadId: "upload-1" };
      if (request.command === "UploadPart") return { ETag: `"etag-${String(request.input.PartNumber)}"` };
      return {};
    },
    destroy() {
      destroyed = true;
    },
  };
  const stream = createS3UploadStream({
    client: client as never,
    sdk: sdk as never,
    bucket: "b",
    key: "connectors/acme/x",
    contentType: "application/octet-stream",
    encryption: { ServerSideEncryption: "aws:kms", SSEKMSKeyId: "key-1" },
    partSizeBytes: MIN_PART_SIZE_BYTES,
    errorContext: { location: "s3://b/", bucket: "b", key: "connectors/acme/x", prefix: "", kmsKeyId: "key-1" },
  });
  return { sent, stream, isDestroyed: () => destroyed };
}

it("a destroy that lands while CreateMultipartUpload is on the wire still aborts the upload it creates", async () => {
  const { sent, stream, isDestroyed } = fakeS3(50);
  stream.on("error", () => undefined);
  stream.write(Buffer.alloc(MIN_PART_SIZE_BYTES));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(sent.map((s) => s.command)).toEqual(["CreateMultipartUpload"]);
  stream.destroy(new Error("caller failed"));
  await new Promise((resolve) => stream.once("close", resolve));
  expect(sent.map((s) => s.command)).toEqual(["CreateMultipartUpload", "AbortMultipartUpload"]);
  expect(sent[1]!.input).toEqual({ Bucket: "b", Key: "connectors/acme/x", UploadId: "upload-1" });
  expect(isDestroyed()).toBe(true);
});

it("uploads full parts in order and completes with their ETags and the encryption settings", async () => {
  const { sent, stream } = fakeS3(1);
  for (let i = 0; i < 11; i++) stream.write(Buffer.alloc(MIN_PART_SIZE_BYTES / 5, i));
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  expect(sent.map((s) => s.command)).toEqual([
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPart",
    "UploadPart",
    "CompleteMultipartUpload",
  ]);
  expect(sent[0]!.input).toMatchObject({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: "key-1", ChecksumAlgorithm: "CRC32" });
  expect(sent.slice(1, 4).map((s) => (s.input.Body as Buffer).length)).toEqual([
    MIN_PART_SIZE_BYTES,
    MIN_PART_SIZE_BYTES,
    MIN_PART_SIZE_BYTES / 5,
  ]);
  expect((sent[4]!.input.MultipartUpload as { Parts: unknown[] }).Parts).toEqual([
    { PartNumber: 1, ETag: '"etag-1"', ChecksumCRC32: undefined },
    { PartNumber: 2, ETag: '"etag-2"', ChecksumCRC32: undefined },
    { PartNumber: 3, ETag: '"etag-3"', ChecksumCRC32: undefined },
  ]);
});
