/**
 * `fleet-report --html` in a real browser (Debian's Chromium, headless, via playwright-core, as
 * test/cli/report-browser.test.ts): the page's tables show what --json says, hostile names from Jira stay text
 * (no script runs, no element is injected, no request leaves the page), and the file is written atomically.
 * Chromium comes from `npm run test:setup` (scripts/ensure-chromium.sh); without it this test fails, never skips.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser, type Page } from "playwright-core";
import { fleetReportModel } from "../../cli/fleet-report/model";
import { fleetCellText, fleetMoney, renderFleetHtml } from "../../cli/fleet-report/html";
import { runInProcess } from "../cli/helpers";
import { FLEET_SITES, startFleet, type Fleet } from "./fixture";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts");

let browser: Browser;
let fleet: Fleet;
let tmp: string;
beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm run test:setup\` (scripts/ensure-chromium.sh)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-html-"));
  fleet = await startFleet();
  await fleet.collectAll();
  await fleet.collectAll(86_400_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await fleet?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens `file`, recording console errors, page errors and every request. */
async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems, requests, close: () => context.close() };
}

const cells = (page: Page, table: string) => page.locator(`#${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));

test("the page's tables and tiles match --json; nothing but the file itself is requested; the write leaves no temp file", async () => {
  const file = path.join(tmp, "out", "fleet.html");
  const run = await runInProcess(["fleet-report", fleet.dir, "--html", file, "--json"], {});
  expect([run.code, run.stderr]).toEqual([0, ""]);
  const { report, html } = JSON.parse(run.stdout);
  expect(html).toBe(file);
  expect(fs.readdirSync(path.dirname(file))).toEqual(["fleet.html"]);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);

  const { page, problems, requests, close } = await open(file);
  const num = (n: number | null) => (n === null ? "—" : String(n));
  expect(await cells(page, "seats")).toEqual(
    report.products.map((p: Record<string, never>) => [p.connector, fleetCellText(p.product_name ?? p.product_key), p.billable === false ? "free" : "billable", num(p.seats_purchased), num(p.seats_used), num(p.inactive_holders), num(p.unknown_holders)]),
  );
  expect(await cells(page, "idle-cost")).toEqual(report.idleCost.map((c: { connector: string; inactiveMonthly: number | null; unknownMonthly: number | null }) => [c.connector, fleetMoney(c.inactiveMonthly), fleetMoney(c.unknownMonthly)]));
  expect(await cells(page, "multi-site")).toEqual(report.multiSite.map((p: { displayName: string; accountId: string; sites: string[] }) => [p.displayName, p.accountId, String(p.sites.length), p.sites.join(", ")]));
  expect(report.multiSite.length).toBeGreaterThan(0);
  expect(await cells(page, "idle-everywhere")).toEqual(report.idleEverywhere.map((p: { displayName: string; accountId: string; evidence: string; sites: string[] }) => [p.displayName, p.accountId, p.evidence, p.sites.join(", ")]));
  expect(await cells(page, "trend")).toEqual(report.trend.map((t: Record<string, never>) => [t.connector, t.collected_at, num(t.seats_used), num(t.seats_purchased)]));
  expect(await page.locator("#tile-connectors .value").textContent()).toBe(String(FLEET_SITES.length));
  expect(await page.locator("#tile-multi-site .value").textContent()).toBe(String(report.multiSite.length));
  expect(await page.locator("#tile-idle-everywhere .value").textContent()).toBe(String(report.idleEverywhere.length));
  // One trend figure per site, each with two lines (used, purchased) over two snapshots.
  const lines = await page.locator("#trend-sites svg polyline").evaluateAll((ps) => ps.map((p) => p.getAttribute("points")!.split(" ").length));
  expect(lines).toEqual(FLEET_SITES.flatMap(() => [2, 2]));
  expect(await page.locator("#seats").isVisible()).toBe(true);
  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(file).href]);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, "fleet-report.png"), fullPage: true });
  await close();
}, 60_000);

test("hostile names stay text: no script runs, no element is injected, no request is made; bidi and control characters are gone", async () => {
  const evil = {
    script: "<script>window.__pwned = 1</script>",
    img: '"><img src=x onerror="window.__pwned = 2">',
    link: "<a href='https://attacker.example/'>x</a><link rel=stylesheet href=https://attacker.example/s.css>",
    bidi: "Eve\u202egnp.exe\u2066\u0007\u001b[31m\u009b",
  };
  const holders = ["a", "b"].flatMap((connector) => [
    { connector, account_id: "<b>id-script</b>", display_name: evil.script },
    { connector, account_id: "id-img", display_name: evil.img },
    { connector, account_id: "id-bidi", display_name: evil.bidi },
  ]);
  const model = fleetReportModel({
    products: [{ connector: "a", product_key: "x", product_name: evil.link, billable: true, seats_purchased: 3, seats_used: 3, inactive_holders: 1, unknown_holders: 0 }, { connector: "b", product_key: evil.img, product_name: null, billable: true, seats_purchased: 3, seats_used: 3, inactive_holders: 0, unknown_holders: 0 }],
    holders,
    inactive: ["a", "b"].map((connector) => ({ connector, account_id: "id-img", evidence: "inactive", person_monthly_cost: 1 })),
    trend: [{ connector: "a", collected_at: evil.script, seats_used: 3, seats_purchased: 3 }],
  });
  const html = renderFleetHtml(model, "2026-12-01T00:00:00.000Z");
  // The attribute text stays (escaped, inert); no tag opens.
  expect(html).not.toMatch(/<script|<img|<link|<a |<\/bdi>[^<]*<\/script|[\u202e\u2066\u0007\u001b\u009b]/i);
  const file = path.join(tmp, "hostile.html");
  fs.writeFileSync(file, html);

  const { page, problems, requests, close } = await open(file);
  expect(await page.evaluate("window.__pwned")).toBeUndefined();
  expect(await page.locator("img, script, link, a, b, iframe, object").count()).toBe(0);
  const names = await page.locator("#multi-site tbody td:first-child").allTextContents();
  // Escape sequences and bidi controls are dropped, the bell becomes a space (as on the terminal).
  expect(fleetCellText(evil.bidi)).toBe("Evegnp.exe ");
  expect(names.sort()).toEqual([evil.img, evil.script, evil.bidi].map(fleetCellText).sort());
  expect(names.join("")).not.toMatch(/[\u202e\u2066\u0007\u001b\u009b]/);
  expect(await page.locator("#seats tbody tr:first-child td:nth-child(2)").textContent()).toBe(evil.link);
  expect(await page.locator("#idle-everywhere tbody td:first-child").textContent()).toBe(evil.img);
  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(file).href]);
  await close();
}, 60_000);

test("--html to a folder that cannot be created is a named error before the scan", async () => {
  const blocker = path.join(tmp, "blocker");
  fs.writeFileSync(blocker, "");
  const run = await runInProcess(["fleet-report", fleet.dir, "--html", path.join(blocker, "x.html"), "--json"], {});
  expect(run.code).toBe(2);
  expect(JSON.parse(run.stdout).error.code).toBe("OUTPUT_DIRECTORY_MISSING");
});

describe("hostile names collected from a site, end to end (emulator → collect → DuckDB → page)", () => {
  const HOSTILE = `<script>window.__pwned = 3</script>"><img src=x onerror="window.__pwned = 4">\u202e\u001b[2J`;
  let hostile: Fleet;
  beforeAll(async () => {
    hostile = await startFleet();
    // Every person and product on every site, as a user (or a site admin, for products) could name them.
    for (const site of FLEET_SITES) {
      const data = hostile.emu.site(site);
      data.users.forEach((user, i) => (user.displayName = `${HOSTILE} Person ${i}`));
      for (const role of data.applicationRoles) role.name = `${HOSTILE} ${role.name}`;
    }
    await hostile.collectAll();
  }, 120_000);
  afterAll(async () => hostile?.close());

  test("the page shows the names as text, runs nothing and requests nothing", async () => {
    const file = path.join(tmp, "hostile-e2e.html");
    const run = await runInProcess(["fleet-report", hostile.dir, "--html", file, "--json"], {});
    expect(run.code).toBe(0);
    const { report } = JSON.parse(run.stdout);
    expect(report.multiSite[0].displayName).toContain("<script>");
    const { page, problems, requests, close } = await open(file);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(await page.locator("img, script, link, iframe, object").count()).toBe(0);
    expect(await page.locator("#multi-site tbody td:first-child").allTextContents()).toEqual(report.multiSite.map((p: { displayName: string }) => fleetCellText(p.displayName)));
    expect(await page.locator("#seats tbody td:nth-child(2)").allTextContents()).toEqual(report.products.map((p: { product_name: string }) => fleetCellText(p.product_name)));
    expect((await page.locator("main").textContent())!).not.toMatch(/[\u202e\u001b]/);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await close();
  }, 60_000);
});
