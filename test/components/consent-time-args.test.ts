import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError, type JiraConnectorArgs } from "../../components";
import { resolveSettings } from "../../components/settings";
import { withCredentials, parseConnectorsConfig } from "../../program/connectors-config";
import { connectorArgs, only } from "./support/fixtures";
import { settle, unwrapSecret, startMockEngine, type Registration } from "./support/mock-engine";

/**
 * `oauth.refreshTokenIssuedAt` (the consent time) on JiraConnector and in the root program's config: validated at
 * construction (an expired grant fails preview), passed to the connection as a plain value.
 */

const DAY = 86_400_000;
let registrations: Registration[];
const consent = new Date(Math.floor((Date.now() - 30 * DAY) / 1000) * 1000).toISOString();
beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme", { oauth: { clientId: "acme-client-id", clientSecret: "acme-PLAIN-client-secret", refreshToken: "acme-PLAIN-refresh-token", refreshTokenIssuedAt: consent } }));
  new JiraConnector("globex", connectorArgs("globex"));
  await settle();
});
afterAll(async () => {
  await settle();
  await pulumi.runtime.disconnect();
});

const withIssuedAt = (value: unknown) =>
  connectorArgs("acme", { oauth: { clientId: "c", clientSecret: "s", refreshToken: "r", refreshTokenIssuedAt: value as string } }) as JiraConnectorArgs;

function problemsOf(args: JiraConnectorArgs): string {
  try {
    resolveSettings("acme", args);
  } catch (error) {
    expect(error).toBeInstanceOf(JiraConnectorArgsError);
    return (error as Error).message;
  }
  throw new Error("resolveSettings accepted the args");
}

test.each<[string, unknown, RegExp]>([
  ["not a timestamp", "yesterday", /oauth\.refreshTokenIssuedAt must be an ISO 8601 timestamp with a zone/],
  ["without a zone", "2026-11-02T09:30:00", /oauth\.refreshTokenIssuedAt must be an ISO 8601 timestamp with a zone/],
  ["a number", 1764547200000, /oauth\.refreshTokenIssuedAt must be an ISO 8601 timestamp/],
  ["a day ahead", new Date(Date.now() + DAY).toISOString(), /oauth\.refreshTokenIssuedAt lies in the future/],
  ["366 days ago", new Date(Date.now() - 366 * DAY).toISOString(), /oauth\.refreshTokenIssuedAt is more than 365 days ago, so the grant has expired .*run `jira-connector authorize` again/],
])("refused: %s", (_name, value, expected) => {
  expect(problemsOf(withIssuedAt(value))).toMatch(expected);
});

test.each<[string, unknown]>([
  ["30 days ago", consent],
  ["with an offset", "2026-11-02T10:30:00+01:00".replace("2026-11-02", new Date(Date.now() - DAY).toISOString().slice(0, 10))],
  ["an Output (checked by the provider on up)", pulumi.output("not checked here")],
])("accepted: %s", (_name, value) => {
  expect(() => resolveSettings("acme", withIssuedAt(value))).not.toThrow();
});

test("the connection receives the consent time in its oauth input; without it, none", () => {
  // The engine sends an object holding a secret as one secret (clientId travels the same way).
  const oauthOf = (name: string) => unwrapSecret(only(registrations, "pulumi-nodejs:dynamic/jira:Connection", name).inputs.oauth) as unknown as Record<string, unknown>;
  expect(oauthOf("acme-connection").refreshTokenIssuedAt).toBe(consent);
  expect(oauthOf("globex-connection")).not.toHaveProperty("refreshTokenIssuedAt");
});

test("root program: `<connector>.refreshTokenIssuedAt` (plain) becomes oauth.refreshTokenIssuedAt; absent, it is left out", () => {
  const plain = JSON.stringify([{ site: "acme", oauth: { clientId: "id" } }, { site: "globex", oauth: { clientId: "id2" } }]);
  const config: Record<string, { value: string; secret: boolean }> = {
    "acme.clientSecret": { value: "S1", secret: true },
    "acme.refreshToken": { value: "R1", secret: true },
    "acme.refreshTokenIssuedAt": { value: consent, secret: false },
    "globex.clientSecret": { value: "S2", secret: true },
    "globex.refreshToken": { value: "R2", secret: true },
  };
  const entries = withCredentials(parseConnectorsConfig(plain), (key) => config[key]);
  expect(entries[0]!.oauth).toEqual({ clientId: "id", clientSecret: "S1", refreshToken: "R1", refreshTokenIssuedAt: consent });
  expect(entries[1]!.oauth).toEqual({ clientId: "id2", clientSecret: "S2", refreshToken: "R2" });
});
