/** The consent flow played as a browser: follow the 302 by hand, then exchange the code. */
import { startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { bearer, call, MINUTE, tokenRequest } from "./helpers";

let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 10 }, { name: "globex", users: 10 }] });
});
afterAll(() => emu.close());
beforeEach(() => emu.setConsent({ decision: "allow", accountId: undefined, sites: undefined }));

function authorizeUrl(over: Record<string, string> = {}): string {
  const app = emu.app();
  const params = new URLSearchParams({
    audience: "api.atlassian.com",
    client_id: app.clientId,
    scope: app.scopes.join(" "),
    redirect_uri: app.redirectUris[0],
    state: "xyz-123",
    response_type: "code",
    prompt: "consent",
    ...over,
  });
  return `${emu.authUrl}/authorize?${params}`;
}

async function consent(over: Record<string, string> = {}): Promise<URL> {
  const r = await call(authorizeUrl(over));
  expect(r.status).toBe(302);
  return new URL(r.headers.get("location")!);
}

const exchange = (code: string, over: Record<string, string> = {}) =>
  tokenRequest(emu, { grant_type: "authorization_code", client_id: emu.app().clientId, client_secret: emu.app().clientSecret, code, redirect_uri: emu.app().redirectUris[0], ...over });

test("consent → callback with code and echoed state → tokens; the code is single-use", async () => {
  const location = await consent();
  expect(`${location.origin}${location.pathname}`).toBe(emu.app().redirectUris[0]);
  expect(location.searchParams.get("state")).toBe("xyz-123");
  const code = location.searchParams.get("code")!;
  const tokens = await exchange(code);
  expect(tokens.status).toBe(200);
  expect(tokens.body).toMatchObject({ expires_in: 3600, token_type: "Bearer", scope: emu.app().scopes.join(" ") });
  expect(tokens.body.refresh_token).toEqual(expect.any(String));
  const resources = await call(`${emu.apiUrl}/oauth/token/accessible-resources`, { auth: bearer(tokens.body.access_token) });
  expect(resources.body).toEqual([
    { id: emu.site("acme").cloudId, name: "acme", url: `${emu.url}/site/acme`, scopes: emu.app().scopes.filter((s) => s !== "offline_access"), avatarUrl: expect.any(String) },
  ]);
  const reused = await exchange(code);
  expect(reused).toMatchObject({ status: 403, body: { error: "invalid_grant" } });
  // [A] replaying a code revokes what it issued (RFC 6749 §4.1.2).
  expect(emu.family(tokens.body.refresh_token)?.revoked).toBe(true);
});

test("granted scopes = requested ∩ app scopes; no offline_access → no refresh token", async () => {
  const code = (await consent({ scope: "read:user:jira write:jira-work" })).searchParams.get("code")!;
  const tokens = await exchange(code);
  expect(tokens.body.scope).toBe("read:user:jira");
  expect(tokens.body.refresh_token).toBeUndefined();
});

test("denied consent → access_denied with state", async () => {
  emu.setConsent({ decision: "deny" });
  const location = await consent();
  expect(location.searchParams.get("error")).toBe("access_denied");
  expect(location.searchParams.get("error_description")).toEqual(expect.any(String));
  expect(location.searchParams.get("state")).toBe("xyz-123");
  expect(location.searchParams.get("code")).toBeNull();
});

test("unregistered redirect_uri → Atlassian's error page, never the callback", async () => {
  const r = await call(authorizeUrl({ redirect_uri: "https://evil.example/cb" }));
  expect(r.status).toBe(302);
  expect(r.headers.get("location")).toBe(
    "https://id.atlassian.com/error?error=unauthorized_client&error_description=redirect_uri%20is%20not%20registered%20for%20client:%20https%3A%2F%2Fevil.example%2Fcb",
  );
});

test("response_type and audience are checked", async () => {
  expect((await consent({ response_type: "token" })).searchParams.get("error")).toBe("unsupported_response_type");
  expect((await consent({ audience: "example.com" })).searchParams.get("error")).toBe("access_denied");
});

test("codes are bound to redirect_uri and client, burn on a failed redemption, and expire after 10 minutes [A]", async () => {
  const code1 = (await consent()).searchParams.get("code")!;
  expect(await exchange(code1, { redirect_uri: "http://localhost:9999/other" })).toMatchObject({ status: 403, body: { error: "invalid_grant" } });
  expect((await exchange(code1)).status).toBe(403); // a failed redemption burns the code [A]
  const code2 = (await consent()).searchParams.get("code")!;
  expect(await exchange(code2, { client_secret: "wrong" })).toMatchObject({ status: 401, body: { error: "access_denied", error_description: "Unauthorized" } });
  expect((await exchange(code2)).status).toBe(200); // the failed attempts did not burn it
  const code3 = (await consent()).searchParams.get("code")!;
  emu.clock.advance(10 * MINUTE);
  expect((await exchange(code3)).status).toBe(403);
});

test("consent for another account and several sites; accessible-resources follows the grant", async () => {
  const member = emu.site("acme").member;
  emu.setConsent({ accountId: member.accountId, sites: ["acme", "globex"] });
  const code = (await consent()).searchParams.get("code")!;
  const tokens = await exchange(code);
  const resources = await call(`${emu.apiUrl}/oauth/token/accessible-resources`, { auth: bearer(tokens.body.access_token) });
  expect(resources.body.map((r: { name: string }) => r.name)).toEqual(["acme", "globex"]);
  const me = await call(`${emu.apiUrl}/ex/jira/${emu.site("globex").cloudId}/rest/api/3/myself`, { auth: bearer(tokens.body.access_token) });
  expect(me.body.accountId).toBe(member.accountId);
  emu.removeSite("globex");
  const after = await call(`${emu.apiUrl}/oauth/token/accessible-resources`, { auth: bearer(tokens.body.access_token) });
  expect(after.body.map((r: { name: string }) => r.name)).toEqual(["acme"]);
  emu.removeSite("acme");
  expect((await call(`${emu.apiUrl}/oauth/token/accessible-resources`, { auth: bearer(tokens.body.access_token) })).body).toEqual([]);
});
