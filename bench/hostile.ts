/**
 * `npm run bench:hostile`: every hostile case of test/support/hostile-atlassian.ts against the collector with its
 * DEFAULT bounds (collector/limits.ts, 20 MB body cap), each in a forked child process (bundled with esbuild, run by
 * plain node), printing wall time and peak RSS per case against the 256 MB target. The emulator runs here, in the
 * parent, so the child's RSS is the collector's alone. `--cases a,b` runs a subset.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { createFileStore } from "../token-store";
import type { CollectorSettings } from "../collector/collect";
import { startAtlassianEmulator } from "../test/support/atlassian-emulator";
import { HOSTILE_CASES, hostileSetup, type HostileCase } from "../test/support/hostile-atlassian";
import type { HostileWorkerInput, HostileWorkerOutput } from "./hostile-worker";

const TARGET_BYTES = 256 * 2 ** 20;
const TIME_LIMIT_MS = 600_000;
const argValue = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];
/**
 * Extra node flags for the child, none by default: V8 then sizes its heap as it would anywhere, so the peak RSS is an
 * honest upper figure (Lambda's bootstrap caps old space from the function's memory, which only lowers it).
 * e.g. HOSTILE_NODE_FLAGS="--max-old-space-size=160" to see a case under a tighter heap.
 */
const NODE_FLAGS = (process.env.HOSTILE_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const CASES = (process.argv.includes("--cases") ? argValue("cases").split(",") : HOSTILE_CASES) as HostileCase[];

function workerBundle(): string {
  const outfile = path.join(os.tmpdir(), `jira-connectors-hostile-worker-${process.pid}.js`);
  buildSync({ entryPoints: [path.join(__dirname, "hostile-worker.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile, logLevel: "error" });
  process.once("exit", () => fs.rmSync(outfile, { force: true }));
  return outfile;
}

function runWorker(bundle: string, input: HostileWorkerInput): Promise<HostileWorkerOutput> {
  return new Promise((resolve) => {
    let lastPeak = 0;
    const started = Date.now();
    const child = fork(bundle, [], { execArgv: NODE_FLAGS, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ wallMs: Date.now() - started, peakRss: lastPeak, error: `killed at the ${TIME_LIMIT_MS / 1000} s limit` });
    }, TIME_LIMIT_MS);
    child.on("message", (message) => {
      if ((message as { progress?: boolean }).progress) return void (lastPeak = (message as { peakRss: number }).peakRss);
      clearTimeout(timer);
      resolve(message as HostileWorkerOutput);
      child.disconnect();
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      // Out of memory or a crash: reported as such, with the last memory seen.
      resolve({ wallMs: Date.now() - started, peakRss: lastPeak, error: `worker exited (${signal ?? code})` });
    });
    child.send(input);
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hostile-"));
  const emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users: 500, issues: 300, auditRecords: 500 }] });
  const bundle = workerBundle();
  console.log(`hostile cases, default bounds, child node flags: ${NODE_FLAGS.join(" ") || "(none)"}; target peak RSS < 256 MB`);
  const rows: { name: string; wallMs: number; peakRss: number; ok: boolean; outcome: string }[] = [];
  try {
    const site = emulator.site("acme");
    for (const name of CASES) {
      emulator.faults.clear();
      const setup = hostileSetup(name);
      for (const rule of setup.rules) emulator.faults.add(rule);
      const tokenPath = path.join(dir, `${name}.token.json`);
      const at = new Date(emulator.clock.now()).toISOString();
      await createFileStore({ path: tokenPath }).compareAndSwap(undefined, { refreshToken: emulator.grant().refreshToken, rotatedAt: at, familyStartedAt: at });
      const settings: CollectorSettings = {
        connectorName: name,
        site: "acme",
        cloudId: site.cloudId,
        oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
        license: { email: site.admin.email, apiToken: site.admin.apiToken },
      };
      const input: HostileWorkerInput = { settings, env: emulator.env, tokenPath, sinkDir: path.join(dir, name), ...(setup.deadlineAfterMs !== undefined ? { deadlineAfterMs: setup.deadlineAfterMs } : {}) };
      const out = await runWorker(bundle, input);
      const outcome = out.error ?? `${out.complete ? "complete" : "partial"}, ${out.requests} requests: ${(out.reasons ?? [])[0]?.slice(0, 140) ?? ""}`;
      // The deadline case must be stopped by the deadline, not by a listing bound reached first.
      const stoppedByWhatItTests = setup.deadlineAfterMs === undefined || (out.reasons ?? [])[0]?.startsWith("run deadline reached") === true;
      rows.push({ name, wallMs: out.wallMs, peakRss: out.peakRss, ok: out.error === undefined && out.complete === false && out.peakRss < TARGET_BYTES && stoppedByWhatItTests, outcome });
      const row = rows[rows.length - 1]!;
      const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
      const split = out.atPeak ? ` (heap ${mb(out.atPeak.heapUsed)} of ${mb(out.atPeak.heapTotal)}, external ${mb(out.atPeak.external)})` : "";
      console.log(`${name.padEnd(26)} ${(row.wallMs / 1000).toFixed(1).padStart(7)} s  peak RSS ${(row.peakRss / 2 ** 20).toFixed(0).padStart(4)} MB${split}  ${row.peakRss < TARGET_BYTES ? "< 256 MB" : "OVER 256 MB"}  ${outcome}`);
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failed = rows.filter((r) => !r.ok);
  console.log(failed.length === 0 ? `\nall ${rows.length} hostile cases bounded (partial, peak RSS < 256 MB)` : `\n${failed.length} case(s) not bounded: ${failed.map((r) => r.name).join(", ")}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

void main();
