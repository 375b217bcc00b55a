import { AtlassianUnavailableError, RequestPipeline } from "../../atlassian";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

let server: ScriptedServer;
let slept: number[];
let pipeline: RequestPipeline;
const logs: { event: string; fields?: unknown }[] = [];

beforeEach(async () => {
  server = await startScriptedServer();
  slept = [];
  logs.length = 0;
  const log = (event: string, fields?: unknown) => logs.push({ event, fields });
  pipeline = new RequestPipeline({
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    retry: { timeoutMs: 2000 }, // generous: a loaded 2-core CI machine once took over 300 ms to answer on loopback
    logger: { debug: log, info: log, warn: log },
  });
});
afterEach(() => server.close());

const get = (retry?: "idempotent" | "rate-limit-only") =>
  pipeline.send({ operation: "GET /thing", method: "GET", url: `${server.url}/thing`, retry });

test("429 with Retry-After waits exactly that long, then succeeds", async () => {
  server.reply({ status: 429, headers: { "retry-after": "3", "ratelimit-reason": "jira-burst-based" } }, { status: 200, body: '{"ok":true}' });
  const response = await get();
  expect(response.status).toBe(200);
  expect(response.attempts).toBe(2);
  expect(slept).toEqual([3000]);
  expect(pipeline.stats).toMatchObject({ requests: 2, retries: 1, rateLimited: 1, waitedMs: 3000 });
  expect(logs).toContainEqual({
    event: "atlassian.request.retry",
    fields: expect.objectContaining({ reason: "rate-limited", rateLimitReason: "jira-burst-based", delayMs: 3000 }),
  });
});

test("429 without Retry-After falls back to X-RateLimit-Reset, then to exponential backoff with jitter", async () => {
  const reset = new Date(Date.now() + 5000).toISOString();
  server.reply({ status: 429, headers: { "x-ratelimit-reset": reset } }, { status: 429 }, { status: 429 }, { status: 200 });
  await get();
  expect(slept[0]).toBeGreaterThan(3500);
  expect(slept[0]).toBeLessThanOrEqual(5000);
  expect(slept.slice(1)).toEqual([4000, 8000]);
});

test("an over-long Retry-After is returned to the caller instead of being slept through", async () => {
  server.reply({ status: 429, headers: { "retry-after": "1847" } });
  const response = await get();
  expect(response.status).toBe(429);
  expect(slept).toEqual([]);
});

test("5xx then success; retries are bounded", async () => {
  server.reply({ status: 502 }, { status: 200 });
  expect((await get()).status).toBe(200);
  server.reply(...Array.from({ length: 5 }, () => ({ status: 503 })));
  const response = await get();
  expect(response.status).toBe(503);
  expect(response.attempts).toBe(5);
  expect(pipeline.stats.serverErrors).toBe(6);
});

test.each([400, 401, 403, 404, 409])("never retries HTTP %i", async (status) => {
  server.reply({ status });
  expect((await get()).attempts).toBe(1);
  expect(server.received).toHaveLength(1);
});

test("a hung request times out and is retried", async () => {
  server.reply({ hang: true }, { status: 200, body: "{}" });
  const response = await get();
  expect(response.status).toBe(200);
  expect(pipeline.stats.timeouts).toBe(1);
});

test("timeouts exhaust into AtlassianUnavailableError", async () => {
  server.reply(...Array.from({ length: 5 }, () => ({ hang: true as const })));
  await expect(get()).rejects.toThrow(AtlassianUnavailableError);
  await expect(Promise.resolve(pipeline.stats.timeouts)).resolves.toBe(5);
});

test("rate-limit-only calls are not repeated after a 5xx, timeout or dropped connection", async () => {
  server.reply({ status: 500 });
  expect((await get("rate-limit-only")).attempts).toBe(1);
  server.reply({ destroy: true });
  await expect(get("rate-limit-only")).rejects.toThrow(/network error/);
  expect(server.received).toHaveLength(2);
});

test("connection refused on loopback: one quick retry, then an error naming the host, the cause and the override in effect", async () => {
  await server.close();
  const saved = process.env.JIRA_CONNECTOR_API_URL;
  process.env.JIRA_CONNECTOR_API_URL = server.url;
  try {
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlassianUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`GET /thing: could not reach ${new URL(server.url).host} (ECONNREFUSED, connection refused`);
    expect(message).toContain(`2 attempt(s)`);
    expect(message).toContain(`The host comes from JIRA_CONNECTOR_API_URL=${server.url}`);
    expect(message).not.toContain("/thing?"); // never the URL's path or query
    expect(slept).toEqual([250]);
    expect(pipeline.stats.networkErrors).toBe(2);
  } finally {
    if (saved === undefined) delete process.env.JIRA_CONNECTOR_API_URL;
    else process.env.JIRA_CONNECTOR_API_URL = saved;
  }
  server = await startScriptedServer();
});

test("a host that does not resolve: one quick retry; no override in effect, so the advice is the network", async () => {
  const failing = new RequestPipeline({
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    fetch: async () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND acme.atlassian.net"), { code: "ENOTFOUND" })),
  });
  const error = await failing.send({ operation: "GET /_edge/tenant_info", method: "GET", url: "https://acme.atlassian.net/_edge/tenant_info?x=secret-query" }).catch((e: unknown) => e);
  const message = (error as Error).message;
  expect(message).toContain("could not reach acme.atlassian.net (ENOTFOUND, the host name does not resolve (DNS); network error, 2 attempt(s))");
  expect(message).toContain("Check this machine's network, DNS and proxy settings");
  expect(message).not.toContain("secret-query");
  expect(slept).toEqual([250]);
});

test("a remote connection refused keeps the full bounded backoff (it may be a transient outage)", async () => {
  const failing = new RequestPipeline({
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    fetch: async () => Promise.reject(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })),
  });
  const error = await failing.send({ operation: "GET /x", method: "GET", url: "https://api.atlassian.com/x" }).catch((e: unknown) => e);
  expect((error as Error).message).toMatch(/could not reach api\.atlassian\.com \(ECONNREFUSED.*5 attempt\(s\)\)/);
  expect(slept).toEqual([2000, 4000, 8000, 16000]);
});

test("timeouts name the host and the per-attempt timeout", async () => {
  server.reply(...Array.from({ length: 5 }, () => ({ hang: true as const })));
  const message = ((await get().catch((e: unknown) => e)) as Error).message;
  expect(message).toContain(`could not reach ${new URL(server.url).host} (timeout; no answer within 2000 ms, 5 attempt(s))`);
});
