/**
 * `collect`'s default token store: a per-user file outside the snapshot folder ($XDG_CONFIG_HOME, else ~/.config;
 * folders 0700, file 0600), and the move of a token an earlier version left in `<out>/.tokens/`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { migrateLegacyTokenFile, userTokenPath } from "../../cli/collect/token-home";
import { createFileStore, type RefreshTokenRecord } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { expectNoSecrets, runInProcess } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
let dirs = 0;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 5 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-token-home-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const fresh = () => path.join(tmp, `case-${++dirs}`);
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const record = (refreshToken: string, rotatedAt: string, extra: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({ refreshToken, rotatedAt, familyStartedAt: "2026-11-01T00:00:00.000Z", ...extra });
const collectArgs = (out: string, extra: string[] = []) => ["collect", "--out", out, "--site", "acme", "--client-id", emu.app().clientId, "--client-secret", emu.app().clientSecret, "--license-email", emu.site("acme").admin.email, "--api-token", emu.site("acme").admin.apiToken, ...extra];

test("the path: $XDG_CONFIG_HOME first, else ~/.config; neither set is a usage error naming --token-file", () => {
  expect(userTokenPath({ XDG_CONFIG_HOME: "/x/config", HOME: "/home/a" }, "acme")).toBe("/x/config/jira-connector/tokens/acme.json");
  expect(userTokenPath({ HOME: "/home/a" }, "acme")).toBe("/home/a/.config/jira-connector/tokens/acme.json");
  expect(() => userTokenPath({ XDG_CONFIG_HOME: "relative" }, "acme")).toThrow(/pass --token-file/);
  expect(() => userTokenPath({}, "acme")).toThrow(/neither HOME nor XDG_CONFIG_HOME is set: pass --token-file/);
});

test("collect with a temp HOME: the live token goes to ~/.config/jira-connector/tokens/acme.json (0700 folders, 0600 file), nothing under --out/.tokens", async () => {
  const home = fresh();
  const out = path.join(home, "snapshots");
  const grant = emu.grant({ sites: ["acme"] });
  const result = await runInProcess(collectArgs(out, ["--refresh-token", grant.refreshToken, "--json"]), { ...emu.env, HOME: home, XDG_CONFIG_HOME: undefined });
  expect(result.code).toBe(0);
  const file = path.join(home, ".config", "jira-connector", "tokens", "acme.json");
  expect(JSON.parse(result.stdout)).toMatchObject({ tokenStore: `file:${file}`, tokenStoreSeeded: "seeded", tokenStoreMovedFrom: null });
  expect((await createFileStore({ path: file }).read())?.refreshToken).toBe(emu.family(grant.familyId)?.currentRefreshToken);
  expect(mode(file)).toBe(0o600);
  expect(mode(path.dirname(file))).toBe(0o700);
  expect(mode(path.dirname(path.dirname(file)))).toBe(0o700);
  expect(fs.existsSync(path.join(out, ".tokens"))).toBe(false);
  // Seeding a file moves the grant into it: said in --json too.
  expect(JSON.parse(result.stdout).tokenStoreWarnings).toEqual([expect.stringMatching(/Do not give the same token to `pulumi up`/)]);
  expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken]);
});

test("a token left in <out>/.tokens/ by an earlier version is moved, said on stderr, and the collection uses it", async () => {
  const root = fresh();
  const out = path.join(root, "out");
  const config = path.join(root, "config");
  const grant = emu.grant({ sites: ["acme"] });
  const legacy = path.join(out, ".tokens", "acme.json");
  await createFileStore({ path: legacy }).compareAndSwap(undefined, record(grant.refreshToken, new Date(emu.clock.now()).toISOString()));
  const result = await runInProcess(collectArgs(out), { ...emu.env, XDG_CONFIG_HOME: config });
  expect(result.code).toBe(0);
  const target = path.join(config, "jira-connector", "tokens", "acme.json");
  expect(result.stderr).toMatch(new RegExp(`Moved the live refresh token from ${legacy.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} to file:${target.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  expect(fs.existsSync(legacy)).toBe(false);
  expect(fs.existsSync(path.join(out, ".tokens"))).toBe(false);
  expect((await createFileStore({ path: target }).read())?.refreshToken).toBe(emu.family(grant.familyId)?.currentRefreshToken);
  expect(emu.family(grant.familyId)).toMatchObject({ revoked: false, rotations: 1 });
  expectNoSecrets(result.stdout + result.stderr, [grant.refreshToken]);
});

describe("the move never loses the newer token", () => {
  test("the per-user file already holds a newer token: it is kept and the old file removed", async () => {
    const root = fresh();
    const legacy = path.join(root, "out", ".tokens", "acme.json");
    await createFileStore({ path: legacy }).compareAndSwap(undefined, record("OLDER-token", "2026-11-02T00:00:00.000Z"));
    const target = createFileStore({ path: path.join(root, "config", "acme.json") });
    await target.compareAndSwap(undefined, record("NEWER-token", "2026-11-03T00:00:00.000Z"));
    expect(await migrateLegacyTokenFile(legacy, target, new Date("2026-11-04T00:00:00Z"))).toEqual({ kind: "kept-newer", from: legacy });
    expect((await target.read())?.refreshToken).toBe("NEWER-token");
    expect(fs.existsSync(legacy)).toBe(false);
  });

  test("the old file is newer: it replaces the per-user one (compare-and-swap)", async () => {
    const root = fresh();
    const legacy = path.join(root, "out", ".tokens", "acme.json");
    await createFileStore({ path: legacy }).compareAndSwap(undefined, record("NEWER-token", "2026-11-03T00:00:00.000Z"));
    const target = createFileStore({ path: path.join(root, "config", "acme.json") });
    await target.compareAndSwap(undefined, record("OLDER-token", "2026-11-02T00:00:00.000Z"));
    expect(await migrateLegacyTokenFile(legacy, target, new Date("2026-11-04T00:00:00Z"))).toEqual({ kind: "moved", from: legacy });
    expect((await target.read())?.refreshToken).toBe("NEWER-token");
  });

  test("a run holding the old file's lease: refused, nothing moved or removed", async () => {
    const root = fresh();
    const legacy = path.join(root, "out", ".tokens", "acme.json");
    await createFileStore({ path: legacy }).compareAndSwap(undefined, record("LEASED-token", "2026-11-03T00:00:00.000Z", { lease: { holder: "other-run", until: "2026-11-04T00:05:00.000Z" } }));
    const target = createFileStore({ path: path.join(root, "config", "acme.json") });
    const error = await migrateLegacyTokenFile(legacy, target, new Date("2026-11-04T00:00:00Z")).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/another run is using the refresh token in .*run collect again when it has finished/);
    expect(error?.message).not.toContain("LEASED-token");
    expect(await target.read()).toBeUndefined();
    expect(fs.existsSync(legacy)).toBe(true);
  });
});
