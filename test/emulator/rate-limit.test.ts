/** Burst bucket per site × endpoint × method, hourly points quota per OAuth app, and the 429 variants. */
import { DEFAULT_SCOPES, startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { basic, bearer, gatewayGet, siteGet } from "./helpers";

const START = Date.UTC(2025, 5, 1, 12, 30, 0); // half past: the quota resets in 1800 s

describe("burst", () => {
  let emu: AtlassianEmulator;
  beforeAll(async () => {
    emu = await startAtlassianEmulator({ startTime: START, burst: { perSecond: 1 }, sites: [{ name: "acme", users: 10 }, { name: "globex", users: 10 }] });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.modes.rateLimitWithoutRetryAfter = false;
    emu.modes.rateLimitHtmlBody = false;
    emu.clock.advance(10_000); // refill every bucket
  });

  // A 1/s bucket keeps the test robust on slow machines: buckets refill in real time too (a frozen clock
  // must not starve them), so only the second call within one real second is guaranteed to be refused.
  test("the 2nd call within a second → 429 jira-burst-based; other endpoints and sites have their own bucket", async () => {
    expect((await siteGet(emu, "/myself")).status).toBe(200);
    const limited = await siteGet(emu, "/myself");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("x-ratelimit-limit")).toBe("1");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(limited.headers.get("ratelimit-reason")).toBe("jira-burst-based");
    expect((await siteGet(emu, "/serverInfo")).status).toBe(200);
    const globex = emu.site("globex");
    expect((await siteGet(emu, "/myself", basic(globex.admin.email, globex.admin.apiToken), "globex")).status).toBe(200);
    // Buckets are per path template: different role keys share /applicationrole/{key}.
    expect((await siteGet(emu, "/applicationrole/jira-software")).status).toBe(200);
    expect((await siteGet(emu, "/applicationrole/jira-servicedesk")).status).toBe(429);
    emu.clock.advance(1000);
    expect((await siteGet(emu, "/myself")).status).toBe(200);
  });

  test("normal responses carry X-RateLimit-Limit/Remaining (burst bucket for API-token traffic)", async () => {
    const first = await siteGet(emu, "/myself");
    expect(first.headers.get("x-ratelimit-limit")).toBe("1");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(first.headers.get("x-ratelimit-nearlimit")).toBe("true");
  });

  test("modes: 429 without Retry-After (gateway style) and with an HTML body", async () => {
    emu.modes.rateLimitWithoutRetryAfter = true;
    emu.modes.rateLimitHtmlBody = true;
    await siteGet(emu, "/myself");
    const limited = await siteGet(emu, "/myself");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeNull();
    expect(limited.headers.get("x-failure-category")).toBe("FAILURE CLIENT RATE LIMITED");
    expect(limited.headers.get("content-type")).toMatch(/text\/html/);
    expect(limited.text).toMatch(/<html/);
  });
});

describe("points quota", () => {
  let emu: AtlassianEmulator;
  const other = { clientId: "other-app", clientSecret: "other-secret", redirectUris: ["http://localhost/cb"], scopes: DEFAULT_SCOPES };
  beforeAll(async () => {
    emu = await startAtlassianEmulator({
      startTime: START,
      pointsPerHour: 50,
      apps: [{ clientId: "emulator-client-id", clientSecret: "emulator-client-secret", redirectUris: ["http://localhost:8080/callback"], scopes: DEFAULT_SCOPES }, other],
      sites: [{ name: "acme", users: 30 }, { name: "globex", users: 30 }],
    });
    emu.clock.freeze();
  });
  afterAll(() => emu.close());

  test("OAuth traffic pays 1 + 2 per user; the app's pool is shared by all tenants; Basic is exempt; reset on the hour", async () => {
    const acmeToken = bearer(emu.grant({ sites: ["acme", "globex"] }).accessToken);
    const first = await gatewayGet(emu, "/users/search?maxResults=10", acmeToken);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("50");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("29"); // 50 − (1 + 2×10)
    expect(first.headers.get("x-ratelimit-nearlimit")).toBeNull();
    expect(first.headers.get("ratelimit-policy")).toBe('"global-app-quota";q=50;w=3600');
    const second = await gatewayGet(emu, "/users/search?maxResults=10", acmeToken, "globex");
    expect(second.headers.get("x-ratelimit-remaining")).toBe("8");
    expect(second.headers.get("x-ratelimit-nearlimit")).toBe("true");
    expect((await gatewayGet(emu, "/users/search?maxResults=10", acmeToken)).status).toBe(200); // overshoots: charged after
    const refused = await gatewayGet(emu, "/instance/license", acmeToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit-reason")).toBe("jira-quota-global-based");
    expect(refused.headers.get("retry-after")).toBe("1800");
    expect(refused.headers.get("x-ratelimit-reset")).toBe("2025-06-01T13:00:00Z");
    // Another app has its own pool; API-token traffic pays nothing.
    expect((await gatewayGet(emu, "/instance/license", bearer(emu.grant({ clientId: "other-app" }).accessToken))).status).toBe(200);
    expect((await siteGet(emu, "/users/search?maxResults=10")).status).toBe(200);
    const scoped = emu.createApiToken("acme", { scopes: DEFAULT_SCOPES });
    expect((await gatewayGet(emu, "/users/search", basic(emu.site("acme").admin.email, scoped))).status).toBe(200);
    emu.clock.set(Date.UTC(2025, 5, 1, 13, 0, 0));
    const fresh = bearer(emu.grant().accessToken);
    expect((await gatewayGet(emu, "/instance/license", fresh)).status).toBe(200);
  });
});
