/**
 * The child process of `npm run bench:hostile`: one collection against a hostile emulator (in the parent), with its
 * memory sampled. bench/hostile.ts bundles this file with esbuild and runs it with plain node, as Lambda runs it.
 */
import { createFileStore } from "../token-store";
import { collectConnector, type CollectorSettings } from "../collector/collect";
import { LocalDirectorySink } from "../collector/snapshot";

export interface HostileWorkerInput {
  settings: CollectorSettings;
  env: Record<string, string>;
  tokenPath: string;
  sinkDir: string;
  /** The run's deadline, this long after it starts (the deadline case). */
  deadlineAfterMs?: number;
}
export interface HostileWorkerOutput {
  wallMs: number;
  peakRss: number;
  /** `process.memoryUsage()` when RSS was highest: says whether the peak is JS heap or native memory. */
  atPeak?: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  complete?: boolean;
  reasons?: string[];
  requests?: number;
  error?: string;
}

async function worker(input: HostileWorkerInput): Promise<HostileWorkerOutput> {
  let peak = process.memoryUsage().rss;
  let atPeak: HostileWorkerOutput["atPeak"];
  const sampler = setInterval(() => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    if (rss >= peak) [peak, atPeak] = [rss, { heapUsed, heapTotal, external, arrayBuffers }];
  }, 25);
  // Progress for the parent, so a case killed at the time limit still reports its memory.
  const progress = setInterval(() => process.send?.({ progress: true, peakRss: Math.max(peak, process.resourceUsage().maxRSS * 1024) }), 1000);
  const start = performance.now();
  try {
    const result = await collectConnector(input.settings, {
      tokenStore: createFileStore({ path: input.tokenPath }),
      sink: new LocalDirectorySink(input.sinkDir),
      runId: "bench-hostile",
      atlassian: { env: input.env },
      ...(input.deadlineAfterMs !== undefined ? { deadline: Date.now() + input.deadlineAfterMs } : {}),
    });
    return { wallMs: performance.now() - start, peakRss: Math.max(peak, process.resourceUsage().maxRSS * 1024), atPeak, complete: result.complete, reasons: result.reasons, requests: result.stats.requests };
  } catch (error) {
    return { wallMs: performance.now() - start, peakRss: Math.max(peak, process.resourceUsage().maxRSS * 1024), atPeak, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
  }
}

process.once("message", (input) => {
  void worker(input as HostileWorkerInput).then((out) => process.send?.(out));
});
