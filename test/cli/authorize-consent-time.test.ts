/**
 * `jira-connector authorize` reports the consent time (issue 14 item 3): when the code was exchanged, on
 * Atlassian's clock (the emulator's, set three days behind this machine's so the two cannot be confused). The
 * built binary as a child process, the test as the admin's browser.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createFileStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { consentAsBrowser } from "../support/browser";
import { childEnv, expectNoSecrets, freePort, startCli } from "./helpers";

const DAY = 86_400_000;
let emu: AtlassianEmulator;
let tmp: string;
let atlassianNow: number;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 5 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-consent-"));
  atlassianNow = Math.floor((Date.now() - 3 * DAY) / 1000) * 1000;
  emu.clock.set(atlassianNow);
  emu.clock.freeze();
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function callbackPort(): Promise<number> {
  const port = await freePort();
  emu.app().redirectUris.push(`http://localhost:${port}/callback`);
  return port;
}
function authorize(port: number, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  return startCli(["authorize", "--client-id", emu.app().clientId, "--port", String(port), "--no-open", ...extra], childEnv({ ...emu.env, JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret, ...env }));
}
const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\/authorize\?\S+)/;
async function consent(cli: ReturnType<typeof authorize>) {
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  await fetch((await consentAsBrowser(url)).location);
  return cli.done;
}
/** The consent time is Atlassian's clock at the exchange, cut to the second: never after it, seconds before at most. */
function expectAtlassianTime(value: string) {
  expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  expect(Date.parse(value)).toBeLessThanOrEqual(atlassianNow);
  expect(Date.parse(value)).toBeGreaterThanOrEqual(atlassianNow - 3000);
}

test("printed: the consent time, and next steps that set it next to the token", async () => {
  const result = await consent(authorize(await callbackPort()));
  expect(result.code).toBe(0);
  const [, printed] = /Consent time: (\S+) \(the grant expires 365 days after it/.exec(result.stderr)!;
  expectAtlassianTime(printed!);
  expect(result.stderr).toContain(`pulumi config set --plaintext <connector>.refreshTokenIssuedAt ${printed}`);
  expect(result.stderr).toContain(`refreshTokenIssuedAt: "${printed}"`);
});

test("--json: refreshTokenIssuedAt in the document", async () => {
  const result = await consent(authorize(await callbackPort(), ["--json"]));
  const json = JSON.parse(result.stdout);
  expectAtlassianTime(json.refreshTokenIssuedAt);
  expect(json.nextSteps).toContain(`pulumi config set --plaintext <connector>.refreshTokenIssuedAt ${json.refreshTokenIssuedAt}`);
});

test("--pulumi-config also sets `<key>IssuedAt` in plain text (before the secret), and says so", async () => {
  const fakeBin = path.join(tmp, "fake-pulumi-bin");
  fs.mkdirSync(fakeBin, { recursive: true });
  const log = path.join(tmp, "pulumi-calls");
  fs.writeFileSync(path.join(fakeBin, "pulumi"), `#!/bin/sh\nif [ "$1" = version ]; then echo v3.200.0; exit 0; fi\nprintf '%s\\n' "$*" >> "${log}.args"\ncat >> "${log}.stdin"\n`, { mode: 0o755 });
  const result = await consent(authorize(await callbackPort(), ["--pulumi-config", "acme.refreshToken", "--pulumi-stack", "dev"], { PATH: `${fakeBin}:${process.env.PATH}` }));
  expect(result.code).toBe(0);
  const calls = fs.readFileSync(`${log}.args`, "utf8").trim().split("\n");
  expect(calls).toHaveLength(2);
  const [, issuedAt] = /^config set --plaintext --stack dev acme\.refreshTokenIssuedAt (\S+)$/.exec(calls[0]!)!;
  expectAtlassianTime(issuedAt!);
  expect(calls[1]).toBe("config set --secret --stack dev acme.refreshToken");
  const token = fs.readFileSync(`${log}.stdin`, "utf8");
  expect(emu.family(token)).toMatchObject({ revoked: false });
  expect(result.stderr).toMatch(/and the consent time as the plain key "acme\.refreshTokenIssuedAt"/);
  expectNoSecrets(result.stdout + result.stderr + calls.join("\n"), [token, emu.app().clientSecret]);
});

test("--token-file writes a fresh record whose family starts at the consent; a file that holds a token is left alone", async () => {
  const file = path.join(tmp, "tokens", "acme.json");
  const result = await consent(authorize(await callbackPort(), ["--token-file", file, "--json"]));
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout);
  expect(json).toMatchObject({ ok: true, storedInTokenFile: true });
  expect(json).not.toHaveProperty("refreshToken");
  const stored = (await createFileStore({ path: file }).read())!;
  expect(stored.familyStartedAt).toBe(json.refreshTokenIssuedAt);
  expectAtlassianTime(stored.familyStartedAt);
  expect(emu.family(stored.refreshToken)).toMatchObject({ revoked: false, currentRefreshToken: stored.refreshToken });
  expectNoSecrets(result.stdout + result.stderr, [stored.refreshToken]);

  const again = await consent(authorize(await callbackPort(), ["--token-file", file]));
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already holds a refresh token .*left unchanged/);
  expect((await createFileStore({ path: file }).read())!.refreshToken).toBe(stored.refreshToken);
  const printed = again.stdout.trim(); // not lost: printed instead
  expect(emu.family(printed)).toMatchObject({ revoked: false });
});
