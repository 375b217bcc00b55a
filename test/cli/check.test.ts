/**
 * `jira-connector check` and `cloud-id` against the emulator: all green through the built binary (file store and
 * Secrets Manager in moto), then every failure the provider's validation can report, one row each.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomUUID } from "crypto";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createFileStore, createSecretsManagerStore } from "../../token-store";
import { CONNECTOR_SCOPES } from "../../atlassian/scopes";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { childEnv, expectNoSecrets, runCli, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
let files = 0;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 8 }, { name: "globex", users: 4 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-check-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const tokenFile = () => path.join(tmp, `token-${++files}.json`);
const admin = () => emu.site("acme").admin;

function args(over: { site?: string; refreshToken?: string; clientSecret?: string; email?: string; apiToken?: string; file?: string; extra?: string[] } = {}) {
  return [
    "check",
    "--site", over.site ?? "acme",
    "--client-id", emu.app().clientId,
    "--client-secret", over.clientSecret ?? emu.app().clientSecret,
    ...(over.refreshToken === "" ? [] : ["--refresh-token", over.refreshToken ?? emu.grant({ sites: ["acme"] }).refreshToken]),
    ...(over.email === "" ? [] : ["--license-email", over.email ?? admin().email, "--api-token", over.apiToken ?? admin().apiToken]),
    "--token-file", over.file ?? tokenFile(),
    // Presenting a token to a file needs the confirmation (tested below).
    ...(over.refreshToken === "" ? [] : ["--yes"]),
    ...(over.extra ?? []),
  ];
}

type Row = { check: string; status: string; fix?: string; message?: string };
const statuses = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.check, r.status]));

test("all green through the binary: every check passes, the rotated token is in the file, no secret is printed", async () => {
  const grant = emu.grant({ sites: ["acme"] });
  const file = tokenFile();
  const result = await runCli(
    ["check", "--site", "https://acme.atlassian.net/", "--token-file", file, "--yes"],
    childEnv({
      ...emu.env,
      JIRA_CONNECTOR_CLIENT_ID: emu.app().clientId,
      JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret,
      JIRA_CONNECTOR_REFRESH_TOKEN: grant.refreshToken,
      JIRA_CONNECTOR_LICENSE_EMAIL: admin().email,
      JIRA_CONNECTOR_API_TOKEN: admin().apiToken,
    }),
  );
  expect(result.code).toBe(0);
  const lines = result.stdout.split("\n");
  for (const label of ["site exists", "refresh token exchange", "rotated token saved", "granted scopes", "grant reaches the site", "API token accepted", "Jira administrator", "seats readable"]) {
    expect(lines.find((l) => l.includes(label))).toMatch(/✓ pass/);
  }
  expect(result.stdout).toMatch(/All checks passed for site acme \(cloud ID [0-9a-f-]{36}\)/);
  const stored = await createFileStore({ path: file }).read();
  expect(stored?.refreshToken).toBe(emu.family(grant.familyId)?.currentRefreshToken);
  expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken, stored!.refreshToken, emu.app().clientSecret, admin().apiToken]);

  // Again, with the same (now rotated-out) configured token: the store's successor is used instead.
  const again = await runInProcess(args({ refreshToken: grant.refreshToken, file, extra: ["--json"] }), emu.env);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, tokenStored: true });
  expect(emu.family(grant.familyId)).toMatchObject({ revoked: false, rotations: 2 });
});

test("no license credentials: license rows are skipped, seats are read through the grant", async () => {
  const result = await runInProcess(args({ email: "", extra: ["--json"] }), emu.env);
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout);
  expect(statuses(json.checks)).toEqual({
    site: "pass", "token-store-read": "pass", "token-exchange": "pass", "token-store-write": "pass", scopes: "pass",
    "site-access": "pass", "license-account": "skipped", "license-admin": "skipped", seats: "pass", "least-privilege": "pass", "oauth-quota": "pass",
  });
  expect(json.products.map((p: { key: string }) => p.key)).toContain("jira-software");
  // Seats through the grant: collections will draw on the OAuth points quota, so check estimates the cost.
  expect(json.checks.find((r: Row) => r.check === "oauth-quota").message).toMatch(/^a collection through OAuth alone costs at least \d+ points, \d+ % of the app's hourly quota$/);
});

test("a grant with write or manage scopes: a least-privilege warning naming them, still exit 0", async () => {
  const refreshToken = emu.grant({ sites: ["acme"], scopes: [...CONNECTOR_SCOPES, "write:issue:jira", "manage:jira-configuration", "offline_access"] }).refreshToken;
  const result = await runInProcess(args({ refreshToken, extra: ["--json"] }), emu.env);
  expect(result.code).toBe(0);
  const row = (JSON.parse(result.stdout).checks as Row[]).find((r) => r.check === "least-privilege")!;
  expect(row).toMatchObject({ status: "warn", fix: "--refresh-token" });
  expect(row.message).toMatch(/^the credential can do more than read: manage:jira-configuration, write:issue:jira\. A connector only reads; remove the extra scopes from the app's permissions/);
  const text = await runInProcess(args({ refreshToken: emu.grant({ sites: ["acme"], scopes: [...CONNECTOR_SCOPES, "write:issue:jira", "offline_access"] }).refreshToken }), emu.env);
  expect(text.stdout).toMatch(/! warn/);
  expect(text.stdout).toMatch(/All checks passed/);
});

test("a site whose collections would take most of the app's hourly quota: a warning with the fix, still exit 0", async () => {
  const big = await startAtlassianEmulator({ sites: [{ name: "acme", users: 30_000, issues: 200, auditRecords: 10 }] });
  try {
    const grant = big.grant({ sites: ["acme"] }).refreshToken;
    const argv = ["check", "--site", "acme", "--client-id", big.app().clientId, "--client-secret", big.app().clientSecret, "--refresh-token", grant, "--token-file", tokenFile(), "--yes"];
    const result = await runInProcess([...argv, "--json"], big.env);
    expect(result.code).toBe(0);
    const row = (JSON.parse(result.stdout).checks as Row[]).find((r) => r.check === "oauth-quota")!;
    expect(row).toMatchObject({ status: "warn", fix: "--license-email / --api-token" });
    expect(row.message).toMatch(/costs at least [\d,]+ points, \d+ % of the app's 65,000-point hourly quota .*scoped API token/);
  } finally {
    await big.close();
  }
}, 60_000);

describe("each failure is its own row, with the flag to fix; exit 1; no secret printed", () => {
  // [name, options, failing check, flag to fix, message, other checks that fail as a consequence]
  const cases: [string, () => Parameters<typeof args>[0], string, string, RegExp, string[]?][] = [
    ["wrong client secret", () => ({ clientSecret: "wrong-secret-0123456789" }), "token-exchange", "--client-secret", /rejected the OAuth client ID or client secret/],
    ["dead refresh token", () => ({ refreshToken: "dead-refresh-token-0123456789" }), "token-exchange", "--refresh-token", /refresh token was refused.*authorize again/],
    ["grant lacks scopes", () => ({ refreshToken: emu.grant({ sites: ["acme"], scopes: [...CONNECTOR_SCOPES.slice(0, 10), "offline_access"] }).refreshToken }), "scopes", "--refresh-token", /lacks scopes read:user:jira, read:user.columns:jira, read:jql:jira/],
    ["grant does not reach the site", () => ({ refreshToken: emu.grant({ accountId: emu.site("acme").member.accountId, sites: ["globex"] }).refreshToken }), "site-access", "--refresh-token", /does not reach the site/],
    ["unknown site", () => ({ site: "nosuchsite" }), "site", "--site", /was not found as a Jira Cloud site/, ["license-account"]],
    ["cloud ID mismatch", () => ({ extra: ["--cloud-id", randomUUID()] }), "site", "--cloud-id", /has cloud ID .* but .* was configured/],
    ["API token rejected", () => ({ apiToken: "ATATTwrong0123456789" }), "license-account", "--api-token", /API token were rejected/],
    ["license account is not an admin", () => ({ email: emu.site("acme").member.email, apiToken: emu.site("acme").member.apiToken }), "license-admin", "--license-email", /not a Jira administrator/],
    ["empty token store and no --refresh-token", () => ({ refreshToken: "" }), "token-exchange", "--token-file / --token-secret-arn", /token store holds no refresh token/],
  ];
  test.each(cases)("%s", async (_name, over, check, fix, message, consequences = []) => {
    const options = over() ?? {};
    const argv = args(options);
    const result = await runInProcess([...argv, "--json"], emu.env);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.ok).toBe(false);
    const failed = (json.checks as Row[]).filter((r) => r.status === "fail");
    expect(failed.find((r) => r.check === check)).toEqual(expect.objectContaining({ fix, message: expect.stringMatching(message) }));
    expect(failed.map((r) => r.check).sort()).toEqual([check, ...consequences].sort());
    const text = await runInProcess(args({ ...options, refreshToken: options.refreshToken ?? undefined }), emu.env);
    expect(text.code).toBe(1);
    expect(text.stdout.split("\n").find((l) => l.includes("✗ FAIL"))).toContain(fix);
    expect(text.stdout).toMatch(/Some checks failed/);
    const secrets = [emu.app().clientSecret, admin().apiToken, emu.site("acme").member.apiToken, ...argv.filter((_, i) => ["--refresh-token", "--api-token", "--client-secret"].includes(argv[i - 1]))];
    expectNoSecrets(result.stdout + result.stderr + text.stdout + text.stderr, secrets);
  });
});

test("without a token store check refuses, and says why", async () => {
  const argv = args().filter((a, i, all) => a !== "--token-file" && all[i - 1] !== "--token-file");
  const result = await runInProcess(argv, emu.env);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/check needs a token store: --token-file <path> or --token-secret-arn <arn>.*rotates it/);
  const both = await runInProcess([...args(), "--token-secret-arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"], emu.env);
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/either --token-file or --token-secret-arn, not both/);
});

test("bad input is refused before any request, naming the flag", async () => {
  emu.clearRequests();
  const result = await runInProcess(args({ site: "evil.example.com/acme" }), emu.env);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/invalid options:\n {2}--site: /);
  expect(emu.requests).toEqual([]);
});

describe("with a Secrets Manager token store (moto)", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto.stop());

  test("all green through the binary; the rotated token lands in the secret", async () => {
    const client = new SecretsManagerClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const { ARN } = await client.send(new CreateSecretCommand({ Name: `jira/cli-check-${process.pid}` }));
    client.destroy();
    const grant = emu.grant({ sites: ["acme"] });
    const result = await runCli(
      ["check", "--site", "acme", "--client-id", emu.app().clientId, "--token-secret-arn", ARN!, "--json"],
      childEnv({ ...emu.env, ...moto.env, JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret, JIRA_CONNECTOR_REFRESH_TOKEN: grant.refreshToken }),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, tokenStore: `secretsmanager:${ARN}` });
    const saved = await withEnv(moto.env, () => createSecretsManagerStore({ secretArn: ARN! }).read());
    expect(saved?.refreshToken).toBe(emu.family(grant.familyId)?.currentRefreshToken);
    expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken, saved!.refreshToken, emu.app().clientSecret]);
  });
});

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("cloud-id", () => {
  test("prints the site's cloud ID; --json", async () => {
    const result = await runCli(["cloud-id", "acme.atlassian.net"], childEnv(emu.env));
    expect(result).toMatchObject({ code: 0, stdout: `${emu.site("acme").cloudId}\n` });
    const json = await runInProcess(["cloud-id", "globex", "--json"], emu.env);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, site: "globex", cloudId: emu.site("globex").cloudId });
  });

  test("unknown site: exit 1 with the fix; a malformed one is a usage error (exit 2)", async () => {
    const unknown = await runInProcess(["cloud-id", "nosuchsite"], emu.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/site "nosuchsite" was not found.*part before ".atlassian.net"/);
    const malformed = await runInProcess(["cloud-id", "acme.example.com", "--json"], emu.env);
    expect(malformed.code).toBe(2);
    expect(JSON.parse(malformed.stdout).error.code).toBe("INVALID_SITE_NAME");
  });
});
