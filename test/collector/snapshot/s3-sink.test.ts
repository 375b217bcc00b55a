/** The S3 sink over real HTTP to moto: the shared contract, multipart streaming, SSE-KMS, typed errors. */
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  InvalidSnapshotArgumentError,
  readNdjsonGzip,
  MIN_PART_SIZE_BYTES,
  readLatest,
  S3SnapshotSink,
  SnapshotPermissionError,
  SnapshotStorageNotFoundError,
  SnapshotWriter,
  type SnapshotSink,
} from "../../../collector/snapshot";
import { toS3SnapshotError } from "../../../collector/snapshot/s3-errors";
import { startMoto, type Moto } from "../../support/moto";
import { describeSinkContract, T1, writeSnapshot } from "./sink-contract";

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv;
let admin: S3Client;
const BUCKET = "jira-snapshots";
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  Object.assign(process.env, moto.env);
  admin = new S3Client({ forcePathStyle: true });
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  admin?.destroy();
  process.env = savedEnv;
  await moto?.stop();
});

/** A sink under a fresh prefix, so tests do not see each other's objects. */
const fresh = (options: { kmsKeyId?: string; partSizeBytes?: number } = {}): S3SnapshotSink =>
  new S3SnapshotSink({ bucket: BUCKET, prefix: `test-${randomUUID()}`, ...options });

async function listKeys(sink: SnapshotSink): Promise<string[]> {
  const { prefix } = sink as S3SnapshotSink;
  const listed = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
}

async function pendingUploads(sink: SnapshotSink): Promise<string[]> {
  const { prefix } = sink as S3SnapshotSink;
  const listed = await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Uploads ?? []).map((u) => u.Key!);
}

const head = (sink: S3SnapshotSink, key: string) =>
  admin.send(new HeadObjectCommand({ Bucket: BUCKET, Key: sink.keyOf(key) }));

describeSinkContract("S3 sink (moto)", {
  fresh: async () => fresh(),
  listKeys,
  assertNoLeftovers: async (sink) => expect(await pendingUploads(sink)).toEqual([]),
});

/** Records that gzip poorly (random base64), so `megabytes` of them make that many compressed megabytes. */
async function writeIncompressible(writer: SnapshotWriter, megabytes: number): Promise<number> {
  const users = writer.users<{ i: number; noise: string }>();
  const count = Math.ceil((megabytes * 1024 * 1024) / 1400);
  for (let i = 0; i < count; i++) await users.write({ i, noise: randomBytes(1024).toString("base64") });
  return (await users.close()).bytes;
}

