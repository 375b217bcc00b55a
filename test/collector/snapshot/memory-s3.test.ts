/** 100k users through the S3 sink (moto), as a multipart upload: peak RSS growth is about one part, not the file. */
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { motoForSuite } from "../../support/moto";
import { runMemoryProbe } from "./memory-run";
import { USERS } from "./memory-probe";

const moto = motoForSuite();

it(`streams ${USERS} users to S3 with bounded memory`, async () => {
  const admin = new S3Client({ forcePathStyle: true });
  try {
    await admin.send(new CreateBucketCommand({ Bucket: "memory" }));
    const report = await runMemoryProbe(["s3", "memory"], moto().env);
    expect(report.users).toBe(USERS);
    const head = await admin.send(
      new HeadObjectCommand({
        Bucket: "memory",
        Key: "connectors/memory-test/snapshots/2026-11-28T23-00-00.000Z/users.ndjson.gz",
      }),
    );
    expect(head.ContentLength).toBeGreaterThan(0);
    // More than one 5 MiB part proves the multipart (streaming) path was taken, not one buffered PUT.
    expect(head.ETag).toMatch(/-\d+"$/);
    // The users' fleet table copy is a second multipart upload running alongside, measured with it.
    const copy = await admin.send(
      new HeadObjectCommand({ Bucket: "memory", Key: "fleet-tables/users/connector=memory-test/day=2026-11-28/2026-11-28T23-00-00.000Z.ndjson.gz" }),
    );
    expect(copy.ETag).toMatch(/-\d+"$/);
    // Holding the records would cost at least their uncompressed size (68 MB); streaming holds a few 5 MiB parts per
    // upload (about 31 MB measured for users alone, about 47 MB with its copy, SDK request buffers included; the
    // same at 300k users, so it does not grow with the file). Below the uncompressed size with room for the GC's slack.
    expect(report.peakRssDeltaMB).toBeLessThan(report.uncompressedMB * 0.9);
    expect(report.peakRssMB).toBeLessThan(256);
  } finally {
    admin.destroy();
  }
}, 120_000);
