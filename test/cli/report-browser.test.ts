/**
 * The HTML seat report in a real browser: Debian's Chromium, headless, driven by playwright-core. Checks that every
 * chart drew something, that the page logged no error and fetched nothing, and keeps a screenshot in
 * test-artifacts/. Chromium comes from `npm run test:setup` (scripts/ensure-chromium.sh); without it this test
 * fails — it never skips.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser } from "playwright-core";
import { collectConnector, type CollectorSettings } from "../../collector/collect";
import { LocalDirectorySink } from "../../collector/snapshot";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { runInProcess } from "./helpers";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts");

let emu: AtlassianEmulator;
let tmp: string;
let browser: Browser;
beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm run test:setup\` (scripts/ensure-chromium.sh installs Debian's chromium package)`);
  }
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 60, issues: 80, auditRecords: 150 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-browser-"));
  // playwright-core starts Chromium headless with a fresh temporary profile (its own --user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
afterAll(async () => {
  await browser?.close();
  await emu?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("the report renders in Chromium: four charts, the partial banner, cost tiles and working table controls; no console error, no network", async () => {
  // Collected through the collector with an org key (the CLI has no org flags yet), so people are both inactive
  // (the org directory shows no page view) and unknown; on the emulator's clock, a day apart.
  const out = path.join(tmp, "out");
  const site = emu.site("acme");
  const tokenStore = createFileStore({ path: path.join(tmp, "token.json") });
  const at = new Date(emu.clock.now()).toISOString();
  await tokenStore.compareAndSwap(undefined, { refreshToken: emu.grant().refreshToken, rotatedAt: at, familyStartedAt: at });
  const settings: CollectorSettings = {
    connectorName: "acme",
    site: "acme",
    cloudId: site.cloudId,
    oauth: { clientId: emu.app().clientId, clientSecret: emu.app().clientSecret },
    license: { email: site.admin.email, apiToken: site.admin.apiToken },
    org: { orgId: site.orgId, apiKey: site.orgApiKey },
  };
  const collect = (runId: string) =>
    collectConnector(settings, { tokenStore, sink: new LocalDirectorySink(out), runId, now: () => new Date(emu.clock.now()), atlassian: { env: emu.env, retry: { baseDelayMs: 1, maxDelayMs: 5 } } });
  expect((await collect("first")).complete).toBe(true);
  emu.clock.advance(24 * 3600 * 1000);
  const second = await collect("second");
  expect(second.complete).toBe(true);
  const inactiveBefore = second.report.people.filter((p) => p.evidence === "inactive").map((p) => p.accountId);
  expect(inactiveBefore.length).toBeGreaterThan(2);
  emu.clock.advance(24 * 3600 * 1000);
  // The third run's group-member reads fail mid-way (503 until retries run out; a rate limit would stop every
  // read, the org's too, and leave nobody provably inactive): a partial snapshot, and a gap in the history.
  emu.faults.add({ match: { path: "/rest/api/3/group/member" }, after: 3, times: Infinity, action: { kind: "status", status: 503 } });
  // And two of the inactive holders are now outside the org's directory (404, as for unmanaged accounts): unknown.
  const leavers = inactiveBefore.slice(0, 2).map((id) => encodeURIComponent(id).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  emu.faults.add({ match: { path: new RegExp(`/directory/users/(${leavers.join("|")})/last-active-dates$`) }, times: Infinity, action: { kind: "status", status: 404, body: JSON.stringify({ errors: [{ status: "404", code: "NOT_FOUND" }] }) } });
  const partial = await collect("third");
  emu.faults.clear();
  expect(partial.complete).toBe(false);
  const snapshotDir = path.join(out, partial.snapshotPrefix);
  const html = path.join(tmp, "report.html");
  const reported = await runInProcess(["report", snapshotDir, "--html", html, "--price", "jira-software=8.60", "--price", "jira-servicedesk=23.50", "--currency", "USD", "--json"], {});
  expect(reported.code).toBe(0);
  const model = JSON.parse(reported.stdout).report;
  expect(model.history.points.map((p: { partial: boolean }) => p.partial)).toEqual([false, false, true]);

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

  expect(await page.evaluate("window.__reportCharts")).toBe(4);
  // Each canvas has drawn pixels: count the non-transparent ones. (A string: the test's TypeScript has no DOM types.)
  const painted = (await page.evaluate(`[...document.querySelectorAll("canvas")].map((canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
    return { id: canvas.id, width: canvas.width, height: canvas.height, painted: count };
  })`)) as { id: string; width: number; height: number; painted: number }[];
  expect(painted.map((c) => c.id)).toEqual(["chart-seats", "chart-evidence", "chart-activity", "chart-history"]);
  for (const canvas of painted) {
    expect(canvas.width).toBeGreaterThan(100);
    expect(canvas.painted).toBeGreaterThan(1000);
  }
  // Seats over time is a real time axis: its x scale is linear over epoch ms, ticks are dates, the partial point a gap.
  const axis = (await page.evaluate(`(() => {
    const chart = Chart.getChart(document.getElementById("chart-history"));
    const x = chart.scales.x;
    return { type: x.type, min: x.min, max: x.max, ticks: x.ticks.map((t) => chart.options.scales.x.ticks.callback(t.value)), last: chart.data.datasets[0].data.at(-1) };
  })()`)) as { type: string; min: number; max: number; ticks: string[]; last: { x: number; y: number | null } };
  expect(axis.type).toBe("linear");
  expect(axis.min).toBeGreaterThan(Date.parse("2020-01-01"));
  for (const tick of axis.ticks) expect(tick).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}( \d{2}:\d{2})?$/);
  expect(axis.last.y).toBeNull();

  // The partial banner leads, with the headline; the cost tiles are there.
  const banner = page.locator("#partial-banner");
  expect(await banner.isVisible()).toBe(true);
  expect(await banner.textContent()).toContain(model.headline);
  expect(model.headline).toMatch(/^incomplete:/);
  expect(await page.locator("main > *").first().getAttribute("id")).toBe("partial-banner");
  expect(await page.locator("#cost-idle-monthly .value").textContent()).toBe(`USD ${model.cost.idleMonthly.toFixed(2)}`);
  expect(await page.locator("#cost-idle-yearly .value").textContent()).toBe(`USD ${model.cost.idleYearly.toFixed(2)}`);
  expect(await page.locator("#cost-unverified .value").textContent()).toBe(`USD ${model.cost.unverifiedMonthly.toFixed(2)}`);

  // The people table: one row per person of the model; search, sort and filters work.
  const rows = page.locator("#people tbody tr");
  const visible = page.locator("#people tbody tr:not([hidden])");
  const people = model.people as { displayName: string; evidence: string; seats: { productKey: string }[] }[];
  expect(people.length).toBeGreaterThan(2);
  expect(await rows.count()).toBe(people.length);
  const target = people[people.length - 1]!.displayName;
  await page.fill("#people-search", target.toLowerCase());
  expect(await visible.count()).toBe(people.filter((p) => p.displayName.toLowerCase().includes(target.toLowerCase())).length);
  expect(await visible.first().locator("td").first().textContent()).toBe(target);
  expect(await page.locator("#people-shown").textContent()).toMatch(new RegExp(`^\\d+ of ${people.length} shown$`));
  await page.fill("#people-search", "");
  expect(await visible.count()).toBe(people.length);

  const names = async () => (await visible.locator("td:first-child").allTextContents());
  const sorted = [...people.map((p) => p.displayName)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  await page.click("#people thead th:first-child");
  expect(await names()).toEqual(sorted);
  expect(await page.locator("#people thead th:first-child").getAttribute("aria-sort")).toBe("ascending");
  await page.click("#people thead th:first-child");
  expect(await names()).toEqual([...sorted].reverse());

  expect(new Set(people.map((p) => p.evidence))).toEqual(new Set(["inactive", "unknown"]));
  for (const id of inactiveBefore.slice(0, 2)) expect((model.people as { accountId: string; evidence: string }[]).find((p) => p.accountId === id)?.evidence).toBe("unknown");
  for (const evidence of ["inactive", "unknown"]) {
    await page.selectOption("#filter-evidence", evidence);
    expect(await visible.count()).toBe(people.filter((p) => p.evidence === evidence).length);
    for (const value of await visible.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-evidence")))) expect(value).toBe(evidence);
  }
  await page.selectOption("#filter-evidence", "");
  await page.selectOption("#filter-product", "jira-servicedesk");
  expect(await visible.count()).toBe(people.filter((p) => p.seats.some((s) => s.productKey === "jira-servicedesk")).length);
  await page.selectOption("#filter-product", "");
  expect(await visible.count()).toBe(people.length);

  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(html).href]);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, "seat-report.png"), fullPage: true });
  await context.close();
}, 60_000);
