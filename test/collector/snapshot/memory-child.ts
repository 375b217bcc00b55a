/**
 * Runs one memory probe in a process of its own (spawned by the memory tests with `--expose-gc`), so the figure is
 * this process's live memory and not the grown heap of a jest worker that ran other suites first (a shared worker
 * made the in-process measurement flaky: 37 MB on one run, 167 MB on another, for the same code).
 *
 * Usage: node --expose-gc --import tsx memory-child.ts local <dir> | s3 <bucket>
 * Prints the `MemoryReport` as JSON on its last stdout line.
 */
import { LocalDirectorySink, MIN_PART_SIZE_BYTES, S3SnapshotSink, type SnapshotSink } from "../../../collector/snapshot";
import { streamUsers, USERS } from "./memory-probe";

async function main(): Promise<void> {
  const [kind, target] = process.argv.slice(2);
  if (target === undefined) throw new Error("usage: memory-child.ts local <dir> | s3 <bucket>");
  let sink: SnapshotSink;
  let label: string;
  if (kind === "local") {
    sink = new LocalDirectorySink(target);
    label = `local directory sink, ${USERS} users`;
  } else if (kind === "s3") {
    sink = new S3SnapshotSink({ bucket: target, partSizeBytes: MIN_PART_SIZE_BYTES });
    label = `S3 sink (moto, 5 MiB parts), ${USERS} users`;
  } else {
    throw new Error(`unknown sink kind ${kind}`);
  }
  const report = await streamUsers(sink, label);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
