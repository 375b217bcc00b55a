/**
 * `npm run bench:collect` — how close one collection run gets to the limits Atlassian imposes.
 *
 * The emulator adds 30 ms to every response and allows 100 requests/s per (site × endpoint × method) bucket. A site
 * with 10k users (then 100k), 20k audit records and ~5k recently updated issues is collected once with
 * `collectConnector` (local sink, file token store seeded with `emulator.grant()`, license credentials so bulk reads
 * use the API token), then fetched again by a naive one-request-at-a-time loop for comparison.
 *
 * The emulator runs in this process; every collection runs in a forked child process, so the child's peak RSS is
 * the collector's own memory (not the emulator's 100k seeded users) and the 10k run does not inflate the 100k one.
 * Each collection also prints how many requests were sent while a 429 was in force (the emulator's limit ledger and
 * the collector's own count; must be 0) and how many were already in flight when one arrived (allowed).
 * `--scenario largest` runs only the largest-real-site profile (bench/collect-largest.ts: 150k users, 200 ms, Atlassian's
 * per-endpoint buckets); `--scenario all` runs the default runs and then it. `--rate-limit-every N` makes the emulator
 * answer every Nth Jira request with a 429 (and hide its buckets' headers). Prints figures; asserts nothing.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { AtlassianClient } from "../atlassian";
import { createFileStore } from "../token-store";
import type { CollectorSettings } from "../collector/collect";
import { requestPlan } from "../atlassian/quota/request-plan";
import { lowerBound, PER_SECOND, planSummary } from "./collect-bound";
import { LARGEST, largestVerdict, type Profile, STANDARD } from "./collect-largest";
import { LocalDirectorySink } from "../collector/snapshot";
import { startAtlassianEmulator, type AtlassianEmulator } from "../test/support/atlassian-emulator";
import type { WorkerInput, WorkerOutput } from "./collect-worker";
import { quotaScenario } from "./collect-quota";

const AUDIT_RECORDS = 20_000;
/** The emulator spreads audit records over 180 days; read all of them (first run, 181-day lookback). */
const AUDIT_LOOKBACK_DAYS = 181;
/**
 * The emulator seeds issues created uniformly over 180 days, updated uniformly between creation and now, so
 * P(updated within 90 days) = 1/2 + ln(2)/2 ≈ 0.847; seed enough issues for ~5k to match `updated >= -90d`.
 */
const ISSUES_SEEDED = Math.round(5000 / (0.5 + Math.log(2) / 2));
const TIME_LIMIT_MS = process.argv.includes("--time-limit-s") ? Number(process.argv[process.argv.indexOf("--time-limit-s") + 1]) * 1000 : 3 * 60_000;
/** `--scenario largest`: only the largest-real-site run (bench/collect-largest.ts); `--scenario all`: the default runs, then it. */
const SCENARIO = process.argv.includes("--scenario") ? process.argv[process.argv.indexOf("--scenario") + 1] : "standard";
/** `--rate-limit-every N`: the emulator answers every Nth Jira request with a 429 (Retry-After 1 s) and hides its buckets. */
const RATE_LIMIT_EVERY = process.argv.includes("--rate-limit-every") ? Number(process.argv[process.argv.indexOf("--rate-limit-every") + 1]) : 0;
/** `--users 100000` / `--modes naive` run a subset (default: 10k and 100k, collect and naive). */
const argValue = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];
const USERS = process.argv.includes("--users") ? argValue("users").split(",").map(Number) : [10_000, 100_000];
/** `quota`: OAuth only under the hourly points quota, run after run until complete (bench/collect-quota.ts). */
const ALL_MODES = (process.argv.includes("--modes") ? argValue("modes").split(",") : ["collect", "naive"]) as ("collect" | "naive" | "quota")[];
const MODES = ALL_MODES.filter((m): m is "collect" | "naive" => m !== "quota");


/**
 * The worker, bundled with esbuild and run by plain `node` — as the Lambda function runs the collector — so its RSS
 * is not inflated by a TypeScript loader (tsx adds ~30 MB to a process).
 */
