/** Fault injection: each action, matching by host/method/path, `times`, and latency. */
import { startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { call, refresh, siteGet } from "./helpers";

let emu: AtlassianEmulator;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 10 }] });
});
afterAll(() => emu.close());
beforeEach(() => emu.faults.clear());

test("status fault fires `times` times, then normal service resumes", async () => {
  emu.faults.add({ match: { host: "site", path: "/rest/api/3/myself" }, times: 2, action: { kind: "status", status: 503, headers: { "Retry-After": "3" } } });
  const first = await siteGet(emu, "/myself");
  expect(first.status).toBe(503);
  expect(first.headers.get("retry-after")).toBe("3");
  expect((await siteGet(emu, "/myself")).status).toBe(503);
  expect((await siteGet(emu, "/myself")).status).toBe(200);
});

test("matching honours host, method and RegExp paths; unmatched rules stay armed", async () => {
  emu.faults.add({ match: { host: "api", path: /myself/ }, action: { kind: "status", status: 500, body: "boom" } });
  emu.faults.add({ match: { method: "POST", path: /^\/rest\/api\/3\/search/ }, action: { kind: "status", status: 502 } });
  expect((await siteGet(emu, "/myself")).status).toBe(200);
  expect((await siteGet(emu, "/search/jql?jql=updated%3E%3D-1d")).status).toBe(200);
  emu.faults.add({ match: { path: /^\/rest\/api\/3\/(users|group)/ }, times: Infinity, action: { kind: "status", status: 500, body: "<html>oops</html>" } });
  for (let i = 0; i < 3; i++) {
    const r = await siteGet(emu, "/users/search");
    expect(r.status).toBe(500);
    expect(r.text).toBe("<html>oops</html>");
  }
});

test("malformed JSON, hang and connection reset", async () => {
  emu.faults.add({ match: { path: "/_edge/tenant_info" }, action: { kind: "malformed-json" } });
  const bad = await call(`${emu.url}/site/acme/_edge/tenant_info`);
  expect(bad.status).toBe(200);
  expect(() => JSON.parse(bad.text)).toThrow();

  emu.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "hang" } });
  await expect(fetch(`${emu.url}/site/acme/rest/api/3/myself`, { signal: AbortSignal.timeout(150) })).rejects.toThrow();

  emu.faults.add({ match: { path: "/rest/api/3/serverInfo" }, action: { kind: "reset" } });
  await expect(fetch(`${emu.url}/site/acme/rest/api/3/serverInfo`)).rejects.toThrow();
});

test("rate-limit fault with and without Retry-After", async () => {
  emu.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "rate-limit", retryAfterSeconds: 1800, reason: "jira-quota-global-based" } });
  emu.faults.add({ match: { path: "/rest/api/3/myself" }, action: { kind: "rate-limit", retryAfterSeconds: null } });
  const first = await siteGet(emu, "/myself");
  expect(first.status).toBe(429);
  expect(first.headers.get("retry-after")).toBe("1800");
  expect(first.headers.get("ratelimit-reason")).toBe("jira-quota-global-based");
  const second = await siteGet(emu, "/myself");
  expect(second.status).toBe(429);
  expect(second.headers.get("retry-after")).toBeNull();
  expect(second.headers.get("x-failure-category")).toBe("FAILURE CLIENT RATE LIMITED");
});

test("omit-refresh-token: the response lacks refresh_token and the presented token stays current", async () => {
  const { refreshToken } = emu.grant();
  emu.faults.add({ match: { path: "/oauth/token" }, action: { kind: "omit-refresh-token" } });
  const r = await refresh(emu, refreshToken);
  expect(r.status).toBe(200);
  expect(r.body.refresh_token).toBeUndefined();
  expect(r.body.access_token).toEqual(expect.any(String));
  expect(emu.family(refreshToken)).toMatchObject({ currentRefreshToken: refreshToken, rotations: 0 });
  expect((await refresh(emu, refreshToken)).body.refresh_token).toEqual(expect.any(String));
});

test("truncate-body: the exchange really rotates, and only the first bytes of its genuine answer are sent", async () => {
  const { refreshToken } = emu.grant();
  let full = "";
  emu.faults.add({ match: { host: "auth", path: "/oauth/token" }, action: { kind: "truncate-body", bytes: 40, seen: (body) => (full = body) } });
  const r = await refresh(emu, refreshToken);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-length")).toBe("40");
  expect(r.text).toBe(full.slice(0, 40));
  const family = emu.family(refreshToken)!;
  expect(family.rotations).toBe(1);
  expect(JSON.parse(full).refresh_token).toBe(family.currentRefreshToken);
  // The presented token is inside its leeway: a retry with it succeeds.
  expect((await refresh(emu, refreshToken)).status).toBe(200);
});

test("latency: per-fault delay", async () => {
  emu.faults.add({ match: { path: "/rest/api/3/serverInfo" }, action: { kind: "latency", ms: 120 } });
  const t0 = Date.now();
  expect((await siteGet(emu, "/serverInfo")).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  expect(emu.requests.at(-1)).toMatchObject({ path: "/rest/api/3/serverInfo", status: 200 });
});

test("global latencyMs option delays every response", async () => {
  const slow = await startAtlassianEmulator({ latencyMs: 80, sites: [{ name: "acme", users: 5 }] });
  try {
    const t0 = Date.now();
    await call(`${slow.url}/site/acme/_edge/tenant_info`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
  } finally {
    await slow.close();
  }
});
