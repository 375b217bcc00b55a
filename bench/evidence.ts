/**
 * `npm run bench:evidence` — what each credential combination can say about a 10k-user site's seat holders, and
 * what the activity reads cost. One emulated site (the seeded behaviour: most people edit, transition or comment,
 * some only read, a few are idle), collected three times: OAuth only; OAuth + the license API token; + the org key.
 * Prints the share of holders classified active / inactive / unknown, the requests each activity source added and
 * the OAuth points spent. Prints figures; asserts nothing (the ground-truth test checks the classification).
 */
import * as fs from "fs";
import * as path from "path";
import { COMBINATIONS, collectWith, shares, startEvidenceSite } from "../test/support/evidence-combinations";

const USERS = process.argv.includes("--users") ? Number(process.argv[process.argv.indexOf("--users") + 1]) : 10_000;
const ACTIVITY_ENDPOINTS = [
  ["changelog", "POST /rest/api/3/changelog/bulkfetch"],
  ["comments", "GET /rest/api/3/issue/"],
  ["worklog ids", "GET /rest/api/3/worklog/updated"],
  ["worklogs", "POST /rest/api/3/worklog/list"],
  ["org dates", "GET /admin/v1/orgs/"],
] as const;

async function main(): Promise<void> {
  const { emulator, dir, close } = await startEvidenceSite(USERS);
  try {
    const site = emulator.site("big");
    const a = site.activity;
    console.log(`${USERS.toLocaleString("en")} users, ${site.issues.length} issues; seeded: ${a.histories.length} changelog histories, ${a.comments.length} comments, ${a.worklogs.length} worklogs`);
    console.log("\ncombination        active   inactive  unknown   requests  activity requests (by source)                       OAuth points  wall");
    for (const combination of COMBINATIONS) {
      emulator.clearRequests();
      const started = performance.now();
      const result = await collectWith(emulator, "big", combination, dir);
      const wall = (performance.now() - started) / 1000;
      const s = shares(result);
      const total = s.active + s.inactive + s.unknown;
      const pct = (n: number) => `${n} (${((100 * n) / total).toFixed(1)} %)`.padEnd(10);
      const requests = emulator.requests.filter((r) => r.host !== "auth");
      const bySource = ACTIVITY_ENDPOINTS.map(([label, prefix]) => [label, requests.filter((r) => `${r.method} ${r.path}`.startsWith(prefix) && (label !== "comments" || r.path.endsWith("/comment"))).length] as const);
      const added = bySource.reduce((n, [, c]) => n + c, 0);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, result.snapshotPrefix, "manifest.json"), "utf8")) as { points: { spent: number } };
      console.log(
        `${combination.padEnd(18)} ${pct(s.active)} ${pct(s.inactive)} ${pct(s.unknown)} ${String(requests.length).padStart(8)}  ` +
          `${`+${added}: ${bySource.map(([l, c]) => `${l} ${c}`).join(", ")}`.padEnd(52)} ${String(manifest.points.spent).padStart(12)}  ${wall.toFixed(1)} s` +
          (result.complete ? "" : `  PARTIAL: ${result.reasons.join("; ")}`),
      );
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
