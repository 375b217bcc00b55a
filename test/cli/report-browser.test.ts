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

test("the report's four charts render in Chromium, with no console error and no network request", async () => {
  const out = path.join(tmp, "out");
  const site = emu.site("acme");
  const collected = await runInProcess(
    ["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--refresh-token", emu.grant().refreshToken, "--license-email", site.admin.email, "--api-token", site.admin.apiToken],
    emu.env,
  );
  expect(collected.code).toBe(0);
  // A second collection, so the page has a history to chart too.
  expect((await runInProcess(["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--license-email", site.admin.email, "--api-token", site.admin.apiToken], emu.env)).code).toBe(0);
  const html = path.join(tmp, "report.html");
  expect((await runInProcess(["report", out, "--html", html], {})).code).toBe(0);

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
  expect(painted.map((c) => c.id)).toEqual(["chart-seats", "chart-inactive", "chart-activity", "chart-history"]);
  for (const canvas of painted) {
    expect(canvas.width).toBeGreaterThan(100);
    expect(canvas.painted).toBeGreaterThan(1000);
  }
  // The inactive holders' table lists the same people as the snapshot's seat report.
  const report = JSON.parse(fs.readFileSync(path.join(JSON.parse((await runInProcess(["report", out, "--json"], {})).stdout).snapshotDir, "seat-report.json"), "utf8"));
  const inactive = report.products.reduce((n: number, p: { inactiveHolders: unknown[] }) => n + p.inactiveHolders.length, 0);
  expect(await page.locator("tbody tr").count()).toBe(inactive);
  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(html).href]);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, "seat-report.png"), fullPage: true });
  await context.close();
});
