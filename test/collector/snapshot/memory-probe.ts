/**
 * Streams 100k fake users through a `SnapshotWriter` and measures the peak RSS growth meanwhile, to show that the
 * NDJSON gzip path does not buffer the file (its uncompressed size is logged next to the RSS delta). Each sink has
 * its own test file so each runs in a fresh jest worker and the two measurements do not share a grown heap.
 *
 * The tests run it in a child process with `--expose-gc` (memory-child.ts), so the peaks show live memory rather
 * than garbage V8 has not collected yet. `SNAPSHOT_MEMORY_USERS=300000 npx jest test/collector/snapshot/memory`
 * shows that the peak does not grow with the number of users.
 */
import { randomBytes } from "node:crypto";
import { readLatest, SnapshotWriter, type SnapshotSink } from "../../../collector/snapshot";

export const USERS = Number(process.env.SNAPSHOT_MEMORY_USERS ?? 100_000);
const MB = 1024 * 1024;

/**
 * A realistic Jira user record (~600 bytes of JSON, shaped like `GET /rest/api/3/users/search` plus groups, roles and
 * activity), with random IDs and avatar hashes so it does not compress unrealistically well.
 */
function user(index: number): Record<string, unknown> {
  const accountId = `712020:${randomHex(index, 0)}`;
  const avatar = `https://secure.gravatar.com/avatar/${randomHex(index, 1)}?d=https%3A%2F%2Favatar-management`;
  return {
    self: `https://acme.atlassian.net/rest/api/3/user?accountId=${accountId}`,
    accountId,
    accountType: "atlassian",
    emailAddress: `first.last.${index}.${randomHex(index, 2).slice(0, 6)}@acme-corporation.example`,
    avatarUrls: { "48x48": `${avatar}&s=48`, "24x24": `${avatar}&s=24` },
    displayName: `First${index % 977} Last${index % 1013}`,
    active: index % 11 !== 0,
    timeZone: "Europe/Paris",
    locale: "en_US",
    groups: ["jira-software-users", `team-${index % 40}`],
    applicationRoles: index % 3 === 0 ? ["jira-software", "jira-servicedesk"] : ["jira-software"],
    lastActive: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(),
  };
}

/** 32 random hex digits, cut from one pool (per-record crypto calls would dominate the test's run time). */
const POOL = randomBytes(1 << 20).toString("hex");
function randomHex(index: number, field: number): string {
  const offset = ((index * 3 + field) * 7919) % (POOL.length - 32);
  return POOL.slice(offset, offset + 32);
}

export interface MemoryReport {
  users: number;
  /** Peak resident set size of the whole process, in MB (the collector's budget is 256 MB). */
  peakRssMB: number;
  uncompressedMB: number;
  compressedMB: number;
  baselineRssMB: number;
  peakRssDeltaMB: number;
  /** Growth of memory held in Buffers (gzip output, parts), which is what the streaming design bounds. */
  peakBuffersDeltaMB: number;
  seconds: number;
}

export async function streamUsers(sink: SnapshotSink, label: string): Promise<MemoryReport> {
  // Warm up first, so loading the AWS SDK's code (tens of MB of RSS, once per process) is not counted as streaming.
  await sink.readObject("connectors/memory-test/warm-up");
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage.rss();
  const baselineBuffers = process.memoryUsage().arrayBuffers;
  let peak = baseline;
  let peakBuffers = baselineBuffers;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakBuffers = Math.max(peakBuffers, usage.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const started = Date.now();
  let uncompressed = 0;
  try {
    const writer = new SnapshotWriter(sink, "memory-test", new Date("2026-11-28T23:00:00Z"));
    const users = writer.users<Record<string, unknown>>();
    for (let i = 0; i < USERS; i++) {
      const record = user(i);
      uncompressed += Buffer.byteLength(JSON.stringify(record)) + 1;
      await users.write(record);
      if (i % 1000 === 0) sample();
      // With --expose-gc, collect now and then so the peaks show live memory rather than uncollected garbage.
      if (gc !== undefined && i % 10_000 === 9_999) gc();
    }
    const summary = await users.close();
    sample();
    await writer.activity().close();
    await writer.writeJson("subscriptions.json", {});
    await writer.writeJson("seat-report.json", {});
    await writer.finish({ complete: true });
    if ((await readLatest(sink, "memory-test")) === undefined) throw new Error("latest.json missing");
    const report: MemoryReport = {
      users: summary.records,
      uncompressedMB: round(uncompressed / MB),
      compressedMB: round(summary.bytes / MB),
      peakRssMB: round(peak / MB),
      baselineRssMB: round(baseline / MB),
      peakRssDeltaMB: round((peak - baseline) / MB),
      peakBuffersDeltaMB: round((peakBuffers - baselineBuffers) / MB),
      seconds: round((Date.now() - started) / 1000),
    };
    process.stderr.write(`${label}: ${JSON.stringify(report)}\n`);
    return report;
  } finally {
    clearInterval(timer);
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;
