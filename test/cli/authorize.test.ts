/**
 * `jira-connector authorize` end to end: the built binary as a child process, the emulator as Atlassian, and the
 * test as the admin's browser (follow /authorize's redirect by hand, then request the callback URL).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as net from "net";
import { AtlassianClient } from "../../atlassian/client";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { consentAsBrowser } from "../support/browser";
import { tokenRequest } from "../emulator/helpers";
import { childEnv, expectNoSecrets, freePort, startCli } from "./helpers";

let emu: AtlassianEmulator;
let tmp: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 5 }] });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-authorize-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => emu.setConsent({ decision: "allow", accountId: undefined, sites: undefined }));

/** Registers a callback URL on a free port with the emulated app, as an admin does in the developer console. */
async function callbackPort(): Promise<number> {
  const port = await freePort();
  emu.app().redirectUris.push(`http://localhost:${port}/callback`);
  return port;
}

function authorize(port: number, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  return startCli(["authorize", "--client-id", emu.app().clientId, "--port", String(port), "--no-open", ...extra], childEnv({ ...emu.env, JIRA_CONNECTOR_CLIENT_SECRET: emu.app().clientSecret, ...env }));
}

const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\/authorize\?\S+)/;
const codeGrants = () => emu.requests.filter((r) => r.grantType === "authorization_code").length;

test("consent → callback → refresh token on stdout (alive, the grant's current one); state, scopes and URL are right", async () => {
  const port = await callbackPort();
  const cli = authorize(port);
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  const request = new URL(url);
  expect(Object.fromEntries(request.searchParams)).toMatchObject({
    audience: "api.atlassian.com",
    client_id: emu.app().clientId,
    redirect_uri: `http://localhost:${port}/callback`,
    response_type: "code",
    prompt: "consent",
  });
  const scopes = request.searchParams.get("scope")!.split(" ");
  expect(scopes).toHaveLength(14);
  expect(scopes).toContain("offline_access");
  const state = request.searchParams.get("state")!;
  expect(state.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url

  const { location } = await consentAsBrowser(url);
  const page = await fetch(location);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/Authorized/);
  const result = await cli.done;
  expect(result.code).toBe(0);

  const token = result.stdout.trim();
  const family = emu.family(token);
  expect(family).toMatchObject({ revoked: false, currentRefreshToken: token });
  expect(result.stderr).toMatch(/grant reaches: acme \(cloud ID/);
  expect(result.stderr).toMatch(/Each connector needs its own refresh token/);
  expectNoSecrets(result.stdout + result.stderr, [emu.app().clientSecret, new URL(location).searchParams.get("code")!]);
  // The printed token works.
  const tokens = await new AtlassianClient({ env: emu.env }).oauth.refresh({ clientId: emu.app().clientId, clientSecret: emu.app().clientSecret, refreshToken: token });
  expect(tokens.grantedScopes).toContain("read:user:jira");

  // A second authorization yields a second, independent token (one per connector).
  const second = authorize(port, ["--json"]);
  const [, url2] = await second.waitForStderr(AUTHORIZE_URL);
  expect(new URL(url2).searchParams.get("state")).not.toBe(state);
  await fetch((await consentAsBrowser(url2)).location);
  const json = JSON.parse((await second.done).stdout);
  expect(json).toMatchObject({ ok: true, sites: [{ name: "acme", cloudId: emu.site("acme").cloudId }], reminder: expect.stringMatching(/own refresh token/) });
  expect(json.refreshToken).not.toBe(token);
  expect(emu.family(json.refreshToken)?.id).not.toBe(family?.id);
});

test("a redirect with another state is refused: nothing is exchanged, exit 1", async () => {
  const port = await callbackPort();
  const cli = authorize(port);
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  const before = codeGrants();
  const { location } = await consentAsBrowser(url);
  const forged = new URL(location);
  forged.searchParams.set("state", "attacker-chosen-state-value-0123456789");
  const page = await fetch(forged);
  expect(page.status).toBe(400);
  const result = await cli.done;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/state does not match this authorization.*Nothing was exchanged/);
  expect(result.stdout).toBe("");
  expect(codeGrants()).toBe(before);
});

