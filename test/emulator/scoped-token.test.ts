/**
 * API-token lifecycle: scoped tokens (gateway only, always expiring), classic tokens (site host only, optional
 * expiry), the 1–365-day window of Atlassian's dialog, expiry and revocation on the emulator clock.
 */
import { DEFAULT_SCOPES, startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { basic, DAY, gatewayGet, siteGet } from "./helpers";

let emu: AtlassianEmulator;
let t0: number;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 20 }], startTime: Date.UTC(2026, 5, 1, 12) });
  emu.clock.freeze();
  t0 = emu.clock.now();
});
afterEach(() => emu.clock.set(t0));
afterAll(() => emu.close());

const acme = () => emu.site("acme");
const as = (token: string) => basic(acme().admin.email, token);
const SERAPH_BODY = { message: "Client must be authenticated to access this resource.", "status-code": 401 };
const GATEWAY_401 = { code: 401, message: "Unauthorized" };

async function expectSeraph401(token: string) {
  const r = await siteGet(emu, "/myself", as(token));
  expect(r.status).toBe(401);
  expect(r.body).toEqual(SERAPH_BODY);
  expect(r.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED");
  expect(r.headers.get("www-authenticate")).toMatch(/^OAuth realm=/);
}

async function expectGateway401(token: string, path = "/myself") {
  const r = await gatewayGet(emu, path, as(token));
  expect(r.status).toBe(401);
  expect(r.body).toEqual(GATEWAY_401);
  expect(r.headers.get("x-failure-category")).toBeNull();
}

test("metadata: scoped tokens expire in 365 days by default; classic ones only when asked; seeded ones never", () => {
  const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  expect(emu.apiTokenInfo(scoped)).toEqual({
    kind: "scoped",
    site: "acme",
    accountId: acme().admin.accountId,
    scopes: DEFAULT_SCOPES,
    createdAt: t0,
    expiresAt: t0 + 365 * DAY,
    revoked: false,
    active: true,
  });
  const classic = emu.createApiToken("acme", { accountId: acme().member.accountId });
  expect(emu.apiTokenInfo(classic)).toEqual({ kind: "classic", site: "acme", accountId: acme().member.accountId, createdAt: t0, revoked: false, active: true });
  expect(emu.apiTokenInfo(emu.createApiToken("acme", { expiresInDays: 30 }))).toMatchObject({ kind: "classic", expiresAt: t0 + 30 * DAY });
  expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes: ["read:jira-user"], expiresAt: new Date(t0 + 7 * DAY) }))).toMatchObject({ kind: "scoped", expiresAt: t0 + 7 * DAY });
  const seeded = emu.apiTokenInfo(acme().admin.apiToken);
  expect(seeded).toMatchObject({ kind: "classic", accountId: acme().admin.accountId, active: true });
  expect(seeded).not.toHaveProperty("expiresAt");
  expect(emu.apiTokenInfo("ATATT-never-issued")).toBeUndefined();
  // The info is a copy.
  emu.apiTokenInfo(scoped)!.scopes!.push("write:jira-work");
  expect(emu.apiTokenInfo(scoped)!.scopes).toEqual(DEFAULT_SCOPES);
});

test("expiry outside 1–365 days from now is refused for scoped and classic tokens alike", () => {
  for (const scopes of [DEFAULT_SCOPES, undefined]) {
    for (const bad of [{ expiresInDays: 0 }, { expiresInDays: 366 }, { expiresInDays: 1.5 }, { expiresInDays: -1 }, { expiresAt: t0 + DAY - 1 }, { expiresAt: t0 + 365 * DAY + 1 }, { expiresAt: t0 - DAY }, { expiresAt: Number.NaN }, { expiresAt: t0 + DAY, expiresInDays: 1 }]) {
      expect(() => emu.createApiToken("acme", { scopes, ...bad })).toThrow();
    }
    expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes, expiresAt: t0 + DAY }))!.expiresAt).toBe(t0 + DAY);
    expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes, expiresAt: t0 + 365 * DAY }))!.expiresAt).toBe(t0 + 365 * DAY);
    expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes, expiresInDays: 1 }))!.expiresAt).toBe(t0 + DAY);
    expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes, expiresInDays: 365 }))!.expiresAt).toBe(t0 + 365 * DAY);
  }
  // The window is relative to the emulator clock, not to real time.
  emu.clock.advance(400 * DAY);
  expect(emu.apiTokenInfo(emu.createApiToken("acme", { scopes: DEFAULT_SCOPES }))!.expiresAt).toBe(t0 + 765 * DAY);
  expect(() => emu.createApiToken("acme", { scopes: DEFAULT_SCOPES, expiresAt: t0 + 365 * DAY })).toThrow();
});

