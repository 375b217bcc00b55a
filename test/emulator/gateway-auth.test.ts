/** Which credential works on which host, the granular scope check, and admin-only 403s. */
import { DEFAULT_SCOPES, startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { basic, bearer, call, gatewayGet, siteGet } from "./helpers";

let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 20 }, { name: "globex", users: 10, plan: "FREE" }] });
});
afterAll(() => emu.close());

const acme = () => emu.site("acme");
const adminBasic = () => basic(acme().admin.email, acme().admin.apiToken);
const SERAPH_BODY = { message: "Client must be authenticated to access this resource.", "status-code": 401 };

test("tenant_info: cloud ID for a known site, HTML 404 for an unknown one; setCloudId changes it", async () => {
  expect((await call(`${emu.url}/site/acme/_edge/tenant_info`)).body).toEqual({ cloudId: acme().cloudId });
  const unknown = await call(`${emu.url}/site/nosuchsite/_edge/tenant_info`);
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get("content-type")).toMatch(/text\/html/);
  expect(unknown.body).toBeUndefined();
  const original = acme().cloudId;
  emu.setCloudId("acme", "11111111-2222-4333-8444-555555555555");
  expect((await call(`${emu.url}/site/acme/_edge/tenant_info`)).body).toEqual({ cloudId: "11111111-2222-4333-8444-555555555555" });
  emu.setCloudId("acme", original);
});

test("site host: classic token works; bearer, scoped token, bad token, no credentials → 401 Seraph", async () => {
  expect((await siteGet(emu, "/myself")).body.accountId).toBe(acme().admin.accountId);
  const { accessToken } = emu.grant();
  const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  for (const auth of [bearer(accessToken), basic(acme().admin.email, scoped), basic(acme().admin.email, "bad"), basic("x@y.z", acme().admin.apiToken)]) {
    const r = await siteGet(emu, "/myself", auth);
    expect(r.status).toBe(401);
    expect(r.body).toEqual(SERAPH_BODY);
    expect(r.headers.get("www-authenticate")).toBeTruthy();
    expect(r.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED");
  }
  expect((await call(`${emu.url}/site/acme/rest/api/3/myself`)).status).toBe(401);
  expect((await call(`${emu.url}/site/acme/rest/api/3/serverInfo`)).status).toBe(200); // anonymous
  // A token belongs to its site.
  expect((await siteGet(emu, "/myself", adminBasic(), "globex")).status).toBe(401);
});

test("gateway: bearer and scoped API token work; classic token and other sites' tokens do not", async () => {
  const { accessToken } = emu.grant();
  expect((await gatewayGet(emu, "/myself", bearer(accessToken))).body.accountId).toBe(acme().admin.accountId);
  const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
  expect((await gatewayGet(emu, "/myself", basic(acme().admin.email, scoped))).status).toBe(200);
  expect((await gatewayGet(emu, "/myself", adminBasic())).status).toBe(401);
  // cloudId outside the grant → 401 [A]; unknown cloudId → 404 [A].
  expect((await gatewayGet(emu, "/myself", bearer(accessToken), "globex")).status).toBe(401);
  expect((await call(`${emu.apiUrl}/ex/jira/00000000-0000-4000-8000-000000000000/rest/api/3/myself`, { auth: bearer(accessToken) })).status).toBe(404);
  expect((await call(`${emu.apiUrl}/ex/jira/${acme().cloudId}/rest/api/3/myself`)).status).toBe(401);
});

test("granular scope check: all Beta scopes required → 401 with X-Failure-Category", async () => {
  const partial = DEFAULT_SCOPES.filter((s) => s !== "read:avatar:jira");
  const { accessToken } = emu.grant({ scopes: partial });
  const r = await gatewayGet(emu, "/users/search", bearer(accessToken));
  expect(r.status).toBe(401);
  expect(r.body).toEqual({ code: 401, message: "Unauthorized; scope does not match" });
  expect(r.headers.get("x-failure-category")).toBe("FAILURE_CLIENT_SCOPE_CHECK");
  // instance/license needs only read:license:jira, which the grant holds.
  expect((await gatewayGet(emu, "/instance/license", bearer(accessToken))).status).toBe(200);
  // mypermissions needs read:permission:jira — not one of the 13 — for OAuth and scoped tokens alike.
  const full = emu.grant();
  expect((await gatewayGet(emu, "/mypermissions?permissions=ADMINISTER", bearer(full.accessToken))).status).toBe(401);
  const scoped = emu.createApiToken("acme", { scopes: ["read:license:jira"] });
  expect((await gatewayGet(emu, "/users/search", basic(acme().admin.email, scoped))).headers.get("x-failure-category")).toBe("FAILURE_CLIENT_SCOPE_CHECK");
  // Classic scope sets pass too [A].
  const classic = emu.createApiToken("acme", { scopes: ["read:jira-user"] });
  expect((await gatewayGet(emu, "/users/search", basic(acme().admin.email, classic))).status).toBe(200);
});

test("non-admin: 403 ErrorCollection on admin-only endpoints, fine elsewhere", async () => {
  const member = basic(acme().member.email, acme().member.apiToken);
  const license = await siteGet(emu, "/license/approximateLicenseCount", member);
  expect(license).toMatchObject({ status: 403, body: { errorMessages: ["Only Jira administrators can access license details."], errors: {} } });
  for (const path of ["/applicationrole", "/applicationrole/jira-software", "/license/approximateLicenseCount/product/jira-software", "/auditing/record"]) {
    const r = await siteGet(emu, path, member);
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ errorMessages: [expect.any(String)], errors: {} });
  }
  for (const path of ["/myself", "/users/search", "/group/bulk", "/instance/license", "/search/jql?jql=updated%3E%3D-30d"]) {
    expect((await siteGet(emu, path, member)).status).toBe(200);
  }
  const perms = await siteGet(emu, "/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS", member);
  expect(perms.body.permissions.ADMINISTER.havePermission).toBe(false);
  expect(perms.body.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
  expect((await siteGet(emu, "/mypermissions?permissions=ADMINISTER")).body.permissions.ADMINISTER).toMatchObject({ key: "ADMINISTER", type: "GLOBAL", havePermission: true });
  expect((await siteGet(emu, "/mypermissions")).status).toBe(400);
  expect((await siteGet(emu, "/mypermissions?permissions=NOPE")).status).toBe(400);
});

