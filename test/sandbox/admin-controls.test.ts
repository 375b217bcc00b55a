/**
 * The sandbox's admin controls (/_sandbox/…) over real HTTP on loopback: clock, faults, revocation, consent and the
 * request log, and the refusals that keep a web page from driving them.
 */
import { startSandbox, type Sandbox } from "../../sandbox/start";

let sb: Sandbox;
beforeEach(async () => void (sb = await startSandbox({ users: 6 })));
afterEach(() => sb.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sb.adminUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

const site = () => sb.sites[0];
const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`;
const myself = () => fetch(`${sb.url}/site/acme/rest/api/3/myself`, { headers: { Authorization: basic(site().admin.email, site().admin.apiToken) } });
const refresh = (refreshToken: string) =>
  fetch(`${sb.env.JIRA_CONNECTOR_AUTH_URL}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "refresh_token", client_id: sb.app.clientId, client_secret: sb.app.clientSecret, refresh_token: refreshToken }),
  });

test("GET /_sandbox lists the controls and the env", async () => {
  const { status, json } = await call("GET", "");
  expect(status).toBe(200);
  expect(json.env).toEqual(sb.env);
  expect(json.endpoints.join("\n")).toMatch(/POST\s+\/_sandbox\/clock[\s\S]*POST\s+\/_sandbox\/faults[\s\S]*POST\s+\/_sandbox\/revoke[\s\S]*GET\s+\/_sandbox\/requests/);
});

test("POST /_sandbox/clock advances, sets and freezes the emulator clock", async () => {
  const before = sb.emulator.clock.now();
  const advanced = await call("POST", "/clock", { advanceMs: 90 * 86_400_000 });
  expect(advanced.status).toBe(200);
  expect(Date.parse(advanced.json.now) - before).toBeGreaterThanOrEqual(90 * 86_400_000);
  const set = await call("POST", "/clock", { set: "2030-01-02T03:04:05.000Z", freeze: true });
  expect(set.json.now).toBe("2030-01-02T03:04:05.000Z");
  expect((await call("GET", "/clock")).json.now).toBe("2030-01-02T03:04:05.000Z");
  // The site's Date header follows the emulator clock.
  expect((await myself()).headers.get("date")).toBe("Wed, 02 Jan 2030 03:04:05 GMT");
  expect(await call("POST", "/clock", { advanceMs: "soon" })).toEqual({ status: 400, json: { error: "advanceMs must be a number of milliseconds" } });
});

test("POST /_sandbox/faults injects a fault for `times` matching requests; DELETE removes every fault", async () => {
  const added = await call("POST", "/faults", { match: { host: "site", path: "/rest/api/3/myself" }, action: { kind: "status", status: 503 }, times: 2 });
  expect(added.status).toBe(201);
  expect([(await myself()).status, (await myself()).status, (await myself()).status]).toEqual([503, 503, 200]);
  await call("POST", "/faults", { match: { pathPattern: "^/rest/api/3/my" }, action: { kind: "rate-limit", retryAfterSeconds: 7 }, times: "always" });
  const limited = await myself();
  expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);
  expect((await myself()).status).toBe(429);
  expect((await call("DELETE", "/faults")).status).toBe(200);
  expect((await myself()).status).toBe(200);
  const bad = await call("POST", "/faults", { match: { host: "moon" }, action: { kind: "status", status: 503 } });
  expect(bad).toEqual({ status: 400, json: { error: "match.host must be auth, api or site" } });
  expect((await call("POST", "/faults", { action: { kind: "explode" } })).json.error).toMatch(/^action\.kind must be one of status, rate-limit/);
});

test("POST /_sandbox/revoke kills an OAuth grant or an API token; unknown ones are 404", async () => {
  const { refreshToken } = sb.emulator.grant();
  expect((await call("POST", "/revoke", { refreshToken })).json).toEqual({ ok: true, revoked: "oauth-grant" });
  const refused = await refresh(refreshToken);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ error: "invalid_grant" });
  expect((await myself()).status).toBe(200);
  expect((await call("POST", "/revoke", { apiToken: site().admin.apiToken })).json).toEqual({ ok: true, revoked: "api-token" });
  expect((await myself()).status).toBe(401);
  expect(await call("POST", "/revoke", { apiToken: "never-issued-token" })).toEqual({ status: 404, json: { error: "unknown API token" } });
  expect((await call("POST", "/revoke", {})).status).toBe(400);
});

test("POST /_sandbox/consent deny: the consent redirect carries access_denied", async () => {
  expect((await call("POST", "/consent", { decision: "deny" })).json).toEqual({ ok: true, decision: "deny" });
  const url = `${sb.env.JIRA_CONNECTOR_AUTH_URL}/authorize?audience=api.atlassian.com&client_id=${sb.app.clientId}&scope=${encodeURIComponent("read:jira-user offline_access")}&redirect_uri=${encodeURIComponent(sb.app.redirectUris[0])}&state=s1&response_type=code&prompt=consent`;
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
});

test("GET /_sandbox/requests returns the secret-free log from `since`; admin calls are not logged", async () => {
  await call("DELETE", "/requests");
  await myself();
  const first = await call("GET", "/requests");
  expect(first.json.next).toBe(1);
  expect(first.json.requests).toEqual([expect.objectContaining({ method: "GET", host: "site", site: "acme", path: "/rest/api/3/myself", auth: "basic", status: 200 })]);
  expect(JSON.stringify(first.json)).not.toContain(site().admin.apiToken);
  await myself();
  const later = await call("GET", `/requests?since=${first.json.next}`);
  expect([later.json.requests.length, later.json.next]).toEqual([1, 2]);
});

test("refused: another page's Origin (403), a non-JSON body (400), an unknown control (404)", async () => {
  const fromPage = await call("POST", "/clock", { advanceMs: 1 }, { Origin: "https://evil.example" });
  expect(fromPage).toEqual({ status: 403, json: { error: "requests from web pages are refused" } });
  const form = await fetch(`${sb.adminUrl}/faults`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" });
  expect([form.status, await form.json()]).toEqual([400, { error: "send the body as JSON (Content-Type: application/json)" }]);
  const unknown = await call("GET", "/nope");
  expect(unknown.status).toBe(404);
  expect(unknown.json.error).toBe("no such control: GET /_sandbox/nope");
});