function workerBundle(): string {
  const outfile = path.join(os.tmpdir(), `jira-connectors-bench-worker-${process.pid}.js`);
  buildSync({ entryPoints: [path.join(__dirname, "collect-worker.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile, logLevel: "error" });
  process.once("exit", () => fs.rmSync(outfile, { force: true }));
  return outfile;
}

let lastProgress: { peakRssSampled: number; maxRss: number } | undefined;

function runWorker(input: WorkerInput, timeLimitMs = TIME_LIMIT_MS): Promise<WorkerOutput> {
  lastProgress = undefined;
  return new Promise((resolve, reject) => {
    // BENCH_NODE_FLAGS, e.g. "--max-old-space-size=160", to try heap settings.
    const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    const child = fork(workerBundle(), [], { execArgv: flags, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // not SIGTERM: tsx's signal relay in the child then took the parent down silently
      reject(new Error(`timed out after ${timeLimitMs / 1000} s`));
    }, timeLimitMs);
    child.on("message", (message) => {
      if ((message as { progress?: boolean }).progress) return void (lastProgress = message as typeof lastProgress);
      clearTimeout(timer);
      resolve(message as WorkerOutput);
      child.disconnect();
    });
    child.once("error", reject);
    child.once("exit", (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
    child.send(input);
  });
}

// ---------------------------------------------------------------- orchestrator ---------------------------------

interface Row {
  label: string;
  wallMs: number;
  boundMs: number;
  requests: number;
  planned: number;
  points: string;
  rss: number;
  note: string;
}

async function scenario(users: number, dir: string, rtt: { ms: number }, profile: Profile = STANDARD): Promise<Row[]> {
  const emulator = await startAtlassianEmulator({
    latencyMs: profile.latencyMs,
    ...(profile.fixedRate ? { burst: { perSecond: PER_SECOND } } : {}),
    sites: [{ name: "acme", users, issues: ISSUES_SEEDED, auditRecords: AUDIT_RECORDS }],
  });
  try {
    const site = emulator.site("acme");
    rtt.ms = await measureRtt(emulator);
    if (RATE_LIMIT_EVERY > 0) emulator.modes.rateLimitEveryNth = { every: RATE_LIMIT_EVERY, retryAfterSeconds: 1 };
    const now = emulator.clock.now();
    const grantingGroups = [...new Set(site.applicationRoles.flatMap((r) => r.groups))].map((name) => ({ name, members: site.groupsByName.get(name)!.members.length }));
    const matchingIssues = site.issues.filter((i) => i.updated >= now - 90 * 86_400_000).length;
    const auditInRange = site.auditRecords.filter((r) => Date.parse(r.created.replace("+0000", "Z")) >= now - AUDIT_LOOKBACK_DAYS * 86_400_000).length;
    // The activity evidence a license-token run reads (issue 11): the window's changelogs, comments the search cut
    // short (more than 20 on an issue), worklogs updated in the window.
    const windowIssues = site.issues.filter((i) => i.updated >= now - 90 * 86_400_000);
    const activity = {
      changelogIssues: windowIssues.length,
      changelogHistories: windowIssues.reduce((n, i) => n + (site.activity.byIssue.get(i.id)?.histories.length ?? 0), 0),
      truncatedCommentIssues: windowIssues.filter((i) => (site.activity.byIssue.get(i.id)?.comments.length ?? 0) > 20).length,
      worklogsUpdated: site.activity.worklogs.filter((w) => w.updated >= now - 90 * 86_400_000).length,
    };
    const plan = requestPlan({
      users: site.users.length,
      grantingGroups,
      auditRecordsSinceWatermark: auditInRange,
      matchingIssues,
      applicationRoles: site.applicationRoles.length,
      licensedApplications: site.license.applications.length,
      activity,
    });
    console.log(
      `\n== ${users.toLocaleString("en")} users: ${site.groups.length} groups seeded (${grantingGroups.length} grant products: ` +
        `${grantingGroups.map((g) => `${g.name} ${g.members}`).join(", ")}); ${auditInRange} audit records in range; ` +
        `${matchingIssues} of ${site.issues.length} issues updated in the last 90 days; RTT ${rtt.ms.toFixed(1)} ms`,
    );

    const settings: CollectorSettings = {
      connectorName: "acme",
      site: "acme",
      cloudId: site.cloudId,
      oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
      license: { email: site.admin.email, apiToken: site.admin.apiToken },
      auditLookbackDays: AUDIT_LOOKBACK_DAYS,
    };
    const rows: Row[] = [];
    for (const mode of profile.modes ?? MODES) {
      const tokenPath = path.join(dir, `${users}-${mode}.token.json`);
      const grant = emulator.grant();
      const at = new Date(emulator.clock.now()).toISOString();
      await createFileStore({ path: tokenPath }).compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
      emulator.clearRequests();
      emulator.limitLedger.reset();
      let out: WorkerOutput;
      try {
        out = await runWorker({ mode, settings, env: emulator.env, tokenPath, sinkDir: path.join(dir, `${users}-${mode}`) }, profile.timeLimitMs);
      } catch (error) {
        const byEndpoint = new Map<string, number>();
        for (const r of emulator.requests) byEndpoint.set(`${r.method} ${r.path}`, (byEndpoint.get(`${r.method} ${r.path}`) ?? 0) + 1);
        const bound = lowerBound(plan, rtt.ms);
        console.log(`-- ${mode === "collect" ? "collectConnector" : "naive sequential"}: ${(error as Error).message}, killed — what was measured until then:`);
        console.log(`   requests by endpoint: ${[...byEndpoint].map(([k, n]) => `${k.replace("/rest/api/3", "")} ${n}`).join(", ")}`);
        if (mode === "collect") console.log(`   lower bound: ${bound.detail}`);
        if (lastProgress) console.log(`   peak RSS so far: sampled ${mb(lastProgress.peakRssSampled)}, maxRSS ${mb(lastProgress.maxRss)} [target ≤ 256 MB]`);
        rows.push({
          label: `${profile.label}${mode} ${users / 1000}k`,
          wallMs: NaN,
          boundMs: bound.ms,
          requests: emulator.requests.length,
          planned: plan.totalRequests,
          points: "n/a (killed)",
          rss: lastProgress ? Math.max(lastProgress.peakRssSampled, lastProgress.maxRss) : NaN,
          note: `> ${(profile.timeLimitMs ?? TIME_LIMIT_MS) / 1000} s, killed`,
        });
        continue;
      }
      const requests = [...emulator.requests];
      // Diagnosis: BENCH_REQUEST_LOG=file writes every request the emulator saw (time, endpoint, status) as NDJSON.
      if (process.env.BENCH_REQUEST_LOG) fs.writeFileSync(process.env.BENCH_REQUEST_LOG, requests.map((r) => JSON.stringify({ at: r.at, method: r.method, path: r.path, status: r.status })).join("\n"));
      const byEndpoint = new Map<string, number>();
      for (const r of requests) byEndpoint.set(`${r.method} ${r.path}`, (byEndpoint.get(`${r.method} ${r.path}`) ?? 0) + 1);
      const throttled = requests.filter((r) => r.status === 429).length;
      const bearer = requests.filter((r) => r.auth === "bearer").length;
      const bound = lowerBound(plan, rtt.ms);
      console.log(`-- ${mode === "collect" ? "collectConnector" : "naive sequential"}: ${(out.wallMs / 1000).toFixed(2)} s` + (out.complete === undefined ? "" : `, complete=${out.complete}${out.reasons?.length ? ` (${out.reasons.join("; ")})` : ""}`));
      console.log(`   requests by endpoint: ${[...byEndpoint].map(([k, n]) => `${k.replace("/rest/api/3", "")} ${n}`).join(", ")}; 429s ${throttled}; bearer ${bearer}`);
      if (mode === "collect") {
        console.log(`   lower bound: ${bound.detail}`);
        console.log(`   manifest entities: ${JSON.stringify(out.entities)}`);
        const activityRequests = (prefix: string) => requests.filter((r) => `${r.method} ${r.path}`.startsWith(prefix)).length;
        const added = {
          "changelog/bulkfetch": activityRequests("POST /rest/api/3/changelog/bulkfetch"),
          "issue/{id}/comment": requests.filter((r) => r.method === "GET" && /^\/rest\/api\/3\/issue\/[^/]+\/comment$/.test(r.path)).length,
          "worklog/updated": activityRequests("GET /rest/api/3/worklog/updated"),
          "worklog/list": activityRequests("POST /rest/api/3/worklog/list"),
        };
        const addedTotal = Object.values(added).reduce((a, b) => a + b, 0);
        const addedPlan = plan.bulkChangelog.requests + plan.issueComments.requests + plan.worklogsUpdated.requests + plan.worklogList.requests;
        console.log(
          `   activity evidence reads add ${addedTotal} requests (${Object.entries(added).map(([k, n]) => `${k} ${n}`).join(", ")}; plan ${addedPlan}) for ` +
            `${activity.changelogIssues} issues updated in the window, ${activity.changelogHistories} histories, ${activity.truncatedCommentIssues} issues with > 20 comments, ${activity.worklogsUpdated} worklogs`,
        );
        console.log(`   points: manifest says charged=${out.pointsCharged} spent=${out.pointsSpent}; bearer (OAuth) Jira requests seen by the emulator: ${requests.filter((r) => r.auth === "bearer" && r.host !== "auth").length}; the same reads over OAuth would cost ${plan.totalOauthPoints.toLocaleString("en")} points (requestPlan)`);
        console.log(`   peak RSS: sampled ${mb(out.peakRssSampled)}, maxRSS ${mb(out.maxRss)} [target ≤ 256 MB]`);
        // Judged by the emulator (limit-ledger.ts) and by the collector's own counters (manifest request stats).
        const ledger = emulator.limitLedger.totals;
        console.log(
          `   rate limits: sent during a known limit ${ledger.duringKnownLimit} (emulator) / ${out.requestStats?.sentDuringKnownLimit ?? "?"} (collector) [must be 0]; ` +
            `in flight when a 429 arrived ${ledger.inFlightAtLimit} (emulator, ≤ ${emulator.limitLedger.overlapMs} ms after it) / ${out.requestStats?.inFlightAtRateLimit ?? "?"} (collector); 429s with Retry-After ${ledger.announced}`,
        );
        if (profile.verdict) console.log(`   ${largestVerdict(out, requests.length)}`);
      }
      rows.push({
        label: `${profile.label}${mode === "collect" ? "collect" : "naive"} ${users / 1000}k`,
        wallMs: out.wallMs,
        boundMs: bound.ms,
        requests: requests.length,
        planned: plan.totalRequests,
        points: mode === "collect" ? String(out.pointsSpent) : "0 (api-token)",
        rss: Math.max(out.peakRssSampled, out.maxRss),
        note: "",
      });
    }
    console.log(`   minimal plan (requestPlan): ${planSummary(plan)}`);
    return rows;
  } finally {
    await emulator.close();
  }
}

async function measureRtt(emulator: AtlassianEmulator): Promise<number> {
  const atlassian = new AtlassianClient({ env: emulator.env });
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await atlassian.cloudId("acme");
    samples.push(performance.now() - start);
  }
  emulator.clearRequests();
  return samples.sort((a, b) => a - b)[3];
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-collect-"));
  const rows: Row[] = [];
  try {
    if (SCENARIO !== "largest") {
      for (const users of USERS) {
        if (MODES.length > 0) rows.push(...(await scenario(users, dir, { ms: 0 })));
        if (ALL_MODES.includes("quota")) await quotaScenario(users, dir);
      }
    }
    if (SCENARIO === "largest" || SCENARIO === "all") rows.push(...(await scenario(LARGEST.users, dir, { ms: 0 }, LARGEST)));
  } finally {
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (rows.length === 0) return;
  console.log("\nrun          wall      bound     wall/bound [≤1.2]  requests  plan   +%   [≤5%]  OAuth points   peak RSS");
  for (const r of rows) {
    const extra = ((r.requests / r.planned - 1) * 100).toFixed(1);
    console.log(
      `${r.label.padEnd(12)} ${(r.wallMs / 1000).toFixed(2).padStart(6)} s  ${(r.boundMs / 1000).toFixed(2).padStart(6)} s  ${(r.wallMs / r.boundMs).toFixed(2).padStart(8)}          ` +
        `${String(r.requests).padStart(7)}  ${String(r.planned).padStart(5)}  ${extra.padStart(5)}%       ${r.points.padEnd(13)}  ${mb(r.rss)}${r.note ? `  (${r.note}; requests = made until killed)` : ""}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
