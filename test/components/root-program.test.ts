import * as pulumi from "@pulumi/pulumi";
import { parseConnectorsConfig, readConnectorsConfig } from "../../program/connectors-config";
import { CLOUD_ID, settle, startMockEngine, valueOf, type Registration } from "./support/mock-engine";

/** The repository's Pulumi program (`program/`, Pulumi.yaml `main:`) with a two-connector stack config. */

const CONNECTORS = [
  {
    site: "acme",
    oauth: { clientId: "acme-client-id", clientSecret: "acme-PLAIN-client-secret", refreshToken: "acme-PLAIN-refresh-token" },
    license: { email: "admin@acme.example", apiToken: "acme-PLAIN-api-token", apiTokenExpiresAt: "2027-06-30" },
    alarms: { email: "it@acme.example" },
  },
  {
    name: "globex-eu",
    site: "https://globex.atlassian.net",
    oauth: { clientId: "globex-client-id", clientSecret: "globex-PLAIN-client-secret", refreshToken: "globex-PLAIN-refresh-token" },
    schedule: { expression: "cron(0 5 * * ? *)", timezone: "Europe/Berlin" },
    tags: { costCenter: "1234" },
  },
  {
    site: "initech",
    scopedApiToken: { email: "admin@initech.example", apiToken: "initech-PLAIN-scoped-token", expiresAt: "2027-06-30" },
  },
];

let registrations: Registration[];
let program: typeof import("../../program");

beforeAll(async () => {
  registrations = await startMockEngine("jira-connectors", "prod");
  pulumi.runtime.setAllConfig({ "jira-connectors:connectors": JSON.stringify(CONNECTORS) }, ["jira-connectors:connectors"]);
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
      parseConnectorsConfig(JSON.stringify([{ site: "acme", oauth: { clientId: "id", clientSecret: 42, refreshToken: "SECRET-VALUE" }, colour: "SECRET-VALUE" }]));
    } catch (error) {
      message = (error as Error).message;
    }
    // One line per entry, named by its site.
    expect(message).toMatch(/\[0\] \(site "acme"\): .*oauth\.clientSecret: /);
    expect(message).toMatch(/\[0\] .*\(entry\): .*colour/);
    expect(message.split("\n")).toHaveLength(2);
    expect(message).not.toContain("SECRET-VALUE");
    expect(message).not.toContain("42");
  });
});

test("a `connectors` value stored in plain text is refused", () => {
  pulumi.runtime.setAllConfig({ "jira-connectors:connectors": JSON.stringify(CONNECTORS) }, []);
  expect(() => readConnectorsConfig()).toThrow(/stored in plain text: set it again with `pulumi config set --secret connectors/);
  pulumi.runtime.setAllConfig({ "jira-connectors:connectors": JSON.stringify(CONNECTORS) }, ["jira-connectors:connectors"]);
  expect(readConnectorsConfig()).toHaveLength(3);
});
