/**
 * `oauth.refreshTokenIssuedAt` (issue 14 item 3) through Pulumi's dynamic-provider host over gRPC, with the secret
 * in moto and the emulator as Atlassian: the seeded family starts at the consent; without it, at the first `up`;
 * changing only the consent time presents no token and only ever moves the family's start earlier.
 */
import * as pulumi from "@pulumi/pulumi";
import { jiraConnectionProvider } from "../../providers/jira-connection";
import { createSecretsManagerStore } from "../../token-store";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";
import { type ProviderHost, startProviderHost } from "../support/dynamic-provider-host";
import { type Moto, startMoto } from "../support/moto";
import { createUserProject } from "../support/user-project";
import { connectionInputs, createTokenSecret, secretsOf } from "./fixtures";

const DAY = 86_400_000;
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

const tokenExchanges = () => emulator.requests.filter((r) => r.path === "/oauth/token").length;
const storedRecord = (arn: string) => createSecretsManagerStore({ secretArn: arn }).read();
const iso = (ms: number) => new Date(ms).toISOString();

async function checked(extra: Record<string, unknown> = {}) {
  const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
  const raw = { ...inputs, oauth: { ...inputs.oauth, ...extra }, __provider: providerText };
  const result = await host.check(URN, {}, raw);
  expect(result.failures).toEqual([]);
  return { inputs, news: result.inputs };
}

test("check refuses a consent time that is not a timestamp, in the future, or older than 365 days (expired grant)", async () => {
  const inputs = connectionInputs(emulator, await createTokenSecret(), { license: "none" });
  const failuresFor = async (value: unknown) => (await host.check(URN, {}, { ...inputs, oauth: { ...inputs.oauth, refreshTokenIssuedAt: value }, __provider: providerText })).failures;
  expect(await failuresFor("last tuesday")).toEqual([{ property: "oauth.refreshTokenIssuedAt", reason: expect.stringMatching(/ISO 8601 timestamp with a zone/) }]);
  expect(await failuresFor("2026-01-01T00:00:00")).toEqual([{ property: "oauth.refreshTokenIssuedAt", reason: expect.stringMatching(/with a zone/) }]);
  expect(await failuresFor(iso(Date.now() + DAY))).toEqual([{ property: "oauth.refreshTokenIssuedAt", reason: expect.stringMatching(/in the future/) }]);
  expect(await failuresFor(iso(Date.now() - 366 * DAY))).toEqual([
    { property: "oauth.refreshTokenIssuedAt", reason: expect.stringMatching(/grant has expired.*jira-connector authorize/) },
  ]);
  // A couple of minutes ahead (another machine's clock) is accepted.
  expect(await failuresFor(iso(Date.now() + 60_000))).toEqual([]);
});

test("create with refreshTokenIssuedAt: the stored record's family starts at the consent; nothing secret in the outputs", async () => {
  const issuedAt = iso(Math.floor((Date.now() - 30 * DAY) / 1000) * 1000);
  const { inputs, news } = await checked({ refreshTokenIssuedAt: issuedAt });
  emulator.clearRequests();
  const created = await host.create(URN, news);
  expect(tokenExchanges()).toBe(1);
  const stored = await storedRecord(inputs.tokenStore.secretArn);
  expect(Date.parse(stored!.familyStartedAt)).toBe(Date.parse(issuedAt));
  expect(created.properties).toMatchObject({ refreshTokenIssuedAt: issuedAt });
  expect(Date.parse(created.properties.refreshTokenFamilyStartedAt as string)).toBe(Date.parse(issuedAt));
  const everything = JSON.stringify(created) + host.stderr();
  for (const secret of [...secretsOf(inputs), stored!.refreshToken]) expect(everything.includes(secret)).toBe(false);
});

test("without it the family starts at the first `up`; adding it later is an update that presents no token and moves the start earlier, never later", async () => {
  const { inputs, news } = await checked();
  const before = Date.now();
  const created = await host.create(URN, news);
  const after = Date.now();
  const first = await storedRecord(inputs.tokenStore.secretArn);
  expect(Date.parse(first!.familyStartedAt)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(first!.familyStartedAt)).toBeLessThanOrEqual(after);

  const issuedAt = iso(Math.floor((before - 30 * DAY) / 1000) * 1000);
  const withConsent = (await host.check(URN, news, { ...news, oauth: { ...(news.oauth as object), refreshTokenIssuedAt: issuedAt } })).inputs;
  expect(await host.diff(created.id, URN, created.properties, withConsent)).toEqual({ changes: "SOME", replaces: [] });
  emulator.clearRequests();
  const updated = await host.update(created.id, URN, created.properties, withConsent);
  expect(tokenExchanges()).toBe(0); // the emulator's request log: no token presented
  const moved = await storedRecord(inputs.tokenStore.secretArn);
  expect(Date.parse(moved!.familyStartedAt)).toBe(Date.parse(issuedAt));
  expect(moved!.refreshToken).toBe(first!.refreshToken); // the live token untouched
  expect(moved!.rotatedAt).toBe(first!.rotatedAt);
  expect(Date.parse(updated.refreshTokenFamilyStartedAt as string)).toBe(Date.parse(issuedAt));
  expect(await host.diff(created.id, URN, updated, withConsent)).toEqual({ changes: "NONE", replaces: [] });

  // A later consent time (a typo, or the first-`up` value again) never moves a recorded start later.
  const later = (await host.check(URN, withConsent, { ...withConsent, oauth: { ...(withConsent.oauth as object), refreshTokenIssuedAt: iso(before - 10 * DAY) } })).inputs;
  const again = await host.update(created.id, URN, updated, later);
  expect(tokenExchanges()).toBe(0);
  expect(Date.parse((await storedRecord(inputs.tokenStore.secretArn))!.familyStartedAt)).toBe(Date.parse(issuedAt));
  expect(Date.parse(again.refreshTokenFamilyStartedAt as string)).toBe(Date.parse(issuedAt));

  const everything = JSON.stringify([created, updated, again]) + host.stderr();
  for (const secret of [...secretsOf(inputs), first!.refreshToken]) expect(everything.includes(secret)).toBe(false);
});
