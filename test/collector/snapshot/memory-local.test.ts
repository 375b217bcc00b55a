/** 100k users through the local directory sink: peak RSS growth stays far below the file's uncompressed size. */
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runMemoryProbe } from "./memory-run";
import { USERS } from "./memory-probe";

it(`streams ${USERS} users to a local directory with bounded memory`, async () => {
  const root = await fs.mkdtemp(path.join(tmpdir(), "snapshot-memory-"));
  try {
    const report = await runMemoryProbe(["local", root]);
    expect(report.users).toBe(USERS);
    expect(report.uncompressedMB).toBeGreaterThan(25);
    // Buffering the file whole would cost at least its uncompressed size (twice with its fleet-tables copy);
    // streaming costs a gzip window per file and the GC's slack (26–32 MB measured with the copy).
    expect(report.peakRssDeltaMB).toBeLessThan(report.uncompressedMB * 0.6);
    expect(report.peakRssMB).toBeLessThan(256);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}, 120_000);
