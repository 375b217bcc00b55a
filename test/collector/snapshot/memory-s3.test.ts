/** 100k users through the S3 sink (moto), as a multipart upload: peak RSS growth is about one part, not the file. */
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { MIN_PART_SIZE_BYTES, S3SnapshotSink } from "../../../collector/snapshot";
import { startMoto, type Moto } from "../../support/moto";
import { streamUsers, USERS } from "./memory-probe";

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  Object.assign(process.env, moto.env);
});

afterAll(async () => {
  process.env = savedEnv;
  await moto?.stop();
});

it(`streams ${USERS} users to S3 with bounded memory`, async () => {
  const admin = new S3Client({ forcePathStyle: true });
  try {
    await admin.send(new CreateBucketCommand({ Bucket: "memory" }));
    const sink = new S3SnapshotSink({ bucket: "memory", partSizeBytes: MIN_PART_SIZE_BYTES });
    const report = await streamUsers(sink, `S3 sink (moto, 5 MiB parts), ${USERS} users`);
    expect(report.users).toBe(USERS);
    const head = await admin.send(
      new HeadObjectCommand({
        Bucket: "memory",
        Key: "connectors/memory-test/snapshots/2026-11-28T23-00-00.000Z/users.ndjson.gz",
      }),
    );
    expect(head.ContentLength).toBeGreaterThan(0);
    // Multipart only if the gzip output exceeds one part; the ETag tells which path was taken.
    // eslint-disable-next-line no-console
    console.log(`S3 users.ndjson.gz ETag ${head.ETag} (a "-N" suffix means N multipart parts)`);
    expect(report.peakRssDeltaMB).toBeLessThan(report.uncompressedMB * 2);
  } finally {
    admin.destroy();
  }
});
