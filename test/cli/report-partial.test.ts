/**
 * End to end: `collect` against the emulator with the group-member reads rate-limited mid-way (the hourly quota
 * runs out after three pages), then `report` in every format. Each must say incomplete/partial and none may read
 * as an all-clear. Also: the output flags' errors (a missing directory names the path) and prices given to report.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { runInProcess } from "./helpers";

const ALL_CLEAR = /every (identified )?seat holder was active|No seat holder has been inactive|all clear/i;

let emu: AtlassianEmulator;
let tmp: string;
let snapshotDir: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 400, issues: 60, auditRecords: 100 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-partial-"));
  const site = emu.site("acme");
  emu.faults.add({ match: { path: "/rest/api/3/group/member" }, after: 3, times: Infinity, action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" } });
  const collected = await runInProcess(
    ["collect", "--out", path.join(tmp, "out"), "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--refresh-token", emu.grant().refreshToken, "--license-email", site.admin.email, "--api-token", site.admin.apiToken, "--json"],
    emu.env,
  );
  emu.faults.clear();
  const summary = JSON.parse(collected.stdout);
  expect(collected.code).toBe(1);
  expect(summary).toMatchObject({ ok: true, complete: false });
  expect(summary.reasons.join(" ")).toMatch(/group membership: .*rate-limited/);
  snapshotDir = summary.snapshotDir;
}, 60_000);
afterAll(async () => {
  await emu?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("seat-report.json, the terminal, --json, the HTML, the CSV and the plan all say incomplete; none says all clear", async () => {
  const seatReport = JSON.parse(fs.readFileSync(path.join(snapshotDir, "seat-report.json"), "utf8"));
  expect(seatReport.partial).toBe(true);
  expect(seatReport.headline).toMatch(/^incomplete: \d+ seats used per Atlassian, \d+ holders identified/);
  expect(seatReport.products.some((p: { seatsUsedSource: string }) => p.seatsUsedSource === "atlassian-count")).toBe(true);

  const text = await runInProcess(["report", snapshotDir], {});
  expect(text.code).toBe(0);
  const lines = text.stdout.split("\n");
  expect(lines[1]).toBe(seatReport.headline);
  expect(text.stdout).toMatch(/\nPARTIAL: .*group membership/);
  expect(text.stdout).toMatch(/\d+\*/); // Atlassian's count is marked
  // A stopped gate now refuses every call, the user listing included, unless it was read ahead already: with
  // people identified their section says so, without any the summary says this is not an all-clear.
  expect(text.stdout).toMatch(/may be incomplete \(partial snapshot\)|the figures are incomplete: this is not an all-clear/);
  expect(text.stdout).not.toMatch(ALL_CLEAR);

  const files = { html: path.join(tmp, "r.html"), csv: path.join(tmp, "r.csv"), plan: path.join(tmp, "plan.md") };
  const json = await runInProcess(["report", snapshotDir, "--json", "--html", files.html, "--csv", files.csv, "--removal-plan", files.plan], {});
  expect(json.code).toBe(0);
  const out = JSON.parse(json.stdout);
  expect(out).toMatchObject({ ok: true, html: files.html, csv: files.csv, removalPlanFile: files.plan, report: { partial: true, headline: seatReport.headline } });
  expect(out.report.products.filter((p: { usedSource: string }) => p.usedSource === "atlassian-count").map((p: { holdersComplete: boolean }) => p.holdersComplete)).not.toContain(true);
  expect(out.removalPlanText).toMatch(/may be incomplete/);
  expect(JSON.stringify(out.report)).not.toMatch(ALL_CLEAR);

  const html = fs.readFileSync(files.html, "utf8");
  expect(html).toMatch(/id="partial-banner"[^>]*><strong>Partial snapshot — the figures are incomplete and this is not an all-clear\.<\/strong> incomplete: /);
  expect(html).not.toMatch(/Every identified seat holder was active/);
  for (const file of Object.values(files)) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const csv = fs.readFileSync(files.csv, "utf8").split("\r\n");
  expect(csv[0]).toBe("person,account ID,email,product,groups,last activity,source,evidence,monthly price,currency");
  expect(csv.length - 2).toBe(out.csvRows.length);
  expect(fs.readFileSync(files.plan, "utf8")).toMatch(/^# Seat removal plan[\s\S]*This package never writes to Jira[\s\S]*Partial snapshot — this plan may be incomplete/);
  // No temporary file is left beside the outputs.
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("an output file in a missing folder: the folders are created (0700); a folder that cannot be created is named", async () => {
  for (const flag of ["--html", "--csv", "--removal-plan"]) {
    const file = path.join(tmp, `new-${flag.slice(2)}`, "nested", "x.out");
    const result = await runInProcess(["report", snapshotDir, flag, file, "--json"], {});
    expect(result.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const blocker = path.join(tmp, `file-${flag.slice(2)}`);
    fs.writeFileSync(blocker, "not a folder");
    const refused = await runInProcess(["report", snapshotDir, flag, path.join(blocker, "x.out"), "--json"], {});
    expect(refused.code).toBe(2);
    const error = JSON.parse(refused.stdout).error;
    expect(error).toMatchObject({ code: "OUTPUT_DIRECTORY_MISSING" });
    expect(error.message).toContain(`${flag} ${path.join(blocker, "x.out")}: cannot create the folder ${blocker} (a file is in the way)`);
  }
});

test("prices given to report: idle and unverified cost, per person; errors name the flag", async () => {
  const priced = JSON.parse((await runInProcess(["report", snapshotDir, "--json", "--price", "jira-software=8.60", "--price", "jira-servicedesk=20", "--currency", "USD"], {})).stdout);
  const software = priced.report.products.find((p: { key: string }) => p.key === "jira-software");
  expect(priced.report.cost).toMatchObject({ currency: "USD", unverifiedMonthly: expect.any(Number) });
  expect(software.cost).toMatchObject({ monthlyPerSeat: 8.6, unverifiedMonthly: Math.round(software.unknown * 8.6 * 100) / 100 });
  const file = path.join(tmp, "prices.json");
  fs.writeFileSync(file, JSON.stringify({ currency: "EUR", monthlyPerSeat: { "jira-software": 7 } }));
  const fromFile = await runInProcess(["report", snapshotDir, "--pricing", file], {});
  expect(fromFile.stdout).toMatch(/unverified: EUR \d+\.\d\d a month/);

  const bad = await runInProcess(["report", snapshotDir, "--price", "jira-software=cheap", "--currency", "USD", "--json"], {});
  expect(bad.code).toBe(2);
  expect(JSON.parse(bad.stdout).error.message).toMatch(/--price\.monthlyPerSeat\.jira-software/);
  const noCurrency = await runInProcess(["report", snapshotDir, "--price", "jira-software=8"], {});
  expect(noCurrency.code).toBe(2);
  expect(noCurrency.stderr).toMatch(/--price needs --currency/);
  const badFile = await runInProcess(["report", snapshotDir, "--pricing", path.join(tmp, "nope.json")], {});
  expect(badFile.stderr).toMatch(/--pricing \S*nope\.json: cannot read the file \(ENOENT\)/);
});

test("an older snapshot's seat report (before evidence strengths) beside this one: history and report still work", async () => {
  const older = path.join(path.dirname(snapshotDir), "2026-01-05T00-00-00.000Z");
  fs.mkdirSync(older);
  fs.writeFileSync(
    path.join(older, "seat-report.json"),
    JSON.stringify({
      connector: "acme",
      asOf: "2026-01-05T00:00:00.000Z",
      inactivityDays: 90,
      windowStart: "2025-10-07T00:00:00.000Z",
      products: [{ productKey: "jira-software", productName: "Jira Software", plan: "PAID", hasUnlimitedSeats: false, seatsPurchased: 40, seatsUsed: 30, atlassianUserCount: 30, userCountMismatch: false, seatsRemaining: 10, atlassianRemainingSeats: 10, inactiveHolders: [{ accountId: "x", displayName: "Old Timer", emailAddress: null, lastActivityAt: null, lastActivitySource: null, note: "", groups: ["jira-software-users"] }], excludedMembers: { inactive: 0, app: 0, customer: 0, "other-account-type": 0 } }],
      totals: { seatsPurchased: 40, unlimitedProducts: 0, seatsUsed: 30, seatsRemaining: 10, distinctHolders: 30, inactiveSeats: 1, distinctInactiveHolders: 1 },
      partial: false,
      partialReasons: [],
      caveats: [],
    }),
  );
  try {
    const result = await runInProcess(["report", snapshotDir], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2026-01-05 00:00\s+—\s+—\s+30\n/); // the old point is a real figure
    expect(result.stdout).toMatch(/\(partial\)\s+partial/); // this snapshot's is withheld
    const old = await runInProcess(["report", older, "--json"], {});
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout).report).toMatchObject({ people: [{ displayName: "Old Timer", evidence: "unknown" }], removalPlan: { entries: [] } });
  } finally {
    fs.rmSync(older, { recursive: true, force: true });
  }
});
