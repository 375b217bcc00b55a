/**
 * `npm run bench:fleet` — how the fleet views scale: 50 connectors × 10k users × 12 weekly snapshots (600 snapshot
 * folders, written by bench/fleet-generate.ts with the collector's own writer), then `fleet-report` and four
 * typical `query` statements, each run by the built CLI (`bin/cli/main.js`) in its own child process, as an admin
 * runs it. Prints figures; asserts nothing.
 *
 * Peak RSS is the child's own `process.resourceUsage().maxRSS`, read at its exit by a `--require` hook (so it is
 * the CLI's memory, DuckDB's included, not this process's); wall time is measured here, Node start-up included.
 * The generated folder is cached under ~/.cache/jira-connectors/bench-fleet/<shape> (it takes minutes to write
 * and is deterministic); `--fresh` regenerates it. `--connectors N --users N --snapshots N` change the shape.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateFleet, shapeKey, type FleetShape } from "./fleet-generate";

const arg = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const SHAPE: FleetShape = { connectors: arg("connectors", 50), users: arg("users", 10_000), snapshots: arg("snapshots", 12), seed: arg("seed", 1) };
const FRESH = process.argv.includes("--fresh");
const CLI = path.resolve(__dirname, "../bin/cli/main.js");
const TIME_LIMIT_MS = 10 * 60_000;

/** `latest`: about the latest snapshots only, so also measured with `--latest-only`. */
const QUERIES: { name: string; sql: string; latest?: boolean }[] = [
  {
    name: "people holding seats on several sites (newest snapshots)",
    latest: true,
    sql: "SELECT COUNT(*) AS people, MAX(sites) AS most_sites FROM (SELECT account_id, COUNT(DISTINCT connector) AS sites FROM seat_holders WHERE is_latest GROUP BY account_id HAVING COUNT(DISTINCT connector) > 1)",
  },
  {
    name: "seats not shown active per product across the fleet, with their priced cost",
    latest: true,
    sql: "SELECT product_key, evidence, COUNT(*) AS seats, COUNT(DISTINCT account_id) AS people, ROUND(SUM(person_monthly_cost), 2) AS cost_if_priced FROM inactive_seats WHERE is_latest GROUP BY product_key, evidence ORDER BY product_key, evidence",
  },
  {
    name: "billable seats used per snapshot date (trend)",
    sql: "SELECT CAST(CAST(collected_at AS TIMESTAMP) AS DATE) AS day, SUM(seats_used) AS seats_used, SUM(seats_purchased) AS seats_purchased FROM products WHERE billable GROUP BY day ORDER BY day",
  },
  {
    name: "distinct seat holders per snapshot date (every users file)",
    sql: "SELECT CAST(CAST(collected_at AS TIMESTAMP) AS DATE) AS day, COUNT(DISTINCT account_id) AS people FROM seat_holders GROUP BY day ORDER BY day",
  },
];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Written next to the cache: the child's `--require` hook, reporting its peak RSS (KiB) to a file at exit. */
function rssHook(dir: string): string {
  const file = path.join(dir, "rss-hook.js");
  fs.writeFileSync(file, `process.on("exit", () => require("fs").writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));\n`);
  return file;
}

