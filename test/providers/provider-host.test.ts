import * as pulumi from "@pulumi/pulumi";
import { jiraConnectionProvider } from "../../providers/jira-connection";
import { type AtlassianEmulator, DEFAULT_SCOPES, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type ProviderHost, startProviderHost } from "../support/dynamic-provider-host";
import { type Moto, startMoto } from "../support/moto";
import { createUserProject } from "../support/user-project";
import { connectionInputs, createTokenSecret, secretsOf } from "./fixtures";

/**
 * The serialized provider, run by Pulumi's own dynamic-provider host over gRPC — Configure, Check, Diff, Create,
 * Read, Update, Delete — the way the engine runs it. Also the leak test: no secret in anything the host returns,
 * in the serialized provider, or in the host's logs.
 */

let emulator: AtlassianEmulator;
let moto: Moto;
let host: ProviderHost;
let providerText: string;
const project = createUserProject();
const URN = "urn:pulumi:test::jira-connectors::pulumi-nodejs:dynamic/jira:Connection::acme";

beforeAll(async () => {
  [emulator, moto] = await Promise.all([startAtlassianEmulator(), startMoto()]);
  Object.assign(process.env, moto.env);
  providerText = (await pulumi.runtime.serializeFunction(() => jiraConnectionProvider, { allowSecrets: true })).text;
  host = await startProviderHost(project.dir, { ...moto.env, ...emulator.env });
}, 60_000);
afterAll(async () => {
  host?.close();
  await Promise.all([emulator?.close(), moto?.stop()]);
  project.remove();
});

test("Configure → Check → Create → Diff → Update → Read → Delete through the real host, leaking nothing", async () => {
  const inputs = connectionInputs(emulator, await createTokenSecret());
  const raw = { ...inputs, site: "https://acme.atlassian.net", requiredScopes: undefined, __provider: providerText };
  delete raw.requiredScopes;

  const bad = await host.check(URN, {}, { ...raw, site: "acme.evil.com" });
  expect(bad.failures).toEqual([{ property: "site", reason: expect.stringMatching(/^site: .*not an Atlassian Cloud site/) }]);

  const checked = await host.check(URN, {}, raw);
  expect(checked.failures).toEqual([]);
  expect(checked.inputs.site).toBe("acme");
  emulator.clearRequests();

  const created = await host.create(URN, checked.inputs);
  expect(created.id).toBe(`acme/${emulator.site("acme").cloudId}`);
  expect(created.properties).toMatchObject({ siteName: "acme", cloudId: emulator.site("acme").cloudId, __provider: providerText });
  expect(emulator.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);

  // Preview makes no calls: check + diff against the stored state.
  emulator.clearRequests();
  expect(await host.diff(created.id, URN, created.properties, checked.inputs)).toEqual({ changes: "NONE", replaces: [] });
  const upgraded = { ...checked.inputs, __provider: `${providerText}\n// upgraded` };
  expect(await host.diff(created.id, URN, created.properties, upgraded)).toEqual({ changes: "NONE", replaces: [] });
  const newApiToken = emulator.createApiToken("acme", { accountId: emulator.site("acme").admin.accountId });
  const tokenChange = { ...checked.inputs, license: { ...(checked.inputs.license as object), apiToken: newApiToken } };
  expect(await host.diff(created.id, URN, created.properties, tokenChange)).toEqual({ changes: "SOME", replaces: [] });
  expect(await host.diff(created.id, URN, created.properties, { ...checked.inputs, site: "globex" })).toEqual({ changes: "SOME", replaces: ["site"] });
  expect(emulator.requests).toHaveLength(0);

  const updated = await host.update(created.id, URN, created.properties, tokenChange);
  expect(updated.fingerprints).not.toEqual(created.properties.fingerprints);
  expect(emulator.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(0);

  const read = await host.read(created.id, URN, updated);
  expect(read.properties.cloudId).toBe(emulator.site("acme").cloudId);

  emulator.faults.add({ match: {}, times: Infinity, action: { kind: "status", status: 503 } });
  await expect(host.delete(created.id, URN, read.properties)).resolves.toBeUndefined();
  emulator.faults.clear();

  const failure = await host.create(URN, { ...checked.inputs, license: { ...(checked.inputs.license as object), apiToken: "wrong-token-value-123" } }).catch((e: Error) => e);
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(/license.apiToken: the account email and API token were rejected/);

  const everything = [
    JSON.stringify([created, updated, read]),
    providerText,
    host.stderr(),
    String(failure),
  ].join("\n");
  for (const secret of [...secretsOf(inputs), newApiToken, "wrong-token-value-123"]) expect(everything.includes(secret)).toBe(false);
});

test("a scoped-API-token connector through the real host: check names bad combinations; create, an OAuth → scoped update and read leak nothing", async () => {
  const acme = emulator.site("acme");
  const scopedToken = emulator.createApiToken("acme", { scopes: DEFAULT_SCOPES.filter((s) => s !== "offline_access"), expiresInDays: 100 });
  const expiresAt = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);
  const raw = { site: "acme", scopedApiToken: { email: acme.admin.email, apiToken: scopedToken, expiresAt }, __provider: providerText };

  const both = await host.check(URN, {}, { ...raw, oauth: { clientId: "c", clientSecret: "s", refreshToken: "r" } });
  expect(both.failures).toEqual([{ property: "scopedApiToken", reason: expect.stringMatching(/exactly one of oauth and scopedApiToken/) }]);
  const checked = await host.check(URN, {}, raw);
  expect(checked.failures).toEqual([]);

  emulator.clearRequests();
  const created = await host.create(URN, checked.inputs);
  expect(created.properties).toMatchObject({ authMethod: "scoped-api-token", cloudId: acme.cloudId });
  expect(emulator.requests.some((r) => r.host === "auth")).toBe(false);

  // An OAuth connector switched to the scoped token: an update, validated through the gateway.
  const inputs = connectionInputs(emulator, await createTokenSecret());
  const oauthChecked = await host.check(URN, {}, { ...inputs, __provider: providerText });
  const oauth = await host.create(URN, oauthChecked.inputs);
  expect(await host.diff(oauth.id, URN, oauth.properties, checked.inputs)).toEqual({ changes: "SOME", replaces: [] });
  const switched = await host.update(oauth.id, URN, oauth.properties, checked.inputs);
  expect(switched).toMatchObject({ authMethod: "scoped-api-token" });
  expect(switched).not.toHaveProperty("tokenStore");
  const read = await host.read(oauth.id, URN, switched);
  expect(read.properties.cloudId).toBe(acme.cloudId);

  const everything = [JSON.stringify([created, oauth, switched, read]), host.stderr()].join("\n");
  for (const secret of [scopedToken, ...secretsOf(inputs)]) expect(everything.includes(secret)).toBe(false);
});