test("denied consent: an actionable message, exit 1, no token", async () => {
  emu.setConsent({ decision: "deny" });
  const port = await callbackPort();
  const cli = authorize(port, ["--json"]);
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  const { params, location } = await consentAsBrowser(url);
  expect(params.get("error")).toBe("access_denied");
  await fetch(location);
  const result = await cli.done;
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout)).toEqual({ ok: false, error: { code: "CONSENT_DENIED", message: expect.stringMatching(/denied on Atlassian's consent screen.*click Accept/) } });
});

test("a code that was already redeemed: the exchange is refused with what to do, exit 1", async () => {
  const port = await callbackPort();
  const cli = authorize(port);
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  const { location, params } = await consentAsBrowser(url);
  // Someone (a replayed browser history entry, an earlier attempt) redeems the code first.
  const first = await tokenRequest(emu, { grant_type: "authorization_code", client_id: emu.app().clientId, client_secret: emu.app().clientSecret, code: params.get("code"), redirect_uri: `http://localhost:${port}/callback` });
  expect(first.status).toBe(200);
  const page = await fetch(location);
  expect(page.status).toBe(400);
  const result = await cli.done;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/authorization code was refused \(invalid_grant.*single-use.*start the authorization again/);
  expect(result.stdout).toBe("");
});

test("no redirect within --timeout: exit 1 saying how to retry; stray requests do not end the wait", async () => {
  const port = await callbackPort();
  const cli = authorize(port, ["--timeout", "1"]);
  await cli.waitForStderr(AUTHORIZE_URL);
  expect((await fetch(`http://localhost:${port}/callback`)).status).toBe(400); // no code, no error: ignored
  expect((await fetch(`http://localhost:${port}/favicon.ico`)).status).toBe(404);
  const result = await cli.done;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/no redirect from Atlassian arrived within 1 s.*--timeout/);
});

test("a busy callback port: a clear error naming the port and the fix, before any consent URL", async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const result = await authorize(port).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`port ${port} on localhost is busy.*--port`));
    expect(result.stderr).not.toMatch(/authorize\?/);
  } finally {
    blocker.close();
  }
});

test("--pulumi-config stores the token with `pulumi config set --secret` (value on stdin) and does not print it", async () => {
  const fakeBin = path.join(tmp, "fake-pulumi-bin");
  fs.mkdirSync(fakeBin, { recursive: true });
  const log = path.join(tmp, "pulumi-call");
  fs.writeFileSync(
    path.join(fakeBin, "pulumi"),
    `#!/bin/sh\nif [ "$1" = version ]; then echo v3.200.0; exit 0; fi\nprintf '%s\\n' "$*" > "${log}.args"\ncat > "${log}.stdin"\n`,
    { mode: 0o755 },
  );
  const port = await callbackPort();
  const cli = authorize(port, ["--pulumi-config", "acme.refreshToken", "--pulumi-stack", "dev"], { PATH: `${fakeBin}:${process.env.PATH}` });
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  await fetch((await consentAsBrowser(url)).location);
  const result = await cli.done;
  expect(result.code).toBe(0);
  expect(fs.readFileSync(`${log}.args`, "utf8").trim()).toBe("config set --secret --stack dev acme.refreshToken");
  const stored = fs.readFileSync(`${log}.stdin`, "utf8");
  expect(emu.family(stored)).toMatchObject({ revoked: false, currentRefreshToken: stored });
  expectNoSecrets(result.stdout + result.stderr, [stored, emu.app().clientSecret]);
  expect(result.stderr).toMatch(/Stored the refresh token as the Pulumi secret "acme.refreshToken" in the project's namespace .* of stack dev/);
});

test("--pulumi-config without the Pulumi CLI fails before the consent starts", async () => {
  const port = await callbackPort();
  const result = await authorize(port, ["--pulumi-config", "refreshToken"], { PATH: path.join(tmp, "empty-path") }).done;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/needs the Pulumi CLI.*leave out --pulumi-config/);
  expect(result.stderr).not.toMatch(/authorize\?/);
});

test("a missing client secret is a usage error naming the flag and the variable", async () => {
  const result = await startCli(["authorize", "--client-id", "x", "--no-open"], childEnv({ ...emu.env })).done;
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/--client-secret \(or JIRA_CONNECTOR_CLIENT_SECRET\) is required/);
});

test("when `pulumi config set` fails, the token is printed so the authorization is not lost; exit 1", async () => {
  const fakeBin = path.join(tmp, "failing-pulumi-bin");
  fs.mkdirSync(fakeBin, { recursive: true });
  fs.writeFileSync(path.join(fakeBin, "pulumi"), `#!/bin/sh\nif [ "$1" = version ]; then echo v3.200.0; exit 0; fi\ncat >/dev/null\necho "error: no stack selected" >&2\nexit 255\n`, { mode: 0o755 });
  const port = await callbackPort();
  const cli = authorize(port, ["--pulumi-config", "refreshToken"], { PATH: `${fakeBin}:${process.env.PATH}` });
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  await fetch((await consentAsBrowser(url)).location);
  const result = await cli.done;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/Could not store the token in Pulumi config: .*exit 255: error: no stack selected/);
  const token = result.stdout.trim();
  expect(emu.family(token)).toMatchObject({ revoked: false, currentRefreshToken: token });
});