/** Runs the CLI with `args` in a child; returns wall time, peak RSS and stdout. */
function measure(hook: string, args: string[]): Promise<{ ms: number; rssKb: number; code: number | null; stdout: string; stderr: string }> {
  const rssFile = path.join(os.tmpdir(), `bench-fleet-rss-${process.pid}-${Date.now()}.json`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["--require", hook, CLI, ...args], { env: { ...process.env, BENCH_RSS_FILE: rssFile }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIME_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKb = NaN;
      try {
        rssKb = JSON.parse(fs.readFileSync(rssFile, "utf8")).maxRssKb;
        fs.rmSync(rssFile);
      } catch {
        // The child was killed before its exit hook ran: no figure.
      }
      resolve({ ms, rssKb, code, stdout, stderr });
    });
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench:fleet does)`);
  const cacheRoot = path.join(os.homedir(), ".cache", "jira-connectors", "bench-fleet");
  const dir = path.join(cacheRoot, shapeKey(SHAPE));
  const marker = path.join(dir, ".complete.json");
  console.log(`Fleet bench: ${SHAPE.connectors} connectors × ${SHAPE.users} users × ${SHAPE.snapshots} snapshots (seed ${SHAPE.seed}), node ${process.version}, ${os.cpus().length} CPU(s)`);
  if (FRESH) fs.rmSync(dir, { recursive: true, force: true });
  let stats: { files: number; bytes: number; generationMs: number };
  if (fs.existsSync(marker)) {
    stats = JSON.parse(fs.readFileSync(marker, "utf8"));
    console.log(`Data: cached at ${dir} (generated earlier in ${(stats.generationMs / 1000).toFixed(1)} s; --fresh regenerates)`);
  } else {
    // A half-written folder from an interrupted run is not reused: start over.
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const every = Math.max(1, Math.round(SHAPE.connectors / 10));
    let done = 0;
    const counted = await generateFleet(dir, SHAPE, (line) => void (++done % every === 0 && console.log(`${line} (${done}/${SHAPE.connectors}, ${((Date.now() - started) / 1000).toFixed(0)} s)`)));
    stats = { ...counted, generationMs: Date.now() - started };
    fs.writeFileSync(marker, JSON.stringify(stats));
    console.log(`Data: generated at ${dir} in ${(stats.generationMs / 1000).toFixed(1)} s`);
  }
  console.log(`Files: ${stats.files} (${SHAPE.connectors * SHAPE.snapshots} snapshot folders), ${mb(stats.bytes)} on disk`);
  const hook = rssHook(cacheRoot);

  const rows: string[][] = [];
  const report = await measure(hook, ["fleet-report", dir, "--json"]);
  if (report.code !== 0) throw new Error(`fleet-report failed (${report.code}): ${report.stdout.slice(0, 500)} ${report.stderr.slice(0, 500)}`);
  const model = JSON.parse(report.stdout).report;
  rows.push(["fleet-report --json", `${(report.ms / 1000).toFixed(2)} s`, mb(report.rssKb * 1024), `${model.products.length} product rows, ${model.multiSite.length} on several sites, ${model.idleEverywhere.length} idle everywhere, ${model.trend.length} trend points`]);
  for (const q of QUERIES) {
    const run = await measure(hook, ["query", q.sql, "--snapshots", dir, "--json"]);
    if (run.code !== 0) throw new Error(`query "${q.name}" failed (${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`);
    const doc = JSON.parse(run.stdout);
    rows.push([`query: ${q.name}`, `${(run.ms / 1000).toFixed(2)} s`, mb(run.rssKb * 1024), `${doc.rowCount} row(s); first: ${JSON.stringify(doc.rows[0])}`]);
    if (!q.latest) continue;
    const narrow = await measure(hook, ["query", q.sql, "--snapshots", dir, "--json", "--latest-only"]);
    if (narrow.code !== 0) throw new Error(`query "${q.name}" --latest-only failed (${narrow.code}): ${narrow.stdout.slice(0, 500)} ${narrow.stderr.slice(0, 500)}`);
    const same = JSON.stringify(JSON.parse(narrow.stdout).rows) === JSON.stringify(doc.rows);
    rows.push([`  the same, --latest-only`, `${(narrow.ms / 1000).toFixed(2)} s`, mb(narrow.rssKb * 1024), same ? "same rows" : "ROWS DIFFER"]);
    if (!same) process.exitCode = 1;
  }
  const idle = await measure(hook, ["query", "SELECT 1 AS one", "--snapshots", dir, "--json"]);
  rows.push(["query: SELECT 1 (open + views only)", `${(idle.ms / 1000).toFixed(2)} s`, mb(idle.rssKb * 1024), "baseline: Node start-up, folder scan, DuckDB"]);
  console.log("");
  console.log(["measurement", "wall", "peak RSS", "result"].join(" | "));
  for (const row of rows) console.log(row.join(" | "));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
