/** Refresh-token rotation state machine (atlassian-api.md §3.3) over real HTTP, driven by the emulator clock. */
import { startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { bearer, DAY, gatewayGet, MINUTE, refresh } from "./helpers";

let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 10, issues: 5, auditRecords: 5 }] });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.clock.unfreeze();
  emu.clock.freeze();
  emu.modes.expiredAccessTokenStatus = 401;
});

const INVALID_GRANT = { error: "invalid_grant", error_description: "Unknown or invalid refresh token." };

test("refresh returns the full body with a new refresh token", async () => {
  const { refreshToken } = emu.grant();
  const r = await refresh(emu, refreshToken);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    access_token: expect.any(String),
    refresh_token: expect.any(String),
    expires_in: 3600,
    scope: emu.app().scopes.join(" "),
    token_type: "Bearer",
  });
  expect(r.body.refresh_token).not.toBe(refreshToken);
  expect(emu.family(refreshToken)).toMatchObject({ rotations: 1, revoked: false, currentRefreshToken: r.body.refresh_token });
});

test("the rotated-out token still works inside the 10-minute leeway and its fresh pair becomes current", async () => {
  const { refreshToken: r0 } = emu.grant();
  const r1 = (await refresh(emu, r0)).body.refresh_token;
  emu.clock.advance(9 * MINUTE);
  const again = await refresh(emu, r0);
  expect(again.status).toBe(200);
  expect(emu.family(r0)!.currentRefreshToken).toBe(again.body.refresh_token);
  // R1 was retired by that exchange, but is itself still inside its own leeway.
  expect((await refresh(emu, r1)).status).toBe(200);
});

test("reuse outside the leeway → invalid_grant and the whole family is revoked", async () => {
  const { refreshToken: r0, familyId } = emu.grant();
  const r1 = (await refresh(emu, r0)).body.refresh_token;
  emu.clock.advance(10 * MINUTE);
  const reused = await refresh(emu, r0);
  expect(reused.status).toBe(403);
  expect(reused.body).toEqual(INVALID_GRANT);
  expect(emu.family(familyId)).toMatchObject({ revoked: true, revokedReason: "reuse" });
  const current = await refresh(emu, r1);
  expect(current.status).toBe(403);
  expect(current.body).toEqual(INVALID_GRANT);
});

test("90 days without using the current token → invalid_grant; each rotation restarts the clock", async () => {
  const { refreshToken } = emu.grant();
  emu.clock.advance(89 * DAY);
  const r1 = await refresh(emu, refreshToken);
  expect(r1.status).toBe(200);
  emu.clock.advance(90 * DAY);
  const expired = await refresh(emu, r1.body.refresh_token);
  expect(expired.status).toBe(403);
  expect(expired.body).toEqual(INVALID_GRANT);
  expect(emu.family(refreshToken)).toMatchObject({ revoked: true, revokedReason: "inactivity" });
});

test("365-day absolute expiry holds even with regular refreshes", async () => {
  const { refreshToken } = emu.grant();
  let current = refreshToken;
  for (let i = 0; i < 6; i++) {
    emu.clock.advance(60 * DAY); // refreshed every 60 days: never inactive; day 360 is the last one
    const r = await refresh(emu, current);
    expect(r.status).toBe(200);
    current = r.body.refresh_token;
  }
  const late = { body: { refresh_token: current } };
  emu.clock.advance(5 * DAY);
  const dead = await refresh(emu, late.body.refresh_token);
  expect(dead.status).toBe(403);
  expect(dead.body).toEqual(INVALID_GRANT);
  expect(emu.family(refreshToken)).toMatchObject({ revoked: true, revokedReason: "absolute-expiry" });
});

test("an access token dies when its companion refresh token's leeway ends, before its own exp", async () => {
  const { refreshToken } = emu.grant();
  const first = await refresh(emu, refreshToken);
  const oldAccess = first.body.access_token as string;
  expect((await gatewayGet(emu, "/myself", bearer(oldAccess))).status).toBe(200);
  const second = await refresh(emu, first.body.refresh_token);
  emu.clock.advance(9 * MINUTE);
  expect((await gatewayGet(emu, "/myself", bearer(oldAccess))).status).toBe(200);
  emu.clock.advance(1 * MINUTE);
  expect((await gatewayGet(emu, "/myself", bearer(oldAccess))).status).toBe(401);
  expect((await gatewayGet(emu, "/myself", bearer(second.body.access_token))).status).toBe(200);
});

test("access tokens expire after 3600 s; the status is switchable (401/403/404)", async () => {
  const { accessToken } = emu.grant();
  emu.clock.advance(3599_000);
  expect((await gatewayGet(emu, "/myself", bearer(accessToken))).status).toBe(200);
  emu.clock.advance(1000);
  const expired = await gatewayGet(emu, "/myself", bearer(accessToken));
  expect(expired.status).toBe(401);
  expect(expired.body).toEqual({ code: 401, message: "Unauthorized" });
  emu.modes.expiredAccessTokenStatus = 403;
  expect((await gatewayGet(emu, "/myself", bearer(accessToken))).status).toBe(403);
  emu.modes.expiredAccessTokenStatus = 404;
  expect((await gatewayGet(emu, "/myself", bearer(accessToken))).status).toBe(404);
});

test("a revoked family's access tokens stop working at once", async () => {
  const { refreshToken: r0, accessToken } = emu.grant();
  await refresh(emu, r0);
  emu.clock.advance(11 * MINUTE);
  await refresh(emu, r0); // reuse → family revoked
  const fresh = emu.family(r0)!;
  expect(fresh.revoked).toBe(true);
  expect((await gatewayGet(emu, "/myself", bearer(accessToken))).status).toBe(401);
});

test("unknown refresh token, wrong client secret, unknown client, non-JSON body", async () => {
  expect(await refresh(emu, "nope")).toMatchObject({ status: 403, body: INVALID_GRANT });
  const { refreshToken } = emu.grant();
  const app = emu.app();
  const wrong = await refresh(emu, refreshToken, { ...app, clientSecret: "wrong" });
  expect(wrong).toMatchObject({ status: 401, body: { error: "access_denied", error_description: "Unauthorized" } });
  expect(await refresh(emu, refreshToken, { ...app, clientId: "who" })).toMatchObject({ status: 401, body: { error: "access_denied" } });
  const form = await fetch(`${emu.authUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `grant_type=refresh_token&refresh_token=${refreshToken}`,
  });
  expect(form.status).toBe(400);
  // The failed attempts did not consume the token.
  expect((await refresh(emu, refreshToken)).status).toBe(200);
});

test("without offline_access no refresh token is issued", async () => {
  const grant = emu.grant({ scopes: ["read:user:jira"] });
  expect(grant.refreshToken).toBe("");
  expect(emu.family(grant.familyId)).toMatchObject({ currentRefreshToken: "" });
});

test("secrets never reach the request log", async () => {
  emu.clearRequests();
  const { refreshToken } = emu.grant();
  const r = await refresh(emu, refreshToken);
  await gatewayGet(emu, "/myself", bearer(r.body.access_token));
  const log = JSON.stringify(emu.requests);
  for (const secret of [refreshToken, r.body.refresh_token, r.body.access_token, emu.app().clientSecret]) expect(log).not.toContain(secret);
  expect(emu.requests[0]).toMatchObject({ host: "auth", path: "/oauth/token", method: "POST", grantType: "refresh_token", status: 200, auth: "none" });
  expect(emu.requests[1]).toMatchObject({ host: "api", site: "acme", path: "/rest/api/3/myself", auth: "bearer", status: 200 });
});
