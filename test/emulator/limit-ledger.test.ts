/** `modes.rateLimitEveryNth` and the emulator's own count of requests sent while a 429 it sent was in force. */
import { startAtlassianEmulator, type AtlassianEmulator } from "../support/atlassian-emulator";
import { basic, siteGet } from "./helpers";

let emu: AtlassianEmulator;
let auth: string;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 10 }] });
  const admin = emu.site("acme").admin;
  auth = basic(admin.email, admin.apiToken);
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.modes.rateLimitEveryNth = null;
  emu.limitLedger.reset();
  emu.limitLedger.overlapMs = 0; // every arrival inside a window counts as sent into it
  emu.clock.advance(10_000); // past any window, buckets full
});

test("every Nth Jira request is a 429 with Retry-After; successes carry no rate-limit headers", async () => {
  emu.modes.rateLimitEveryNth = { every: 3, retryAfterSeconds: 2 };
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const got = await siteGet(emu, "/myself", auth);
    statuses.push(got.status);
    if (got.status === 200) expect(got.headers.get("x-ratelimit-limit")).toBeNull();
    else expect(got.headers.get("retry-after")).toBe("2");
    emu.clock.advance(3000); // each request after the previous window
  }
  expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  expect(emu.limitLedger.totals).toEqual({ announced: 2, duringKnownLimit: 0, inFlightAtLimit: 0 });
});

test("a request on the same route inside the Retry-After window is counted; other routes and later requests are not", async () => {
  emu.modes.rateLimitEveryNth = { every: 1, retryAfterSeconds: 5 };
  expect((await siteGet(emu, "/myself", auth)).status).toBe(429);
  emu.modes.rateLimitEveryNth = null;
  await siteGet(emu, "/myself", auth); // inside the window: the client knew
  await siteGet(emu, "/serverInfo", auth); // another route
  expect(emu.limitLedger.totals).toMatchObject({ announced: 1, duringKnownLimit: 1 });
  emu.clock.advance(5000);
  await siteGet(emu, "/myself", auth);
  expect(emu.limitLedger.totals).toMatchObject({ announced: 1, duringKnownLimit: 1 });
});

test("within the overlap allowance an arrival counts as in flight, not as sent into the limit", async () => {
  emu.limitLedger.overlapMs = 60_000;
  emu.modes.rateLimitEveryNth = { every: 1, retryAfterSeconds: 5 };
  await siteGet(emu, "/myself", auth);
  emu.modes.rateLimitEveryNth = null;
  await siteGet(emu, "/myself", auth);
  expect(emu.limitLedger.totals).toEqual({ announced: 1, duringKnownLimit: 0, inFlightAtLimit: 1 });
});

test("without Retry-After the 429 names no window: nothing is counted", async () => {
  emu.modes.rateLimitEveryNth = { every: 1, retryAfterSeconds: null };
  const got = await siteGet(emu, "/myself", auth);
  expect(got.status).toBe(429);
  expect(got.headers.get("retry-after")).toBeNull();
  await siteGet(emu, "/myself", auth);
  expect(emu.limitLedger.totals).toEqual({ announced: 0, duringKnownLimit: 0, inFlightAtLimit: 0 });
});
