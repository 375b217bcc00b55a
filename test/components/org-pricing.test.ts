import * as pulumi from "@pulumi/pulumi";
import { JiraConnector, JiraConnectorArgsError } from "../../components";
import { connectorArgs, only } from "./support/fixtures";
import { isSecret, settle, startMockEngine, unwrapSecret, type Registration } from "./support/mock-engine";

/**
 * `org` and `pricing` on the component: the org API key lives only in the credentials secret (as `orgApiKey`), the
 * org ID and the prices reach the function's environment, and bad values fail construction naming the field.
 */

const ACME_ORG = "5f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0";
const GLOBEX_ORG = "0a1b2c3d-4e5f-4678-9abc-def012345678";
const ORG_KEY = /PLAIN-org-api-key/;
const PRICING = { currency: "USD", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 23.5 } };
let registrations: Registration[];

beforeAll(async () => {
  registrations = await startMockEngine();
  new JiraConnector("acme", connectorArgs("acme", { org: { orgId: ACME_ORG, apiKey: "acme-PLAIN-org-api-key" }, pricing: PRICING }));
  // From secret config: an Output ID and a secret key (and an upper-case ID, normalised).
  new JiraConnector("globex", connectorArgs("globex", { org: { orgId: pulumi.output(GLOBEX_ORG.toUpperCase()), apiKey: pulumi.secret("globex-PLAIN-org-api-key") } }));
  new JiraConnector("initech", connectorArgs("initech"));
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

const credentialsOf = (connector: string) => {
  const version = only(registrations, "aws:secretsmanager/secretVersion:SecretVersion", `${connector}-credentials-value`);
  expect(isSecret(version.inputs.secretString)).toBe(true);
  return JSON.parse(unwrapSecret(version.inputs.secretString));
};
const envOf = (connector: string) => only(registrations, "aws:lambda/function:Function", `${connector}-collector`).inputs.environment.variables;

test.each([
  ["acme", ACME_ORG],
  ["globex", GLOBEX_ORG],
])("%s: the credentials secret holds orgApiKey, JIRA_CONNECTOR_ORG_ID the org ID", (connector, orgId) => {
  expect(credentialsOf(connector)).toEqual({
    clientId: `${connector}-client-id`,
    clientSecret: `${connector}-PLAIN-client-secret`,
    email: `admin@${connector}.example`,
    apiToken: `${connector}-PLAIN-api-token`,
    orgApiKey: `${connector}-PLAIN-org-api-key`,
  });
  expect(envOf(connector).JIRA_CONNECTOR_ORG_ID).toBe(orgId);
});

test("pricing reaches the function as JIRA_CONNECTOR_PRICING (JSON); without org or pricing neither variable is set", () => {
  expect(JSON.parse(envOf("acme").JIRA_CONNECTOR_PRICING)).toEqual(PRICING);
  expect(envOf("globex")).not.toHaveProperty("JIRA_CONNECTOR_PRICING");
  expect(envOf("initech")).not.toHaveProperty("JIRA_CONNECTOR_ORG_ID");
  expect(credentialsOf("initech")).not.toHaveProperty("orgApiKey");
});

test("no plaintext org API key outside a secret, in any resource's inputs (the connection does not get it)", () => {
  const stripSecrets = (value: any): any => {
    if (isSecret(value)) return "[secret]";
    if (Array.isArray(value)) return value.map(stripSecrets);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
    return value;
  };
  let seenInSecrets = 0;
  for (const registration of registrations) {
    expect([registration.name, JSON.stringify(stripSecrets(registration.inputs))]).toEqual([registration.name, expect.not.stringMatching(ORG_KEY)]);
    if (ORG_KEY.test(JSON.stringify(registration.inputs))) seenInSecrets++;
  }
  // Exactly the two credentials SecretVersions carry it (inside their secret value).
  expect(seenInSecrets).toBe(2);
  const connection = only(registrations, "pulumi-nodejs:dynamic/jira:Connection", "acme-connection");
  expect(JSON.stringify(connection.inputs)).not.toMatch(/org/i);
});

describe("bad org or pricing fails construction, naming the field and the fix, never the key", () => {
  const cases: [string, Partial<Parameters<typeof connectorArgs>[1]>, RegExp[]][] = [
    ["org ID not a UUID", { org: { orgId: "acme-org", apiKey: "bad-PLAIN-org-api-key" } }, [/org\.orgId is not an organization ID \(a UUID/]],
    ["org ID pasted as a URL", { org: { orgId: `https://admin.atlassian.com/o/${ACME_ORG}/overview`, apiKey: "bad-PLAIN-org-api-key" } }, [new RegExp(`org\\.orgId is a URL: pass only the ID after /o/ \\(${ACME_ORG}\\)`)]],
    ["empty key", { org: { orgId: ACME_ORG, apiKey: "  " } }, [/org\.apiKey is empty: create an API key in admin\.atlassian\.com → Settings → API keys/]],
    ["key without ID", { org: { apiKey: "bad-PLAIN-org-api-key" } as never }, [/org\.orgId is required with org\.apiKey/]],
    ["bad pricing", { pricing: { currency: "dollars", monthlyPerSeat: { "jira-software": -3 } } }, [/pricing\.currency: an ISO 4217 currency code/, /pricing\.monthlyPerSeat\.jira-software: /]],
    ["no prices", { pricing: { currency: "EUR", monthlyPerSeat: {} } }, [/pricing\.monthlyPerSeat: at least one product's price/]],
  ];
  test.each(cases)("%s", (_name, extra, messages) => {
    let error: unknown;
    try {
      new JiraConnector("bad", connectorArgs("bad", extra));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JiraConnectorArgsError);
    const message = (error as Error).message;
    expect(message).toMatch(/^JiraConnector "bad":/);
    for (const m of messages) expect(message).toMatch(m);
    expect(message).not.toMatch(ORG_KEY);
  });
});
