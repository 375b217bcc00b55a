/**
 * The child process of `npm run bench:collect`: one collection (or the naive sequential read) with its memory
 * sampled. bench/collect.ts bundles this file with esbuild and runs it with plain node, as Lambda runs the collector.
 */
import * as fs from "fs";
import * as path from "path";
import { AtlassianClient, getApplicationRoles, getApproximateLicenseCount, getInstanceLicense } from "../atlassian";
import { auditRecords } from "../atlassian/jira/audit";
import { groupMembers } from "../atlassian/jira/groups";
import { searchIssues } from "../atlassian/jira/issue-search";
import { searchUsers } from "../atlassian/jira/users";
import { createFileStore } from "../token-store";
import { collectConnector, type CollectorSettings } from "../collector/collect";
import { LocalDirectorySink } from "../collector/snapshot";

export type Mode = "collect" | "naive";
export interface WorkerInput {
  mode: Mode;
  settings: CollectorSettings;
  env: Record<string, string>;
  tokenPath: string;
  sinkDir: string;
}
export interface WorkerOutput {
  wallMs: number;
  peakRssSampled: number;
  maxRss: number;
  complete?: boolean;
  reasons?: string[];
  pointsSpent?: number | null;
  pointsCharged?: boolean | null;
  entities?: unknown;
  /** The manifest's request stats (pipeline counters, sentDuringKnownLimit, inFlightAtRateLimit). */
  requestStats?: { sentDuringKnownLimit?: number; inFlightAtRateLimit?: number; [k: string]: unknown };
  error?: string;
}



async function worker(input: WorkerInput): Promise<WorkerOutput> {
  let peak = process.memoryUsage().rss;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss > peak) [peak, atPeak] = [usage.rss, usage];
    const gc = (globalThis as { gc?: () => void }).gc;
    const threshold = Number(process.env.BENCH_HEAP_SNAPSHOT_MB ?? Infinity) * 2 ** 20;
    // Diagnosis only (BENCH_HEAP_SNAPSHOT_MB=100 BENCH_NODE_FLAGS=--expose-gc): a heap snapshot of live memory.
    if (gc && usage.heapUsed > threshold && (gc(), process.memoryUsage().heapUsed > threshold)) {
      console.log(`   heap snapshot: ${require("v8").writeHeapSnapshot()}`);
      delete process.env.BENCH_HEAP_SNAPSHOT_MB;
    }
  }, 50);
  // Progress for the parent, so a run killed at the time limit still reports its memory.
  const progress = setInterval(() => process.send?.({ progress: true, peakRssSampled: peak, maxRss: process.resourceUsage().maxRSS * 1024 }), 1000);
  const start = performance.now();
  try {
    if (input.mode === "collect") {
      const tokenStore = createFileStore({ path: input.tokenPath });
      const sink = new LocalDirectorySink(input.sinkDir);
      const result = await collectConnector(input.settings, { tokenStore, sink, runId: "bench", atlassian: { env: input.env } });
      const wallMs = performance.now() - start;
      if (process.env.BENCH_MEMORY_DETAIL) console.log(`   [${input.mode}] at peak RSS: ${memoryDetail(atPeak)}`);
      const manifest = JSON.parse(fs.readFileSync(path.join(input.sinkDir, result.snapshotPrefix, "manifest.json"), "utf8"));
      return {
        wallMs,
        peakRssSampled: Math.max(peak, process.memoryUsage().rss),
        maxRss: process.resourceUsage().maxRSS * 1024,
        complete: result.complete,
        reasons: result.reasons,
        pointsSpent: manifest.points?.spent ?? null,
        pointsCharged: manifest.points?.charged ?? null,
        entities: manifest.entities,
        requestStats: manifest.requests,
      };
    }
    await naiveSequential(input);
    if (process.env.BENCH_MEMORY_DETAIL) console.log(`   [${input.mode}] at peak RSS: ${memoryDetail(atPeak)}`);
    return { wallMs: performance.now() - start, peakRssSampled: Math.max(peak, process.memoryUsage().rss), maxRss: process.resourceUsage().maxRSS * 1024 };
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
  }
}

/** The same reads, one request at a time, nothing concurrent, everything kept in memory (as a quick script would). */
async function naiveSequential(input: WorkerInput): Promise<void> {
  const atlassian = new AtlassianClient({ env: input.env });
  const jira = atlassian.jira({ kind: "api-token", site: input.settings.site, ...input.settings.license! });
  const roles = await getApplicationRoles(jira);
  await getInstanceLicense(jira);
  for (const role of roles) await getApproximateLicenseCount(jira, role.key).catch(() => null);
  const kept: unknown[] = [];
  for (const group of [...new Set(roles.flatMap((r) => r.groups))].sort()) {
    for await (const page of groupMembers(jira, { groupName: group, includeInactiveUsers: true })) kept.push(...page.items);
  }
  const from = new Date(Date.now() - (input.settings.auditLookbackDays ?? 30) * 86_400_000);
  for await (const page of auditRecords(jira, { from })) kept.push(...page.items);
  for await (const page of searchIssues(jira, { jql: "updated >= -90d ORDER BY updated DESC" })) kept.push(...page.items);
  for await (const page of searchUsers(jira)) kept.push(...page.items);
}


const memoryDetail = (u: NodeJS.MemoryUsage) =>
  `rss ${mb(u.rss)}, heap used ${mb(u.heapUsed)} of ${mb(u.heapTotal)}, external ${mb(u.external)} (array buffers ${mb(u.arrayBuffers)})`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

process.once("message", (input) => {
  worker(input as WorkerInput)
    .catch((error): WorkerOutput => ({ wallMs: NaN, peakRssSampled: 0, maxRss: 0, error: String(error?.stack ?? error) }))
    .then((out) => {
      if (out.error) console.error(out.error);
      process.send!(out, () => process.exit(0));
    });
});