describe("S3 sink specifics", () => {
  it("names the bucket and prefix in its location and validates its options", () => {
    expect(new S3SnapshotSink({ bucket: BUCKET, prefix: "/jira/" }).location).toBe(`s3://${BUCKET}/jira`);
    expect(new S3SnapshotSink({ bucket: BUCKET }).keyOf("connectors/acme/latest.json")).toBe("connectors/acme/latest.json");
    expect(() => new S3SnapshotSink({ bucket: "No_Such" })).toThrow(/^bucket: /);
    expect(() => new S3SnapshotSink({ bucket: BUCKET, prefix: "a/../b" })).toThrow(/^prefix: /);
    expect(() => new S3SnapshotSink({ bucket: BUCKET, partSizeBytes: 1024 })).toThrow(/^partSizeBytes: /);
    expect(() => new S3SnapshotSink({ bucket: BUCKET, kmsKeyId: "" })).toThrow(InvalidSnapshotArgumentError);
  });

  it("streams large files as a multipart upload of bounded parts, and small ones with one PutObject", async () => {
    const sink = fresh({ partSizeBytes: MIN_PART_SIZE_BYTES });
    const writer = new SnapshotWriter(sink, "acme", T1);
    const bytes = await writeIncompressible(writer, 12); // about 9 MiB compressed: one full part and a last one
    expect(bytes).toBeGreaterThan(MIN_PART_SIZE_BYTES);
    expect(bytes).toBeLessThan(2 * MIN_PART_SIZE_BYTES);
    await writer.activity().close();
    const prefix = "connectors/acme/snapshots/2026-11-28T23-00-00.000Z/";
    const users = await head(sink, `${prefix}users.ndjson.gz`);
    expect(users.ETag).toMatch(/-2"$/); // a multipart ETag: <md5 of part md5s>-<number of parts>
    expect(users.ContentLength).toBe(bytes);
    expect(users.ContentType).toBe("application/x-ndjson+gzip");
    expect((await head(sink, `${prefix}activity.ndjson.gz`)).ETag).not.toContain("-");
    let count = 0;
    for await (const _ of readNdjsonGzip((await sink.readObject(`${prefix}users.ndjson.gz`))!)) count++;
    expect(count).toBe(Math.ceil((12 * 1024 * 1024) / 1400));
    expect(await pendingUploads(sink)).toEqual([]);
  });

  it("aborts the multipart upload when a stream is aborted after parts were uploaded", async () => {
    const sink = fresh({ partSizeBytes: MIN_PART_SIZE_BYTES });
    const writer = new SnapshotWriter(sink, "acme", T1);
    const users = writer.users<{ noise: string }>();
    for (let i = 0; i < 6000; i++) await users.write({ noise: randomBytes(1024).toString("base64") });
    expect(await pendingUploads(sink)).toHaveLength(2); // the first part of users and of its fleet table copy
    await users.abort(new Error("simulated failure"));
    expect(await pendingUploads(sink)).toEqual([]);
    expect(await listKeys(sink)).toEqual([]);
  });

  it("destroying a stream while a part is uploading still aborts the upload (no orphaned parts)", async () => {
    const sink = fresh({ partSizeBytes: MIN_PART_SIZE_BYTES });
    const stream = sink.writeStream("connectors/acme/big.bin", "application/octet-stream");
    stream.write(randomBytes(MIN_PART_SIZE_BYTES + 1)); // starts CreateMultipartUpload, then UploadPart
    await new Promise((resolve) => setImmediate(resolve)); // CreateMultipartUpload is on the wire
    const closed = new Promise((resolve) => stream.once("close", resolve));
    const failed = new Promise((resolve) => stream.once("error", resolve));
    stream.destroy(new Error("simulated crash of the caller"));
    await closed;
    expect(((await failed) as Error).message).toBe("simulated crash of the caller");
    expect(await pendingUploads(sink)).toEqual([]);
    expect(await listKeys(sink)).toEqual([]);
  });

  it("sends SSE-KMS with the configured key on PutObject and on multipart uploads", async () => {
    const sink = fresh({ kmsKeyId: KMS_KEY, partSizeBytes: MIN_PART_SIZE_BYTES });
    const writer = new SnapshotWriter(sink, "acme", T1);
    await writeIncompressible(writer, 8); // about 6 MiB compressed: two parts
    await writer.activity().close();
    await writer.writeJson("subscriptions.json", {});
    await writer.writeJson("seat-report.json", {});
    await writer.finish({ complete: true });
    expect((await head(sink, "connectors/acme/snapshots/2026-11-28T23-00-00.000Z/users.ndjson.gz")).ETag).toMatch(/-2"$/);
    for (const key of await listKeys(sink)) {
      const object = await head(sink, key);
      expect([key, object.ServerSideEncryption, object.SSEKMSKeyId]).toEqual([key, "aws:kms", KMS_KEY]);
    }
    const plain = fresh();
    await plain.writeObject("connectors/acme/x.json", "{}", "application/json");
    expect((await head(plain, "connectors/acme/x.json")).SSEKMSKeyId).toBeUndefined();
  });

  it("a missing bucket is a typed error naming the bucket and the fix", async () => {
    const sink = new S3SnapshotSink({ bucket: "no-such-bucket-here" });
    const error = await writeSnapshot(sink, "acme", T1, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotStorageNotFoundError);
    expect((error as Error).message).toMatch(/^s3:\/\/no-such-bucket-here\/: the bucket no-such-bucket-here does not exist/);
  });

  it("AccessDenied names the action and the connector-wide resource to grant", () => {
    const context = { location: "s3://b/jira", bucket: "b", key: "jira/connectors/acme/latest.json", prefix: "jira/", kmsKeyId: undefined };
    const denied = Object.assign(new Error("Access Denied"), { name: "AccessDenied" });
    const error = toS3SnapshotError(denied, "CompleteMultipartUpload", context);
    expect(error).toBeInstanceOf(SnapshotPermissionError);
    expect(error.message).toContain("Grant s3:PutObject on arn:aws:s3:::b/jira/connectors/acme/* to the role");
    expect(toS3SnapshotError(denied, "GetObject", context).message).toContain("s3:ListBucket on arn:aws:s3:::b");
    const kms = Object.assign(new Error("not authorized to perform: kms:GenerateDataKey"), { name: "AccessDenied" });
    expect(toS3SnapshotError(kms, "PutObject", { ...context, kmsKeyId: KMS_KEY }).message).toContain(
      `permission denied for kms:GenerateDataKey on the KMS key ${KMS_KEY}`,
    );
  });

  it("survives Pulumi's closure serializer and writes a snapshot when loaded from the serialized text", async () => {
    const sink = fresh({ kmsKeyId: KMS_KEY, partSizeBytes: MIN_PART_SIZE_BYTES });
    const job = async (): Promise<unknown> => {
      // A Date made here: the serializer captures Date objects as plain objects, which are not Dates.
      const at = new Date("2026-11-28T23:00:00.000Z");
      const result = await writeSnapshot(sink, "acme", at, true, 50);
      const denied = await (async () => new SnapshotWriter(sink, "Bad/Name", at))().catch((e: Error) => e);
      return [result.latestUpdated, (await readLatest(sink, "acme"))?.snapshotPrefix, (denied as Error).name];
    };
    const { text } = await pulumi.runtime.serializeFunction(job);
    expect(text).toContain('require("@aws-sdk/client-s3")');
    // Run in a fresh Node process, as Pulumi would: compiled from text, modules resolved from the project.
    const dir = await fs.mkdtemp(path.join(tmpdir(), "serialized-snapshot-"));
    const file = path.join(dir, "closure.js");
    await fs.writeFile(file, text, { mode: 0o600 });
    const loader = [
      'const Module = require("node:module");',
      `const filename = ${JSON.stringify(path.join(__dirname, "__serialized.js"))};`,
      "const m = new Module(filename); m.filename = filename; m.paths = Module._nodeModulePaths(require('node:path').dirname(filename));",
      `m._compile(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"), filename);`,
      "m.exports.handler().then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(e.name + ': ' + e.message); process.exit(1); });",
    ].join("\n");
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", loader], {
        env: { ...process.env, ...moto.env },
        timeout: 30_000,
      });
      expect(JSON.parse(stdout)).toEqual([true, "connectors/acme/snapshots/2026-11-28T23-00-00.000Z/", "InvalidSnapshotArgumentError"]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    expect((await head(sink, "connectors/acme/latest.json")).SSEKMSKeyId).toBe(KMS_KEY);
  });

  it("requires the AWS SDK inside methods only (Pulumi's closure serializer may capture this code)", async () => {
    const dir = path.join(__dirname, "../../../collector/snapshot");
    for (const file of await fs.readdir(dir)) {
      const text = await fs.readFile(path.join(dir, file), "utf8");
      expect([file, /^import [^;]*from "@aws-sdk\//m.test(text.replace(/^import type .*$/gm, ""))]).toEqual([file, false]);
    }
  });
});
