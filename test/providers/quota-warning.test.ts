import { createConnection, type DepsFactory } from "../../providers/jira-connection/lifecycle";
import { checkConnectionInputs } from "../../providers/jira-connection/check";
import type { ScopedConnectionInputs } from "../../providers/jira-connection/inputs";
import { AtlassianClient } from "../../atlassian";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type Moto, startMoto } from "../support/moto";
import { connectionInputs, createTokenSecret } from "./fixtures";

/**
 * `pulumi up` warns, from the seat counts validation reads anyway, when one OAuth-only collection would take more
 * than half the app's hourly points quota — naming both fixes — and stays quiet when the reads are quota-exempt.
 */

let emulator: AtlassianEmulator;
let moto: Moto;
beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator({ sites: [{ name: "bigco", users: 20_000 }, { name: "smallco", users: 50 }] }), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
}, 120_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), moto?.stop()]);
});

const quotaWarnings = (warnings: string[] | undefined) => (warnings ?? []).filter((w) => w.startsWith("oauth: a collection through OAuth alone"));

test("OAuth without a license account on a 20k-user site: a quota warning with both fixes; with a license or a small site none", async () => {
  const { outs } = await createConnection(connectionInputs(emulator, await createTokenSecret(), { site: "bigco", license: "none" }));
  expect(quotaWarnings(outs.warnings)).toEqual([expect.stringMatching(/costs at least [\d,]+ points, \d+ % of the app's 65,000-point hourly quota .*add `license` .*scoped API token \(`scopedApiToken`\) — API-token traffic is exempt/)]);

  const licensed = await createConnection(connectionInputs(emulator, await createTokenSecret(), { site: "bigco" }));
  expect(quotaWarnings(licensed.outs.warnings)).toEqual([]);
  const small = await createConnection(connectionInputs(emulator, await createTokenSecret(), { site: "smallco", license: "none" }));
  expect(quotaWarnings(small.outs.warnings)).toEqual([]);
}, 60_000);

test("a scoped token on the same site pays no points: no quota warning", async () => {
  const admin = emulator.site("bigco").admin;
  const apiToken = emulator.createApiToken("bigco", { scopes: DEFAULT_SCOPES.filter((s) => s !== "offline_access"), expiresInDays: 30 });
  const inputs = checkConnectionInputs({ site: "bigco", scopedApiToken: { email: admin.email, apiToken, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) } }).inputs as unknown as ScopedConnectionInputs;
  const deps: DepsFactory = () => ({ atlassian: new AtlassianClient({ env: emulator.env }), store: undefined as never, now: () => new Date() });
  const { outs } = await createConnection(inputs, deps);
  expect(outs.warnings).toEqual([]);
});
