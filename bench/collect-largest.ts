/**
 * `npm run bench:collect -- --scenario largest` — the largest real site we plan for: 150k users, 200 ms round trips
 * (emulator latency, as from a Lambda far from the site's region), and Atlassian's own per-endpoint burst buckets
 * (atlassian-api.md §7: 100/s for GETs and POSTs, 150/s for `GET /user`; the emulator's defaults) instead of the
 * standard runs' fixed 100/s. One collection, no naive run (sequentially it would take longer than a Lambda may run).
 * It must finish inside the collector Lambda's defaults (components/settings.ts: 600 s timeout, 512 MB memory); the
 * worker is killed at the timeout, as Lambda would kill it.
 */
import type { WorkerOutput } from "./collect-worker";

/** What varies between the standard runs and the largest one. */
export interface Profile {
  label: string;
  latencyMs: number;
  /** Every bucket at a fixed 100/s (the standard runs) rather than the emulator's per-endpoint Atlassian defaults. */
  fixedRate: boolean;
  modes?: ("collect" | "naive")[];
  timeLimitMs?: number;
  /** Print whether the run fits the Lambda. */
  verdict?: boolean;
}

/** The 10k and 100k runs: 30 ms added latency, every bucket 100/s. */
export const STANDARD: Profile = { label: "", latencyMs: 30, fixedRate: true };

/** components/settings.ts defaults for the collector function. */
export const LAMBDA_TIMEOUT_S = 600;
export const LAMBDA_MEMORY_MB = 512;

export const LARGEST: Profile & { users: number } = {
  label: "largest ",
  users: 150_000,
  latencyMs: 200,
  fixedRate: false,
  modes: ["collect"],
  timeLimitMs: LAMBDA_TIMEOUT_S * 1000,
  verdict: true,
};

export function largestVerdict(out: WorkerOutput, requests: number): string {
  const rssMb = Math.max(out.peakRssSampled, out.maxRss) / 2 ** 20;
  const fits = out.wallMs <= LAMBDA_TIMEOUT_S * 1000 && rssMb <= LAMBDA_MEMORY_MB && out.complete === true;
  return (
    `largest real site: wall ${(out.wallMs / 1000).toFixed(1)} s of ${LAMBDA_TIMEOUT_S} s, peak RSS ${rssMb.toFixed(0)} MB of ${LAMBDA_MEMORY_MB} MB, ` +
    `${requests} requests, complete=${out.complete} → ${fits ? "fits the Lambda" : "DOES NOT FIT the Lambda"}`
  );
}
