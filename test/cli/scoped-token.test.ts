/**
 * `check` and `collect` with an API token with scopes (--scoped-api-token / JIRA_CONNECTOR_SCOPED_API_TOKEN):
 * no OAuth flags, no token store; the check table has the scoped rows; mixing methods is a usage error naming
 * both; collect writes a complete snapshot through the gateway with no OAuth call and no points spent.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { childEnv, expectNoSecrets, runCli, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
const READ_SCOPES = DEFAULT_SCOPES.filter((s) => s !== "offline_access");
const expiresAt = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 12 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-scoped-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const admin = () => emu.site("acme").admin;
const token = (scopes = READ_SCOPES) => emu.createApiToken("acme", { scopes, expiresInDays: 100 });
type Row = { check: string; status: string; fix?: string; message?: string };

test("check through the binary, from the environment: every scoped row passes, nothing stored, no secret printed", async () => {
  const scoped = token();
  const env = childEnv({ ...emu.env, JIRA_CONNECTOR_SCOPED_API_TOKEN: scoped, JIRA_CONNECTOR_SCOPED_TOKEN_EMAIL: admin().email, JIRA_CONNECTOR_SCOPED_TOKEN_EXPIRES_AT: expiresAt });
  const text = await runCli(["check", "--site", "acme"], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/scoped API token accepted through the gateway\s+✓ pass/);
  expect(text.stdout).toMatch(/All checks passed for site acme .*A scoped token is not consumed by checking; nothing was stored\./s);
  const json = await runCli(["check", "--site", "acme", "--json"], env);
  const report = JSON.parse(json.stdout) as { ok: boolean; authMethod: string; tokenStore: null; checks: Row[] };
  expect(report).toMatchObject({ ok: true, authMethod: "scoped-api-token", tokenStore: null });
  expect(report.checks.map((r) => [r.check, r.status])).toEqual([
    ["site", "pass"],
    ["scoped-token", "pass"],
    ["scopes", "pass"],
    ["least-privilege", "pass"],
    ["license-admin", "pass"],
    ["seats", "pass"],
  ]);
  expect(emu.requests.some((r) => r.host === "auth")).toBe(false);
  expectNoSecrets(text.stdout + text.stderr + json.stdout + json.stderr, [scoped]);
});

test("check: a token lacking scopes fails one row naming every scope and the flag; without an expiry the row says it was not checked", async () => {
  const scoped = token(READ_SCOPES.filter((s) => !["read:group:jira", "read:license:jira"].includes(s)));
  const result = await runInProcess(["check", "--site", "acme", "--scoped-api-token", scoped, "--scoped-token-email", admin().email, "--json"], emu.env);
  expect(result.code).toBe(1);
  const rows = JSON.parse(result.stdout).checks as Row[];
  const scopes = rows.find((r) => r.check === "scopes")!;
  expect(scopes).toMatchObject({ status: "fail", fix: "--scoped-api-token" });
  expect(scopes.message).toMatch(/lacks read:group:jira, read:license:jira/);
  expect(rows.find((r) => r.check === "scoped-token-expiry")).toMatchObject({ status: "skipped" });
  expectNoSecrets(result.stdout + result.stderr, [scoped]);
});

test("check: a classic token given as --scoped-api-token is named as such", async () => {
  const result = await runInProcess(["check", "--site", "acme", "--scoped-api-token", admin().apiToken, "--scoped-token-email", admin().email, "--scoped-token-expires-at", expiresAt, "--json"], emu.env);
  expect(result.code).toBe(1);
  const row = (JSON.parse(result.stdout).checks as Row[]).find((r) => r.check === "scoped-token")!;
  expect(row).toMatchObject({ status: "fail", fix: "--scoped-api-token", message: expect.stringMatching(/classic API token \(no scopes\)/) });
});

test.each<[string, string[], RegExp]>([
  ["OAuth flags next to a scoped token", ["--client-id", "c", "--client-secret", "s"], /either a scoped API token \(--scoped-api-token\) or OAuth \(--client-id, --client-secret\), not both/],
  ["a license account next to a scoped token", ["--license-email", "a@b.example", "--api-token", "x"], /--license-email\/--api-token are for OAuth connectors/],
  ["no email", ["--scoped-token-email", ""], /--scoped-token-email is required/],
  ["an expiry beyond 365 days", ["--scoped-token-expires-at", "2099-01-01"], /--scoped-token-expires-at: is more than 365 days away/],
])("check: %s is a usage error (exit 2) naming the flags, never the token", async (_name, extra, message) => {
  const scoped = token();
  const base = ["check", "--site", "acme", "--scoped-api-token", scoped, ...(extra.includes("--scoped-token-email") ? [] : ["--scoped-token-email", admin().email])];
  const result = await runInProcess([...base, ...extra], emu.env);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expectNoSecrets(result.stdout + result.stderr, [scoped]);
});

test("collect with a scoped token: a complete snapshot through the gateway, no token store, no OAuth, no points", async () => {
  const scoped = token();
  const out = path.join(tmp, "scoped-out");
  const env = childEnv({ ...emu.env, JIRA_CONNECTOR_SCOPED_API_TOKEN: scoped, JIRA_CONNECTOR_SCOPED_TOKEN_EMAIL: admin().email });
  emu.clearRequests();
  const result = await runCli(["collect", "--out", out, "--site", "acme", "--json"], env);
  expect(result.code).toBe(0);
  const summary = JSON.parse(result.stdout) as { complete: boolean; authMethod: string; tokenStore: null; snapshotDir: string };
  expect(summary).toMatchObject({ complete: true, authMethod: "scoped-api-token", tokenStore: null });
  expect(fs.existsSync(path.join(out, ".tokens"))).toBe(false);
  expect(emu.requests.some((r) => r.host === "auth")).toBe(false);
  expect(emu.requests.filter((r) => r.path.includes("/rest/")).every((r) => r.host === "api" && r.auth === "basic")).toBe(true);
  const manifest = JSON.parse(fs.readFileSync(path.join(summary.snapshotDir, "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({ complete: true, authMethod: "scoped-api-token", points: { charged: false, spent: 0 } });
  expect(manifest).not.toHaveProperty("refreshTokenFamilyStartedAt");
  const everything = fs.readdirSync(summary.snapshotDir).map((f) => (f.endsWith(".gz") ? require("zlib").gunzipSync(fs.readFileSync(path.join(summary.snapshotDir, f))).toString() : fs.readFileSync(path.join(summary.snapshotDir, f), "utf8"))).join("\n");
  expectNoSecrets(everything + result.stdout + result.stderr, [scoped]);
});

test("collect with a revoked scoped token fails (exit 1) saying to create a new one, and writes a failed manifest", async () => {
  const scoped = token();
  emu.revokeApiToken(scoped);
  const out = path.join(tmp, "revoked-out");
  const result = await runInProcess(["collect", "--out", out, "--site", "acme", "--scoped-api-token", scoped, "--scoped-token-email", admin().email], emu.env);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/refused the scoped API token .*Create a new scoped token/);
  expectNoSecrets(result.stdout + result.stderr, [scoped]);
});
