/**
 * The org Admin API and seat prices through the CLI: `check --org-id --org-api-key` verifies the key and the org's
 * hold on the site before anything is exchanged or stored; `collect` reads last-active dates with the key and takes
 * prices; `report` takes prices. Against the emulator over HTTP; secrets are grepped for in every output.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { childEnv, expectNoSecrets, runCli, runInProcess } from "./helpers";

const OTHER_ORG = "0f0f0f0f-1111-4222-8333-444455556666";
let emu: AtlassianEmulator;
let tmp: string;
let files = 0;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 12, issues: 20, auditRecords: 30 }, { name: "globex", users: 4 }, { name: "initech", users: 4, orgId: OTHER_ORG }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-org-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const acme = () => emu.site("acme");
const tokenFile = () => path.join(tmp, `token-${++files}.json`);
type Row = { check: string; status: string; fix?: string; message?: string };

function checkArgs(over: { site?: string; orgId?: string; orgKey?: string | null; file?: string } = {}) {
  const site = over.site ?? "acme";
  const admin = emu.site(site).admin;
  return [
    "check",
    "--site", site,
    "--client-id", emu.app().clientId,
    "--client-secret", emu.app().clientSecret,
    "--refresh-token", emu.grant({ accountId: admin.accountId, sites: [site] }).refreshToken,
    "--license-email", admin.email,
    "--api-token", admin.apiToken,
    "--token-file", over.file ?? tokenFile(),
    "--yes",
    "--org-id", over.orgId ?? acme().orgId,
    ...(over.orgKey === null ? [] : ["--org-api-key", over.orgKey ?? acme().orgApiKey]),
    "--json",
  ];
}

describe("check with an org", () => {
  test("key and org accepted, the org manages the site: two more passing rows, then the usual checks; the key is never printed", async () => {
    emu.clearRequests();
    // The key from the environment variable, the documented way to pass it, through the built binary.
    const argv = checkArgs({ orgKey: null });
    const result = await runCli(argv, childEnv({ ...emu.env, JIRA_CONNECTOR_ORG_API_KEY: acme().orgApiKey }));
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.ok).toBe(true);
    const rows = json.checks as Row[];
    expect(rows.slice(0, 2)).toEqual([
      expect.objectContaining({ check: "org-key", status: "pass", message: 'organization "acme organization"' }),
      expect.objectContaining({ check: "org-site", status: "pass", message: expect.stringMatching(/^acme\.atlassian\.net: .*jira-software/) }),
    ]);
    expect(rows.filter((r) => r.status !== "pass")).toEqual([]);
    const admin = emu.requests.filter((r) => r.path.startsWith("/admin/"));
    expect(admin.map((r) => `${r.method} ${r.path} ${r.auth} ${r.status}`)).toEqual([
      `GET /admin/v1/orgs/${acme().orgId} bearer 200`,
      `POST /admin/v2/orgs/${acme().orgId}/workspaces bearer 200`,
    ]);
    const text = await runInProcess(checkArgs().filter((a) => a !== "--json"), emu.env);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n").find((l) => l.includes("org API key accepted"))).toMatch(/✓ pass/);
    expect(text.stdout.split("\n").find((l) => l.includes("organization manages the site"))).toMatch(/✓ pass/);
    expectNoSecrets(result.stdout + result.stderr + text.stdout + text.stderr, [acme().orgApiKey, acme().admin.apiToken, emu.app().clientSecret]);
  });

  // [name, options, failing row, fix, message]
  const cases: [string, () => Parameters<typeof checkArgs>[0], string, string, RegExp][] = [
    [
      "bad key (401)",
      () => ({ orgKey: "orgkey-not-a-real-key-0123456789" }),
      "org-key",
      "--org-api-key / JIRA_CONNECTOR_ORG_API_KEY",
      /HTTP 401\): create an API key in admin\.atlassian\.com → Settings → API keys and pass it with --org-api-key \/ JIRA_CONNECTOR_ORG_API_KEY/,
    ],
    ["wrong org (404)", () => ({ orgId: OTHER_ORG }), "org-key", "--org-id", new RegExp(`organization ${OTHER_ORG} was not found for this API key \\(HTTP 404\\): pass the ID of the organization the key belongs to with --org-id`)],
    [
      "the org does not manage the site",
      () => ({ site: "initech" }),
      "org-site",
      "--org-id",
      new RegExp(`organization ${"[0-9a-f-]{36}"} does not manage the site initech\\.atlassian\\.net \\(none of its \\d+ workspace\\(s\\) is on it\\)`),
    ],
  ];
  test.each(cases)("%s: its own row with the fix; nothing exchanged or stored; exit 1", async (_name, over, failing, fix, message) => {
    const file = tokenFile();
    const argv = checkArgs({ ...over(), file });
    emu.clearRequests();
    const result = await runInProcess(argv, emu.env);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, tokenStored: false });
    const rows = json.checks as Row[];
    expect(rows.filter((r) => r.status === "fail")).toEqual([expect.objectContaining({ check: failing, fix, message: expect.stringMatching(message) })]);
    // Every connection check is "not run": no token exchange happened, the store file was never written.
    expect(rows.filter((r) => !r.check.startsWith("org-")).every((r) => r.status === "not run")).toBe(true);
    expect(emu.requests.filter((r) => r.path === "/oauth/token")).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
    expectNoSecrets(result.stdout + result.stderr, [acme().orgApiKey, emu.site("initech").orgApiKey, "orgkey-not-a-real-key-0123456789", ...argv.filter((_, i) => ["--refresh-token", "--api-token", "--client-secret"].includes(argv[i - 1]!))]);
  });

  test("usage errors name the flag (exit 2) and never echo the key", async () => {
    const text = (argv: string[]) => argv.filter((a) => a !== "--json");
    const noKey = await runInProcess(text(checkArgs({ orgKey: null })), emu.env);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--org-id needs an organization API key: create an API key in admin\.atlassian\.com → Settings → API keys/);
    const badId = await runInProcess(text(checkArgs({ orgId: "acme-org" })), emu.env);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/--org-id is not an organization ID \(a UUID/);
    const keyOnly = await runInProcess(text(checkArgs()).filter((a, i, all) => a !== "--org-id" && all[i - 1] !== "--org-id"), emu.env);
    expect(keyOnly.code).toBe(2);
    expect(keyOnly.stderr).toMatch(/--org-api-key needs --org-id/);
    expectNoSecrets(noKey.stderr + badId.stdout + badId.stderr + keyOnly.stdout + keyOnly.stderr, [acme().orgApiKey]);
  });
});

describe("collect and report", () => {
  const collectArgs = (out: string, extra: string[] = []) => [
    "collect", "--out", out, "--site", "acme",
    "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret,
    // OAuth only (no license token): only the 13 read scopes' sources are read, so the run is complete and quick.
    "--refresh-token", emu.grant({ sites: ["acme"] }).refreshToken,
    ...extra,
  ];

  test("collect --org-id --org-api-key reads last-active dates with that key and takes --price/--currency; the key is never written", async () => {
    const out = path.join(tmp, "org-out");
    emu.clearRequests();
    const result = await runInProcess(collectArgs(out, ["--org-id", acme().orgId, "--org-api-key", acme().orgApiKey, "--price", "jira-software=8.60", "--currency", "usd", "--json"]), emu.env);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.complete).toBe(true);
    const org = emu.requests.filter((r) => r.path.startsWith(`/admin/v1/orgs/${acme().orgId}/directory/users/`));
    expect(org.length).toBeGreaterThan(0);
    expect(org.every((r) => r.auth === "bearer" && r.status !== 401)).toBe(true);
    const seatReport = JSON.parse(fs.readFileSync(path.join(summary.snapshotDir, "seat-report.json"), "utf8"));
    expect(seatReport.cost).toMatchObject({ currency: "USD" });
    const manifest = JSON.parse(fs.readFileSync(path.join(summary.snapshotDir, "manifest.json"), "utf8"));
    expect(manifest.entities.orgLastActive.accountsInDirectory).toBeGreaterThan(0);
    const written = fs.readdirSync(summary.snapshotDir).map((f) => {
      const raw = fs.readFileSync(path.join(summary.snapshotDir, f));
      return f.endsWith(".gz") ? gunzipSync(raw).toString() : raw.toString();
    });
    expectNoSecrets([result.stdout, result.stderr, ...written].join("\n"), [acme().orgApiKey, emu.app().clientSecret]);

    // report takes the same prices (a file this time); bad prices are usage errors naming the flag.
    const prices = path.join(tmp, "prices.json");
    fs.writeFileSync(prices, JSON.stringify({ currency: "EUR", monthlyPerSeat: { "jira-software": 7.9 } }));
    expect((await runInProcess(["report", out, "--pricing", prices, "--json"], {})).code).toBe(0);
    const bad = path.join(tmp, "bad-prices.json");
    fs.writeFileSync(bad, JSON.stringify({ currency: "EUR", monthlyPerSeat: { "jira-software": "cheap" } }));
    const rejected = await runInProcess(["report", out, "--pricing", bad], {});
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/--pricing\.monthlyPerSeat\.jira-software: /);
  });

  test.each([
    [["--price", "jira-software=abc", "--currency", "USD"], /--price\.monthlyPerSeat\.jira-software: /],
    [["--price", "jira-software"], /--price needs --currency <code>/],
    [["--price", "jira-software=8", "--currency", "dollars"], /--currency: an ISO 4217 currency code/],
    [["--currency", "USD"], /--currency goes with --price/],
    [["--pricing", "/nonexistent/prices.json"], /--pricing \/nonexistent\/prices\.json: cannot read the file \(ENOENT\)/],
    [["--pricing", "x.json", "--price", "jira-software=1"], /either as --pricing <file> or as --price/],
  ])("collect %j is a usage error naming the flag, before any request", async (extra, message) => {
    emu.clearRequests();
    const result = await runInProcess(collectArgs(path.join(tmp, "never"), extra), emu.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(emu.requests).toEqual([]);
  });
});
