/**
 * `check`/`collect` with a token file and the consent time (issue 14 item 3): `--refresh-token-issued-at` starts the
 * seeded family at the consent; a stored record's family start is what later runs (and the manifest) use.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { expectNoSecrets, runInProcess } from "./helpers";

const DAY = 86_400_000;
let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 5 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-consent-flags-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let cases = 0;
const fresh = () => path.join(tmp, `case-${++cases}`);
const app = () => ({ id: emu.app().clientId, secret: emu.app().clientSecret });
const collectArgs = (out: string, extra: string[]) => ["collect", "--out", out, "--site", "acme", "--client-id", app().id, "--client-secret", app().secret, ...extra];
const checkArgs = (extra: string[]) => ["check", "--site", "acme", "--client-id", app().id, "--client-secret", app().secret, ...extra];

test("collect --refresh-token --refresh-token-issued-at: the token file's family (and the manifest's) starts at the consent; check keeps it", async () => {
  const root = fresh();
  const file = path.join(root, "token.json");
  const grant = emu.grant({ sites: ["acme"] });
  const consent = new Date(Math.floor((Date.now() - 20 * DAY) / 1000) * 1000).toISOString();
  const result = await runInProcess(collectArgs(path.join(root, "out"), ["--refresh-token", grant.refreshToken, "--refresh-token-issued-at", consent, "--token-file", file, "--json"]), { ...emu.env });
  expect(result.code).toBe(0);
  const stored = (await createFileStore({ path: file }).read())!;
  expect(stored.familyStartedAt).toBe(consent);
  const manifest = JSON.parse(fs.readFileSync(path.join(JSON.parse(result.stdout).snapshotDir, "manifest.json"), "utf8"));
  expect(manifest.refreshTokenFamilyStartedAt).toBe(consent);
  expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken, stored.refreshToken]);

  // A later check with the stored token rotates it and keeps the recorded family start.
  const checked = await runInProcess(checkArgs(["--token-file", file, "--json"]), { ...emu.env });
  expect(JSON.parse(checked.stdout).ok).toBe(true);
  const after = (await createFileStore({ path: file }).read())!;
  expect(after.refreshToken).not.toBe(stored.refreshToken);
  expect(after.familyStartedAt).toBe(consent);
});

test("check --refresh-token --refresh-token-issued-at seeds a token file from the consent; without the flag, from the check", async () => {
  const consent = new Date(Math.floor((Date.now() - 5 * DAY) / 1000) * 1000).toISOString();
  const withConsent = path.join(fresh(), "t.json");
  const a = await runInProcess(checkArgs(["--refresh-token", emu.grant({ sites: ["acme"] }).refreshToken, "--refresh-token-issued-at", consent, "--token-file", withConsent, "--yes", "--json"]), { ...emu.env });
  expect(JSON.parse(a.stdout).ok).toBe(true);
  expect((await createFileStore({ path: withConsent }).read())!.familyStartedAt).toBe(consent);

  const without = path.join(fresh(), "t.json");
  const before = Date.now();
  await runInProcess(checkArgs(["--refresh-token", emu.grant({ sites: ["acme"] }).refreshToken, "--token-file", without, "--yes", "--json"]), { ...emu.env });
  expect(Date.parse((await createFileStore({ path: without }).read())!.familyStartedAt)).toBeGreaterThanOrEqual(before - 1000);
});

test.each<[string, string[], RegExp]>([
  ["without --refresh-token", ["--refresh-token-issued-at", "2026-11-01T00:00:00Z"], /--refresh-token-issued-at goes with --refresh-token/],
  ["not a timestamp", ["--refresh-token", "rt-never-sent", "--refresh-token-issued-at", "last week"], /--refresh-token-issued-at must be an ISO 8601 timestamp with a zone/],
  ["an expired grant", ["--refresh-token", "rt-never-sent", "--refresh-token-issued-at", new Date(Date.now() - 400 * DAY).toISOString()], /more than 365 days ago, so the grant has expired/],
])("collect refuses --refresh-token-issued-at %s (exit 2, nothing presented)", async (_name, extra, expected) => {
  emu.clearRequests();
  const result = await runInProcess(collectArgs(path.join(fresh(), "out"), [...extra, "--token-file", path.join(fresh(), "t.json")]), { ...emu.env });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(expected);
  expect(emu.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(0);
});
