/** Prints one seed's figures. */
import type { ChaosFigures } from "./run";
import { MINUTE } from "./writer";

const list = (m: Record<string, number>) =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

export function report(f: ChaosFigures): string {
  const sum = (m: Record<string, number>) => Object.values(m).reduce((n, x) => n + x, 0);
  const margin = f.minMarginMs === undefined ? "n/a (no takeover)" : `${(f.minMarginMs / MINUTE).toFixed(2)} min`;
  const lines = [
    `seed ${f.seed}, store ${f.store} (reproduce with: npm run bench:token-chaos -- --seed ${f.seed} --runs ${f.runs} --store ${f.store})`,
    `  runs: ${f.runs} (${list(f.events)}); simulated time ${f.simulatedDays.toFixed(1)} days; Lambda retries ${f.lambdaRetries}, admin re-runs ${f.reruns}`,
    `  faults on /oauth/token (runs): ${list(f.faults)} (total ${sum(f.faults)})`,
    `  crashes: ${list(f.crashes)}`,
    `  store outages: ${f.outages.count} (longest ${f.outages.maxMin.toFixed(1)} min); writers skewed > 60 s: ${f.skewedWriters}`,
    `  recoveries (takeovers that stored a successor): ${f.recoveries}; smallest margin before a deadline: ${margin}`,
    `  outcomes: ${list(f.outcomes)}`,
    `  final rotation: ${f.finalRotation}`,
    `  unrecoverable by design: ${f.unrecoverable.length}`,
    ...f.unrecoverable.slice(0, process.env.TOKEN_CHAOS_ALL ? Infinity : 5).map((u) => `    - ${u}`),
    `  protocol violations: ${f.violations.length}`,
    ...f.violations.slice(0, process.env.TOKEN_CHAOS_ALL ? Infinity : 5).map((v) => `    - ${v}`),
    ...(f.violations.length > 5 ? [`    - … ${f.violations.length - 5} more`] : []),
    `  wall time ${(f.wallMs / 1000).toFixed(1)} s`,
  ];
  return lines.join("\n");
}
