/** `jira-connector collect` then `report`, through the built binary, against the emulator's seeded site. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { childEnv, expectNoSecrets, runCli, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 60, issues: 80, auditRecords: 150 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-collect-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("collect writes a complete snapshot with plain progress lines; a second run does not re-present the seed; report reads it", async () => {
  const out = path.join(tmp, "out");
  const site = emu.site("acme");
  const grant = emu.grant({ sites: ["acme"] });
  const config = path.join(tmp, "config-home");
  const env = childEnv({
    ...emu.env,
    XDG_CONFIG_HOME: config,
    JIRA_CONNECTOR_CLIENT_ID: emu.app().clientId,
    JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret,
    JIRA_CONNECTOR_REFRESH_TOKEN: grant.refreshToken,
    JIRA_CONNECTOR_LICENSE_EMAIL: site.admin.email,
    JIRA_CONNECTOR_API_TOKEN: site.admin.apiToken,
  });
  const first = await runCli(["collect", "--out", out, "--site", "acme"], env);
  expect(first.code).toBe(0);
  // Not a terminal: one plain line per phase and per file, no carriage returns.
  expect(first.stderr).not.toMatch(/\r/);
  for (const line of ["token…", "subscriptions…", "users…", "wrote users.ndjson.gz", "wrote seat-report.json", "wrote latest.json"]) expect(first.stderr.split("\n")).toContain(line);
  expect(first.stdout).toMatch(/Seat report — connector acme/);
  expect(first.stdout).toMatch(/Complete snapshot in .*connectors\/acme\/snapshots\//);

  // The live token is kept per user, outside the snapshot folder people share.
  const store = createFileStore({ path: path.join(config, "jira-connector", "tokens", "acme.json") });
  expect((await store.read())?.refreshToken).toBe(emu.family(grant.familyId)?.currentRefreshToken);
  expect(fs.existsSync(path.join(out, ".tokens"))).toBe(false);
  expect(first.stderr).toMatch(/Warning: the refresh token is presented now and its rotated successor is saved only in .*config-home\/jira-connector\/tokens\/acme\.json/);

  // Past the 10-minute leeway: presenting the seed token again would revoke the whole grant.
  emu.clock.advance(11 * 60 * 1000);
  const second = await runCli(["collect", "--out", out, "--site", "acme", "--json"], env);
  expect(second.code).toBe(0);
  const summary = JSON.parse(second.stdout);
  expect(summary).toMatchObject({ ok: true, complete: true, latestUpdated: true, tokenStoreSeeded: "store" });
  expect(emu.family(grant.familyId)).toMatchObject({ revoked: false, rotations: 2 });

  const html = path.join(tmp, "report.html");
  const report = await runCli(["report", out, "--html", html], childEnv({}));
  expect(report.code).toBe(0);
  const seatReport = JSON.parse(fs.readFileSync(path.join(summary.snapshotDir, "seat-report.json"), "utf8"));
  // collect --json carries the same headline and totals as the snapshot.
  expect(summary).toMatchObject({ headline: seatReport.headline, warnings: seatReport.warnings, totals: seatReport.totals, cost: null });
  for (const product of seatReport.products) expect(report.stdout).toContain(product.productName);
  expect(report.stdout).toMatch(/Last activity of the \d+ seat holders, by week:/);
  expect(report.stdout).toMatch(/Seats used over the last 2 of 2 snapshots \(/);
  // The headline leads, as the collector wrote it; a complete run does not say incomplete or partial.
  expect(report.stdout.split("\n")[1]).toBe(seatReport.headline);
  expect(seatReport.headline).not.toMatch(/^incomplete:/);
  expect(report.stdout).not.toMatch(/PARTIAL|may be incomplete/);
  expect(report.stdout).toContain(`HTML report: ${html}`);
  expect(fs.statSync(html).mode & 0o777).toBe(0o600);
  const page = fs.readFileSync(html, "utf8");
  expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i); // self-contained

  // --json: the model, consistent with the snapshot's own seat report.
  const json = JSON.parse((await runCli(["report", summary.snapshotDir, "--json"], childEnv({}))).stdout);
  expect(json.report.totals).toEqual(seatReport.totals);
  expect(json.report.products.map((p: { used: number }) => p.used)).toEqual(seatReport.products.map((p: { seatsUsed: number }) => p.seatsUsed));
  expect(json.report.headline).toBe(seatReport.headline);
  expect(json.report.people.map((p: { accountId: string }) => p.accountId)).toEqual(seatReport.people.map((p: { accountId: string }) => p.accountId));
  expect(json.csvRows).toHaveLength(seatReport.people.reduce((n: number, p: { seats: unknown[] }) => n + p.seats.length, 0));

  const snapshotText = fs.readdirSync(summary.snapshotDir).map((f) => {
    const raw = fs.readFileSync(path.join(summary.snapshotDir, f));
    return f.endsWith(".gz") ? gunzipSync(raw).toString() : raw.toString();
  });
  const secrets = [grant.refreshToken, (await store.read())!.refreshToken, emu.app().clientSecret, site.admin.apiToken];
  expectNoSecrets([first.stdout, first.stderr, second.stdout, second.stderr, report.stdout, report.stderr, page, ...snapshotText].join("\n"), secrets);
});

test("collect without a seeded store or a token says how to seed it; report refuses what is not a snapshot", async () => {
  const out = path.join(tmp, "empty");
  const result = await runInProcess(["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret], { ...emu.env, XDG_CONFIG_HOME: path.join(tmp, "empty-config") });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/holds no refresh token yet: pass --refresh-token \(or JIRA_CONNECTOR_REFRESH_TOKEN\)/);

  const badCloudId = await runInProcess(["collect", "--out", out, "--site", "acme", "--client-id", "x", "--client-secret", "y", "--cloud-id", "../../etc"], emu.env);
  expect(badCloudId.code).toBe(2);
  expect(badCloudId.stderr).toMatch(/--cloud-id must be the site's cloud ID/);

  const notSnapshot = await runInProcess(["report", tmp], {});
  expect(notSnapshot.code).toBe(2);
  expect(notSnapshot.stderr).toMatch(/neither a snapshot directory .* nor a `collect --out` directory/);

  const broken = path.join(tmp, "broken");
  fs.mkdirSync(broken, { recursive: true });
  fs.writeFileSync(path.join(broken, "seat-report.json"), JSON.stringify({ connector: "acme", products: "nope" }));
  const malformed = await runInProcess(["report", broken, "--json"], {});
  expect(malformed.code).toBe(1);
  expect(JSON.parse(malformed.stdout).error).toMatchObject({ code: "MALFORMED_SNAPSHOT", message: expect.stringMatching(/not a seat report this version understands.*collect again/) });
});

test("a dead refresh token fails the collection with the re-authorize instruction, and no secret", async () => {
  const out = path.join(tmp, "dead");
  const dead = "dead-refresh-token-0123456789abcdef";
  const result = await runInProcess(["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--refresh-token", dead], { ...emu.env, XDG_CONFIG_HOME: path.join(tmp, "dead-config") });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/refresh token was refused.*jira-connector authorize/);
  expectNoSecrets(result.stdout + result.stderr, [dead, emu.app().clientSecret]);
});

test("on a terminal, progress is one status line redrawn in place and cleared at the end; --json prints none", async () => {
  const out = path.join(tmp, "tty");
  const site = emu.site("acme");
  const argv = ["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--license-email", site.admin.email, "--api-token", site.admin.apiToken];
  const env = { ...emu.env, XDG_CONFIG_HOME: path.join(tmp, "tty-config") };
  const result = await runInProcess([...argv, "--refresh-token", emu.grant().refreshToken], env, { tty: true });
  expect(result.code).toBe(0);
  const frames = result.stderr.split("\r\u001b[2K");
  expect(frames.length).toBeGreaterThan(10);
  expect(frames.some((f) => /^. users… \d+ requests \(.*users \d+/.test(f))).toBe(true);
  expect(frames.some((f) => /wrote \d+ files$/.test(f))).toBe(true);
  expect(frames[frames.length - 1]).toBe(""); // the line is cleared before the summary
  expect(result.stderr.replace(/^Warning: .*\n/m, "")).not.toMatch(/\n/);

  const json = await runInProcess([...argv, "--json"], env, { tty: true });
  expect(json.code).toBe(0);
  expect(json.stderr).toBe("");
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, complete: true });
});

test("(6) collect --refresh-token refuses to replace a live token of another grant unless --force, and says so", async () => {
  const out = path.join(tmp, "force");
  const site = emu.site("acme");
  const config = path.join(tmp, "force-config");
  const base = { ...emu.env, XDG_CONFIG_HOME: config, JIRA_CONNECTOR_CLIENT_ID: emu.app().clientId, JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret, JIRA_CONNECTOR_LICENSE_EMAIL: site.admin.email, JIRA_CONNECTOR_API_TOKEN: site.admin.apiToken };
  const first = emu.grant({ sites: ["acme"] });
  const seeded = await runCli(["collect", "--out", out, "--site", "acme", "--json"], childEnv({ ...base, JIRA_CONNECTOR_REFRESH_TOKEN: first.refreshToken }));
  expect(seeded.stdout + seeded.stderr).toMatch(/"ok":true/);
  const other = emu.grant({ sites: ["acme"] });
  const refused = await runCli(["collect", "--out", out, "--site", "acme", "--json"], childEnv({ ...base, JIRA_CONNECTOR_REFRESH_TOKEN: other.refreshToken }));
  expect(refused.code).toBe(2);
  expect(JSON.parse(refused.stdout).error).toMatchObject({ code: "TOKEN_STORE_IN_USE", message: expect.stringMatching(/live refresh token of another grant.*--force/) });
  expect(emu.family(other.familyId)).toMatchObject({ rotations: 0, revoked: false }); // not presented
  const store = createFileStore({ path: path.join(config, "jira-connector", "tokens", "acme.json") });
  expect((await store.read())?.refreshToken).toBe(emu.family(first.familyId)?.currentRefreshToken);
  const forced = await runCli(["collect", "--out", out, "--site", "acme", "--json", "--force"], childEnv({ ...base, JIRA_CONNECTOR_REFRESH_TOKEN: other.refreshToken }));
  expect(forced.code).toBe(0);
  expect(JSON.parse(forced.stdout)).toMatchObject({ tokenStoreSeeded: "reseeded" });
  expect((await store.read())?.refreshToken).toBe(emu.family(other.familyId)?.currentRefreshToken);
  expectNoSecrets(refused.stdout + refused.stderr, [other.refreshToken, first.refreshToken]);
});