test("FREE plan: every product FREE and the audit log refused with 403", async () => {
  const globex = emu.site("globex");
  const auth = basic(globex.admin.email, globex.admin.apiToken);
  const license = await siteGet(emu, "/instance/license", auth, "globex");
  expect(license.body.applications.every((a: { plan: string }) => a.plan === "FREE")).toBe(true);
  const audit = await siteGet(emu, "/auditing/record", auth, "globex");
  expect(audit.status).toBe(403);
  expect(audit.body.errorMessages[0]).toMatch(/paid/i);
});

test("unknown paths → 404 ErrorCollection", async () => {
  const r = await siteGet(emu, "/no/such/thing");
  expect(r.status).toBe(404);
  expect(r.body).toEqual({ errorMessages: [expect.any(String)], errors: {} });
  expect((await siteGet(emu, "/applicationrole/nope")).status).toBe(404);
});

test("org API: last-active dates with the org API key", async () => {
  const { orgId, orgApiKey, admin } = acme();
  const url = `${emu.apiUrl}/admin/v1/orgs/${orgId}/directory/users/${admin.accountId}/last-active-dates`;
  expect((await call(url, { auth: bearer("wrong") })).status).toBe(401);
  const r = await call(url, { auth: bearer(orgApiKey) });
  expect(r.status).toBe(200);
  expect(r.body.links).toEqual({ next: null });
  expect(r.body.data.product_access[0]).toEqual({ id: expect.stringMatching(/^ari:cloud:jira-[a-z-]+::site\//), key: expect.any(String), last_active: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
});
