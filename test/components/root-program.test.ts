import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "child_process";
import { parseConnectorsConfig, readConnectorsConfig, withCredentials } from "../../program/connectors-config";
import { CLOUD_ID, settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** The repository's Pulumi program (`program/`, Pulumi.yaml `main:`) with a two-connector stack config. */

const CONNECTORS = [
  {
    site: "acme",
    oauth: { clientId: "acme-client-id" },
    license: { email: "admin@acme.example", apiTokenExpiresAt: "2027-06-30" },
    alarms: { email: "it@acme.example" },
  },
  {
    name: "globex-eu",
    site: "https://globex.atlassian.net",
    oauth: { clientId: "globex-client-id" },
    schedule: { expression: "cron(0 5 * * ? *)", timezone: "Europe/Berlin" },
    tags: { costCenter: "1234" },
  },
  {
    site: "initech",
    scopedApiToken: { email: "admin@initech.example", expiresAt: "2027-06-30" },
  },
];
/** One secret key per credential, `<connector>.<credential>` in the project's namespace. */
const CREDENTIALS: Record<string, string> = {
  "acme.clientSecret": "acme-PLAIN-client-secret",
  "acme.refreshToken": "acme-PLAIN-refresh-token",
  "acme.apiToken": "acme-PLAIN-api-token",
  "globex-eu.clientSecret": "globex-PLAIN-client-secret",
  "globex-eu.refreshToken": "globex-PLAIN-refresh-token",
  "initech.scopedApiToken": "initech-PLAIN-scoped-token",
};
const P = "jira-connectors:";
const secretKeys = Object.keys(CREDENTIALS).map((k) => P + k);
const stackConfig = (connectors: unknown = CONNECTORS, credentials = CREDENTIALS) => ({
  [`${P}connectors`]: JSON.stringify(connectors),
  ...Object.fromEntries(Object.entries(credentials).map(([k, v]) => [P + k, v])),
});

let registrations: Registration[];
let program: typeof import("../../program");

beforeAll(async () => {
  registrations = await startMockEngine("jira-connectors", "prod");
  pulumi.runtime.setAllConfig(stackConfig(), secretKeys); // `connectors` itself is plain
  program = await import("../../program"); // after setMocks: the program registers resources at import
  await settle();
});
afterAll(() => pulumi.runtime.disconnect());

test("one JiraConnector per config entry, named by `name` or by the site", () => {
  const components = registrations.filter((r) => r.type === "jira-connector:index:JiraConnector");
  expect(components.map((c) => c.urn).sort()).toEqual([
    "urn:pulumi:prod::jira-connectors::jira-connector:index:JiraConnector::acme",
    "urn:pulumi:prod::jira-connectors::jira-connector:index:JiraConnector::globex-eu",
    "urn:pulumi:prod::jira-connectors::jira-connector:index:JiraConnector::initech",
  ]);
  const connection = registrations.find((r) => r.name === "globex-eu-connection")!;
  expect(connection.inputs.site).toBe("https://globex.atlassian.net");
  const schedule = registrations.find((r) => r.name === "globex-eu-schedule")!;
  expect(schedule.inputs).toMatchObject({ scheduleExpression: "cron(0 5 * * ? *)", scheduleExpressionTimezone: "Europe/Berlin" });
  expect(registrations.find((r) => r.name === "globex-eu-collector")!.inputs.tags).toEqual({ costCenter: "1234", "jira-connector": "globex-eu", "managed-by": "pulumi" });
  expect(registrations.some((r) => r.name === "acme-alarms-email")).toBe(true);
  expect(registrations.some((r) => r.name === "globex-eu-api-token-expiry")).toBe(false);
});

test("the stack output summarises each connector, without secrets", async () => {
  const summary = await valueOf(program.summary);
  expect(Object.keys(summary).sort()).toEqual(["acme", "globex-eu", "initech"]);
  expect(summary["acme"]).toEqual({
    siteUrl: "https://acme.atlassian.net",
    cloudId: CLOUD_ID,
    products: [{ key: "jira-software", plan: "PAID", seats: 20, remaining: 5, users: 15 }],
    functionName: "acme-collector-1a2b3c4",
    scheduleArn: expect.stringMatching(/^arn:aws:scheduler:/),
    snapshots: "s3://acme-snapshots-1a2b3c4/connectors/acme/",
    alarmTopicArn: expect.stringMatching(/^arn:aws:sns:/),
  });
  expect(summary["globex-eu"]!.siteUrl).toBe("https://globex.atlassian.net");
  expect(JSON.stringify(summary)).not.toMatch(/PLAIN/);
});

test("credentials from the config reach AWS only as secrets", () => {
  const version = registrations.find((r) => r.name === "acme-credentials-value")!;
  expect(version.inputs.secretString["4dabf18193072939515e22adb298388d"]).toBeDefined();
});

test("a scoped-token entry: no refresh-token secret, the default schedule (it pays no OAuth points), the API-token expiry alarm", () => {
  expect(registrations.some((r) => r.name === "initech-refresh-token")).toBe(false);
  expect(registrations.find((r) => r.name === "initech-schedule")!.inputs.scheduleExpression).toBe("cron(0 23 * * ? *)");
  expect(registrations.some((r) => r.name === "initech-api-token-expiry")).toBe(true);
  expect(registrations.find((r) => r.name === "initech-connection")!.inputs.scopedApiToken).toBeDefined();
});

describe("config errors name fields, never values", () => {
  test("missing, not JSON, empty, wrong shapes", () => {
    expect(() => parseConnectorsConfig(undefined)).toThrow(/`connectors`:\n  - is not set/);
    expect(() => parseConnectorsConfig("{not json")).toThrow(/is not JSON/);
    expect(() => parseConnectorsConfig("[]")).toThrow(/\(list\)/);
    let message = "";
    try {
      parseConnectorsConfig(JSON.stringify([{ site: "acme", oauth: { clientId: 42 }, colour: "SECRET-VALUE" }]));
    } catch (error) {
      message = (error as Error).message;
    }
    // One line per entry, named by its site.
    expect(message).toMatch(/\[0\] \(site "acme"\): .*oauth\.clientId: /);
    expect(message).toMatch(/\[0\] .*\(entry\): .*colour/);
    expect(message.split("\n")).toHaveLength(2);
    expect(message).not.toContain("SECRET-VALUE");
    expect(message).not.toContain("42");
  });
});

test("each credential reaches its connector from its own secret key", () => {
  // Secret inputs arrive wrapped ({ <secret signature>: …, value }): still secrets after the split.
  const unwrap = (input: { value?: unknown }) => input.value ?? input;
  const acme = registrations.find((r) => r.name === "acme-connection")!.inputs;
  expect(unwrap(acme.oauth)).toMatchObject({ clientId: "acme-client-id", clientSecret: "acme-PLAIN-client-secret", refreshToken: "acme-PLAIN-refresh-token" });
  expect(acme.oauth["4dabf18193072939515e22adb298388d"]).toBeDefined();
  expect(unwrap(acme.license)).toMatchObject({ email: "admin@acme.example", apiToken: "acme-PLAIN-api-token" });
  expect(unwrap(registrations.find((r) => r.name === "initech-connection")!.inputs.scopedApiToken)).toMatchObject({ apiToken: "initech-PLAIN-scoped-token", expiresAt: "2027-06-30" });
});

describe("credential keys: missing or plain-text ones are named with the command that fixes them", () => {
  afterEach(() => pulumi.runtime.setAllConfig(stackConfig(), secretKeys));

  test("a missing key and a credential in plain text, both at once; never a value", () => {
    const { ["globex-eu.refreshToken"]: _dropped, ...rest } = CREDENTIALS;
    pulumi.runtime.setAllConfig(stackConfig(CONNECTORS, rest), secretKeys.filter((k) => k !== `${P}acme.apiToken`));
    let message = "";
    try {
      readConnectorsConfig();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/globex-eu\.refreshToken is not set: `pulumi config set --secret --stack prod globex-eu\.refreshToken`/);
    expect(message).toMatch(/acme\.apiToken is stored in plain text: set it again with `pulumi config set --secret --stack prod acme\.apiToken`/);
    expect(message).not.toMatch(/PLAIN/);
  });

  test("a `connectors` list stored as a secret (but without credentials) is still read", () => {
    pulumi.runtime.setAllConfig(stackConfig(), [...secretKeys, `${P}connectors`]);
    expect(readConnectorsConfig().map((e) => e.site)).toEqual(["acme", "https://globex.atlassian.net", "initech"]);
  });

  test("an org's API key is a key of its own too", () => {
    const orgId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const connectors = [{ site: "initech", scopedApiToken: { email: "a@initech.example", expiresAt: "2027-06-30" }, org: { orgId } }];
    pulumi.runtime.setAllConfig(stackConfig(connectors, { "initech.scopedApiToken": "t", "initech.orgApiKey": "k" }), [`${P}initech.scopedApiToken`, `${P}initech.orgApiKey`]);
    expect(readConnectorsConfig()[0]!.org).toEqual({ orgId, apiKey: "k" });
  });
});

describe("migration: the old form (credentials inside a secret `connectors`) is refused with the commands that convert it", () => {
  const OLD = [
    { site: "https://acme.atlassian.net", oauth: { clientId: "id", clientSecret: "OLD-SECRET-1", refreshToken: "OLD-SECRET-2" }, license: { email: "a@acme.example", apiToken: "OLD-SECRET-3" } },
    { name: "ini", site: "initech", scopedApiToken: { email: "a@initech.example", apiToken: "OLD-SECRET-4", expiresAt: "2027-06-30" } },
  ];

  test("one command per credential, then the list stored plain; no value echoed", () => {
    let message = "";
    try {
      parseConnectorsConfig(JSON.stringify(OLD), "prod");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/holds credentials \(the old form\)/);
    expect(message).toContain("pulumi config get --stack prod connectors | jq -r '.[0].oauth.clientSecret' | pulumi config set --secret --stack prod acme.clientSecret");
    expect(message).toContain("jq -r '.[0].oauth.refreshToken' | pulumi config set --secret --stack prod acme.refreshToken");
    expect(message).toContain("jq -r '.[0].license.apiToken' | pulumi config set --secret --stack prod acme.apiToken");
    expect(message).toContain("jq -r '.[1].scopedApiToken.apiToken' | pulumi config set --secret --stack prod ini.scopedApiToken");
    expect(message).toMatch(/jq -c '\[\.\[\] \| del\(\.oauth\.clientSecret, .*\)\]' \| pulumi config set --plaintext --stack prod connectors$/m);
    expect(message).not.toMatch(/OLD-SECRET/);
  });

  test("the printed commands' jq programs turn the old list into a new one the program accepts", () => {
    // Applies the commands' jq expressions the way the shell would, with jq itself when present.
    const jq = spawnSync("jq", ["--version"]);
    if (jq.status !== 0) return;
    const message = (() => {
      try {
        parseConnectorsConfig(JSON.stringify(OLD), "prod");
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    const strip = /jq -c '([^']+)' \| pulumi config set --plaintext --stack prod connectors/.exec(message)![1]!;
    const plain = spawnSync("jq", ["-c", strip], { input: JSON.stringify(OLD), encoding: "utf8" }).stdout;
    const credentials = Object.fromEntries(
      [...message.matchAll(/jq -r '([^']+)' \| pulumi config set --secret --stack prod (\S+)/g)].map(([, expr, key]) => [key!, spawnSync("jq", ["-r", expr!], { input: JSON.stringify(OLD), encoding: "utf8" }).stdout.trim()]),
    );
    const entries = withCredentials(parseConnectorsConfig(plain), (key) => (credentials[key] ? { value: credentials[key]!, secret: true } : undefined));
    expect(entries[0]!.oauth).toEqual({ clientId: "id", clientSecret: "OLD-SECRET-1", refreshToken: "OLD-SECRET-2" });
    expect(entries[0]!.license).toEqual({ email: "a@acme.example", apiToken: "OLD-SECRET-3" });
    expect(entries[1]!.scopedApiToken).toEqual({ email: "a@initech.example", apiToken: "OLD-SECRET-4", expiresAt: "2027-06-30" });
  });
});