test("scoped token on the gateway: valid 1 ms before its expiry, 401 at and after it", async () => {
  const token = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES, expiresInDays: 3 });
  const expiresAt = t0 + 3 * DAY;
  emu.clock.set(expiresAt - 1);
  const before = await gatewayGet(emu, "/myself", as(token));
  expect(before.status).toBe(200);
  expect(before.body.accountId).toBe(acme().admin.accountId);
  expect(emu.apiTokenInfo(token)!.active).toBe(true);
  emu.clock.set(expiresAt);
  await expectGateway401(token);
  expect(emu.apiTokenInfo(token)).toMatchObject({ active: false, revoked: false, expiresAt });
  // Authentication comes before the scope check: an expired token gets the plain 401, not the scope mismatch.
  await expectGateway401(token, "/mypermissions?permissions=ADMINISTER");
  emu.clock.advance(30 * DAY);
  await expectGateway401(token);
  // Default expiry: 365 days.
  const lasting = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  emu.clock.advance(365 * DAY - 1);
  expect((await gatewayGet(emu, "/myself", as(lasting))).status).toBe(200);
  emu.clock.advance(1);
  await expectGateway401(lasting);
});

test("classic token with an expiry on the site host: valid 1 ms before, Seraph 401 at and after", async () => {
  const token = emu.createApiToken("acme", { expiresAt: t0 + DAY });
  emu.clock.set(t0 + DAY - 1);
  expect((await siteGet(emu, "/myself", as(token))).status).toBe(200);
  emu.clock.set(t0 + DAY);
  await expectSeraph401(token);
  emu.clock.advance(DAY);
  await expectSeraph401(token);
});

test("classic tokens without an expiry keep working years later", async () => {
  const created = emu.createApiToken("acme", {});
  emu.clock.advance(10 * 365 * DAY);
  for (const token of [created, acme().admin.apiToken]) {
    const r = await siteGet(emu, "/myself", as(token));
    expect(r.status).toBe(200);
    expect(r.body.accountId).toBe(acme().admin.accountId);
    expect(emu.apiTokenInfo(token)!.active).toBe(true);
  }
});

test("revocation: 401 from then on, like expiry, on either host; recorded in the metadata", async () => {
  const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  const classic = emu.createApiToken("acme", {});
  const other = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  expect((await gatewayGet(emu, "/myself", as(scoped))).status).toBe(200);
  expect((await siteGet(emu, "/myself", as(classic))).status).toBe(200);
  emu.clock.advance(5_000);
  emu.revokeApiToken(scoped);
  emu.revokeApiToken(classic);
  await expectGateway401(scoped);
  await expectSeraph401(classic);
  expect(emu.apiTokenInfo(scoped)).toMatchObject({ revoked: true, revokedAt: t0 + 5_000, active: false, expiresAt: t0 + 365 * DAY });
  expect(emu.apiTokenInfo(classic)).toMatchObject({ revoked: true, revokedAt: t0 + 5_000, active: false });
  // Revoking again keeps the first time; other tokens are untouched; unknown tokens throw.
  emu.clock.advance(5_000);
  emu.revokeApiToken(scoped);
  expect(emu.apiTokenInfo(scoped)!.revokedAt).toBe(t0 + 5_000);
  expect((await gatewayGet(emu, "/myself", as(other))).status).toBe(200);
  expect(() => emu.revokeApiToken("ATATT-never-issued")).toThrow();
  // Going back in time does not undo a revocation.
  emu.clock.set(t0);
  await expectGateway401(scoped);
});

test("host binding: a scoped token on the site host gets the Seraph 401, a classic token on the gateway the gateway 401", async () => {
  const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  const classic = emu.createApiToken("acme", { expiresInDays: 90 });
  expect((await gatewayGet(emu, "/myself", as(scoped))).status).toBe(200);
  expect((await siteGet(emu, "/myself", as(classic))).status).toBe(200);
  await expectSeraph401(scoped);
  await expectGateway401(classic);
  await expectGateway401(acme().admin.apiToken);
  // Another account's email with a valid token: refused on both hosts.
  expect((await gatewayGet(emu, "/myself", basic(acme().member.email, scoped))).status).toBe(401);
  expect((await siteGet(emu, "/myself", basic(acme().member.email, classic))).status).toBe(401);
});

test("scope denial: a scoped token lacking an operation's scope gets the scope-mismatch 401 until it expires", async () => {
  const token = emu.createApiToken("acme", { scopes: ["read:license:jira"], expiresInDays: 1 });
  expect((await gatewayGet(emu, "/instance/license", as(token))).status).toBe(200);
  const denied = await gatewayGet(emu, "/users/search", as(token));
  expect(denied.status).toBe(401);
  expect(denied.body).toEqual({ code: 401, message: "Unauthorized; scope does not match" });
  expect(denied.headers.get("x-failure-category")).toBe("FAILURE_CLIENT_SCOPE_CHECK");
  emu.clock.advance(DAY);
  await expectGateway401(token, "/instance/license");
  await expectGateway401(token, "/users/search");
});
