/**
 * `npm run bench:collect -- --users 20000 --modes quota`: a site collected through OAuth only (no license) under the
 * emulator's default 65,000-point hourly quota. A run the quota stops checkpoints; the emulator clock then moves to
 * the next hour and the next run resumes, until a snapshot is complete. Then the same site with a scoped API token
 * (exempt from points). Runs in this process (memory is not the question here). Prints figures; asserts nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { createFileStore } from "../token-store";
import { collectConnector, type CollectionResult, type CollectorIo, type CollectorSettings } from "../collector/collect";
import { LocalDirectorySink } from "../collector/snapshot";
import { DEFAULT_SCOPES, startAtlassianEmulator, type AtlassianEmulator } from "../test/support/atlassian-emulator";

const HOUR = 3_600_000;
const MAX_RUNS = 12;

interface RunFigures {
  complete: boolean;
  points: number;
  usersOffset: number | null;
  wallMs: number;
}

async function runUntilComplete(emulator: AtlassianEmulator, settings: CollectorSettings, io: CollectorIo, root: string): Promise<RunFigures[]> {
  const runs: RunFigures[] = [];
  for (let i = 0; i < MAX_RUNS; i++) {
    const start = performance.now();
    const result: CollectionResult = await collectConnector(settings, io);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, result.snapshotPrefix, "manifest.json"), "utf8"));
    runs.push({ complete: result.complete, points: manifest.points?.spent ?? 0, usersOffset: manifest.checkpoint?.users?.offset ?? null, wallMs: performance.now() - start });
    if (result.complete) break;
    if (!result.checkpointed) console.log(`   run ${i + 1} partial without a checkpoint: ${result.reasons.join("; ")}`);
    // The quota resets at the top of the UTC hour; a scheduled run an hour later would start just after it.
    emulator.clock.set(Math.floor(emulator.clock.now() / HOUR) * HOUR + HOUR + 60_000);
  }
  return runs;
}

function print(label: string, runs: RunFigures[]): void {
  const total = runs.reduce((n, r) => n + r.points, 0);
  const complete = runs[runs.length - 1]?.complete === true;
  console.log(`-- ${label}: ${complete ? "complete" : `NOT complete after ${MAX_RUNS} runs`} after ${runs.length} run(s), ${total.toLocaleString("en")} points in total`);
  for (const [i, r] of runs.entries()) {
    const offset = r.usersOffset === null ? "" : `, checkpoint at users offset ${r.usersOffset}`;
    console.log(`   run ${i + 1}: ${r.complete ? "complete" : "stopped by the quota"}, ${r.points.toLocaleString("en")} points, ${(r.wallMs / 1000).toFixed(1)} s${offset}`);
  }
}

export async function quotaScenario(users: number, dir: string): Promise<void> {
  const emulator = await startAtlassianEmulator({ sites: [{ name: "acme", users }] });
  try {
    const site = emulator.site("acme");
    console.log(`\n== quota: ${users.toLocaleString("en")} users, OAuth only, ${65_000 .toLocaleString("en")} points/hour (emulator default)`);
    const oauthRoot = path.join(dir, `quota-${users}-oauth`);
    const tokenStore = createFileStore({ path: path.join(dir, `quota-${users}.token.json`) });
    const grant = emulator.grant();
    const at = new Date(emulator.clock.now()).toISOString();
    await tokenStore.compareAndSwap(undefined, { refreshToken: grant.refreshToken, rotatedAt: at, familyStartedAt: at });
    const now = () => new Date(emulator.clock.now());
    const oauth: CollectorSettings = {
      connectorName: "acme",
      site: "acme",
      cloudId: site.cloudId,
      oauth: { clientId: emulator.app().clientId, clientSecret: emulator.app().clientSecret },
    };
    print("OAuth only", await runUntilComplete(emulator, oauth, { tokenStore, sink: new LocalDirectorySink(oauthRoot), runId: "bench-quota", now, atlassian: { env: emulator.env } }, oauthRoot));

    const scopedRoot = path.join(dir, `quota-${users}-scoped`);
    const scoped: CollectorSettings = {
      connectorName: "acme",
      site: "acme",
      cloudId: site.cloudId,
      scopedApiToken: { email: site.admin.email, apiToken: emulator.createApiToken("acme", { scopes: DEFAULT_SCOPES }) },
    };
    print("scoped API token", await runUntilComplete(emulator, scoped, { sink: new LocalDirectorySink(scopedRoot), runId: "bench-scoped", now, atlassian: { env: emulator.env } }, scopedRoot));
  } finally {
    await emulator.close();
  }
}
