/** 100k users through the local directory sink: peak RSS growth stays far below the file's uncompressed size. */
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LocalDirectorySink } from "../../../collector/snapshot";
import { streamUsers, USERS } from "./memory-probe";

it(`streams ${USERS} users to a local directory with bounded memory`, async () => {
  const root = await fs.mkdtemp(path.join(tmpdir(), "snapshot-memory-"));
  try {
    const report = await streamUsers(new LocalDirectorySink(root), `local directory sink, ${USERS} users`);
    expect(report.users).toBe(USERS);
    expect(report.uncompressedMB).toBeGreaterThan(25);
    // Generous sanity bound (GC timing varies): buffering the file whole would cost several times its size.
    expect(report.peakRssDeltaMB).toBeLessThan(report.uncompressedMB * 2);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
