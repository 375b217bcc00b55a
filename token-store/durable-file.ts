import { promises as fs } from "fs";

/**
 * fsyncs a directory so that a rename into it survives a crash (the rename is a directory entry change).
 * Shared by the file token store and the local snapshot sink, which both write temp file → fsync → rename.
 */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return; // directories cannot be opened for fsync there
  const handle = await fs.open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
