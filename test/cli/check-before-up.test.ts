/**
 * `check --before-up` (a JiraConnector's token secret exists only after `pulumi up`): every check that presents no
 * refresh token runs, the token's rows are "not run" with the reason, and the token is untouched. And the
 * confirmation `check` asks before presenting a token to a local token file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { expectNoSecrets, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 6 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-check-before-up-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Row = { check: string; status: string; fix?: string; message?: string };
const admin = () => emu.site("acme").admin;
const refreshExchanges = () => emu.requests.filter((r) => r.grantType === "refresh_token").length;
const base = (refreshToken: string, license: string[] = ["--license-email", admin().email, "--api-token", admin().apiToken]) => [
  "check", "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--refresh-token", refreshToken, ...license,
];

test("--before-up: site, license account, admin and seats pass; the token's rows are not run with the reason; the token is not presented", async () => {
  const grant = emu.grant({ sites: ["acme"] });
  const before = refreshExchanges();
  const result = await runInProcess([...base(grant.refreshToken), "--before-up", "--json"], emu.env);
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout);
  expect(json).toMatchObject({ ok: true, beforeUp: true, tokenStore: null, tokenStored: false, cloudId: emu.site("acme").cloudId });
  const rows = Object.fromEntries((json.checks as Row[]).map((r) => [r.check, r]));
  for (const check of ["site", "license-account", "license-admin", "seats"]) expect(rows[check]!.status).toBe("pass");
  for (const check of ["token-store-read", "token-exchange", "token-store-write", "scopes", "least-privilege", "site-access"]) {
    expect(rows[check]).toMatchObject({ status: "not run", message: expect.stringMatching(/runs at `pulumi up`, the refresh token's first exchange \(into the connector's own secret\)/) });
  }
  expect(json.products.map((p: { key: string }) => p.key)).toContain("jira-software");
  expect(refreshExchanges()).toBe(before);
  expect(emu.family(grant.familyId)).toMatchObject({ revoked: false, rotations: 0, currentRefreshToken: grant.refreshToken });
  expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken, emu.app().clientSecret, admin().apiToken]);

  const text = await runInProcess([...base(grant.refreshToken), "--before-up"], emu.env);
  expect(text.stdout).toMatch(/- not run/);
  expect(text.stdout).toMatch(/All checks passed for site acme .*The refresh token was not presented: `pulumi up` exchanges it first/s);
});

test("--before-up without a license account: seats wait for `pulumi up` too; a bad license token still fails, naming the flag", async () => {
  const token = emu.grant({ sites: ["acme"] }).refreshToken;
  const noLicense = await runInProcess([...base(token, []), "--before-up", "--json"], emu.env);
  expect(noLicense.code).toBe(0);
  const seats = (JSON.parse(noLicense.stdout).checks as Row[]).find((r) => r.check === "seats")!;
  expect(seats).toMatchObject({ status: "not run", message: expect.stringMatching(/seats are read through the OAuth grant, at `pulumi up`/) });

  const bad = await runInProcess([...base(token, ["--license-email", admin().email, "--api-token", "wrong-api-token-0123456789"]), "--before-up", "--json"], emu.env);
  expect(bad.code).toBe(1);
  expect((JSON.parse(bad.stdout).checks as Row[]).find((r) => r.check === "license-account")).toMatchObject({ status: "fail", fix: "--api-token" });
  expect(emu.family(token)).toMatchObject({ rotations: 0, revoked: false });
});

test("--before-up takes no token store", async () => {
  const result = await runInProcess([...base("t0ken-0123456789"), "--before-up", "--token-file", path.join(tmp, "x.json")], emu.env);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/--before-up presents no refresh token, so it takes no token store/);
});

test("--refresh-token with --token-file needs --yes: refused before anything is presented; with --yes, the warning is on stderr and in --json", async () => {
  const grant = emu.grant({ sites: ["acme"] });
  const file = path.join(tmp, "token.json");
  const before = refreshExchanges();
  const refused = await runInProcess([...base(grant.refreshToken), "--token-file", file], emu.env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/not presenting the refresh token without --yes: .*saved only in .*token\.json.*Do not give the same token to `pulumi up`.*revokes the grant.*check --before-up/);
  expect(fs.existsSync(file)).toBe(false);
  expect(refreshExchanges()).toBe(before);

  const confirmed = await runInProcess([...base(grant.refreshToken), "--token-file", file, "--yes", "--json"], emu.env);
  expect(confirmed.code).toBe(0);
  expect(JSON.parse(confirmed.stdout).warnings).toEqual([expect.stringMatching(/from now on that file holds the grant/)]);
  const text = await runInProcess([...base(grant.refreshToken), "--token-file", file, "--yes"], emu.env);
  expect(text.stderr).toMatch(/^Warning: the refresh token is presented now/m);
  // Without --refresh-token the file's own live token is used: nothing new is moved, no confirmation.
  const live = await runInProcess(["check", "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--token-file", file, "--json"], emu.env);
  expect(live.code).toBe(0);
  expectNoSecrets(refused.stderr + confirmed.stdout + text.stdout + text.stderr, [grant.refreshToken, emu.app().clientSecret]);
});
